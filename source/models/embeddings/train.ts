/**
 * The fast SGD step of the embeddings model: exactly plain.ts seriesStep
 * (or exactStep with `exactGradient`), on flat arrays and with the passes
 * over W fused. test/models/embeddings/plain.test.ts holds them equal.
 *
 * seriesStep reads E's gradient, g_i = Σ_j W_ij·δ_j, from W after W's
 * update. Row i of W is updated, and then never touched again in the step,
 * before g_i is summed, so one pass over each row can do both: update
 * W_ij, then add W_ij·δ_j to row i's running Python sum() (exactStep adds
 * the value from before the update instead). That is two passes over W a pair
 * (the scores, then update-and-sum) instead of three.
 */
import {seriesSoftmaxInPlace, type EmbeddingsModel} from './model.js';

/** Working arrays of one model's steps, made once. */
export interface StepScratch {
	readonly h: Float64Array;
	/** The scores, then the probabilities, then δ = p − onehot. */
	readonly p: Float64Array;
	/** E's gradient, one number for each position of h. */
	readonly g: Float64Array;
}

export function stepScratch(model: EmbeddingsModel): StepScratch {
	return {h: new Float64Array(model.n * model.d), p: new Float64Array(model.V), g: new Float64Array(model.n * model.d)};
}

/**
 * One step on the pair (ids[at..at+n), ids[at+n]). Returns the loss before
 * the step; `outcome[0]` is 1 when the prediction before the step (argmax p,
 * lowest id on a tie) was the target, else 0. Afterwards `scratch.p` holds δ
 * and `scratch.g` E's gradient.
 */
export function fastStep(model: EmbeddingsModel, ids: ArrayLike<number>, at: number, lr: number, exactGradient: boolean, scratch: StepScratch, outcome: Int32Array): number {
	const {V, d, n, E, W, b} = model;
	const {h, p, g} = scratch;
	const target = ids[at + n]!;
	for (let q = 0; q < n; q++) {
		const from = ids[at + q]! * d;
		for (let k = 0; k < d; k++) h[q * d + k] = E[from + k]!;
	}
	// Forward: s_j = b_j + Σ_i h_i·W_ij, i in order. Four rows of W a pass:
	// each s_j still adds its terms for i, i+1, i+2, i+3 in that order, but
	// is read and written once for the four.
	p.set(b);
	const inputs = n * d;
	let i = 0;
	for (; i + 4 <= inputs; i += 4) {
		const h0 = h[i]!;
		const h1 = h[i + 1]!;
		const h2 = h[i + 2]!;
		const h3 = h[i + 3]!;
		const r0 = i * V;
		const r1 = r0 + V;
		const r2 = r1 + V;
		const r3 = r2 + V;
		for (let j = 0; j < V; j++) {
			let s = p[j]!;
			s += h0 * W[r0 + j]!;
			s += h1 * W[r1 + j]!;
			s += h2 * W[r2 + j]!;
			s += h3 * W[r3 + j]!;
			p[j] = s;
		}
	}
	for (; i < inputs; i++) {
		const hi = h[i]!;
		const row = i * V;
		for (let j = 0; j < V; j++) p[j] += hi * W[row + j]!;
	}
	seriesSoftmaxInPlace(p);
	const loss = -Math.log(Math.max(p[target]!, 1e-12));
	let best = 0;
	for (let j = 1; j < V; j++) if (p[j]! > p[best]!) best = j;
	outcome[0] = best === target ? 1 : 0;
	// δ = p − onehot(target)
	p[target] = p[target]! - 1.0;
	// W_ij −= (lr·h_i)·δ_j, and g_i = Σ_j W_ij·δ_j (Python's sum()) in the same
	// pass. Two rows at a time: their sums are independent of each other, so
	// the processor can overlap them; each still adds its j in order.
	i = 0;
	for (; i + 2 <= inputs; i += 2) {
		const step0 = lr * h[i]!;
		const step1 = lr * h[i + 1]!;
		const r0 = i * V;
		const r1 = r0 + V;
		let f0 = 0.0;
		let c0 = 0.0;
		let f1 = 0.0;
		let c1 = 0.0;
		for (let j = 0; j < V; j++) {
			const dj = p[j]!;
			const old0 = W[r0 + j]!;
			const new0 = old0 - step0 * dj;
			W[r0 + j] = new0;
			const x0 = (exactGradient ? old0 : new0) * dj;
			const t0 = f0 + x0;
			c0 += Math.abs(f0) >= Math.abs(x0) ? f0 - t0 + x0 : x0 - t0 + f0;
			f0 = t0;
			const old1 = W[r1 + j]!;
			const new1 = old1 - step1 * dj;
			W[r1 + j] = new1;
			const x1 = (exactGradient ? old1 : new1) * dj;
			const t1 = f1 + x1;
			c1 += Math.abs(f1) >= Math.abs(x1) ? f1 - t1 + x1 : x1 - t1 + f1;
			f1 = t1;
		}
		g[i] = c0 !== 0 && Number.isFinite(c0) ? f0 + c0 : f0;
		g[i + 1] = c1 !== 0 && Number.isFinite(c1) ? f1 + c1 : f1;
	}
	for (; i < inputs; i++) {
		const step = lr * h[i]!;
		const row = i * V;
		let f = 0.0;
		let c = 0.0;
		for (let j = 0; j < V; j++) {
			const old = W[row + j]!;
			const updated = old - step * p[j]!;
			W[row + j] = updated;
			const x = (exactGradient ? old : updated) * p[j]!;
			const t = f + x;
			c += Math.abs(f) >= Math.abs(x) ? f - t + x : x - t + f;
			f = t;
		}
		g[i] = c !== 0 && Number.isFinite(c) ? f + c : f;
	}
	for (let j = 0; j < V; j++) b[j] = b[j]! - lr * p[j]!;
	for (let q = 0; q < n; q++) {
		const to = ids[at + q]! * d;
		for (let k = 0; k < d; k++) E[to + k] = E[to + k]! - lr * g[q * d + k]!;
	}
	return loss;
}
