/**
 * The fast SGD step of the attention model: exactly plain.ts seriesStep (or
 * exactStep with `exactGradient`), on flat arrays. test/models/attention/
 * plain.test.ts holds them equal bit for bit.
 *
 * Nearly all the work is in the two passes over W_out (h rows of V): the
 * scores, and the update. As in the embeddings model, the update of row k
 * and the sum ∂ctx_k = Σ_j W_out[k][j]·δ_j read from the updated row (the
 * series' order) share one pass: row k is not touched again in the step. The
 * rest (projections, attention, the updates of W_Q, W_K, W_V, E and P) costs
 * about n·d·h, small beside h·V.
 */
import {pythonSum} from '../../numerics/python-sum.js';
import {seriesSoftmaxInPlace} from '../embeddings/model.js';
import {projectInto, type AttentionModel} from './model.js';

/** Working arrays of one model's steps, made once. */
export interface StepScratch {
	readonly e: Float64Array;
	readonly Q: Float64Array;
	readonly K: Float64Array;
	readonly V: Float64Array;
	/** The attention scores, then the weights a. */
	readonly a: Float64Array;
	readonly ctx: Float64Array;
	/** The scores, then the probabilities, then δ = p − onehot. */
	readonly p: Float64Array;
	readonly dCtx: Float64Array;
	readonly dS: Float64Array;
	readonly dQ: Float64Array;
	/** ∂e_t of every position (n rows of d). */
	readonly dE: Float64Array;
	/** A row of h products for a Python sum(). */
	readonly products: Float64Array;
}

export function stepScratch(model: AttentionModel): StepScratch {
	const {n, d, h, V} = model;
	return {
		e: new Float64Array(n * d),
		Q: new Float64Array(n * h),
		K: new Float64Array(n * h),
		V: new Float64Array(n * h),
		a: new Float64Array(n),
		ctx: new Float64Array(h),
		p: new Float64Array(V),
		dCtx: new Float64Array(h),
		dS: new Float64Array(n),
		dQ: new Float64Array(h),
		dE: new Float64Array(n * d),
		products: new Float64Array(Math.max(h, n)),
	};
}

/** Python's sum() of the first `length` products (python-sum.ts). */
function sumOf(products: Float64Array, length: number): number {
	return pythonSum(length === products.length ? products : products.subarray(0, length));
}

/**
 * One step on the pair (ids[at..at+n), ids[at+n]). Returns the loss before
 * the step; `outcome[0]` is 1 when the prediction before the step (argmax p,
 * lowest id on a tie) was the target, else 0. Afterwards the scratch holds
 * the step's a, δ (in p), ∂ctx and every ∂e_t.
 */
export function fastStep(model: AttentionModel, ids: ArrayLike<number>, at: number, lr: number, c: number, exactGradient: boolean, scratch: StepScratch, outcome: Int32Array): number {
	const {V: vocab, d, h, n, E, P, WQ, WK, WV, Wout, b, scale} = model;
	const {e, Q, K, V, a, ctx, p, dCtx, dS, dQ, dE, products} = scratch;
	const target = ids[at + n]!;
	const last = n - 1;
	// Forward: e_t = E[c_t] + P[t]; Q_{n−1}, K_t, V_t.
	for (let t = 0; t < n; t++) {
		const from = ids[at + t]! * d;
		for (let m = 0; m < d; m++) e[t * d + m] = E[from + m]! + P[t * d + m]!;
		projectInto(e, t * d, d, WK, h, K, t * h);
		projectInto(e, t * d, d, WV, h, V, t * h);
	}
	projectInto(e, last * d, d, WQ, h, Q, last * h);
	for (let j = 0; j < n; j++) {
		for (let k = 0; k < h; k++) products[k] = Q[last * h + k]! * K[j * h + k]!;
		a[j] = sumOf(products, h) * scale;
	}
	seriesSoftmaxInPlace(a);
	ctx.fill(0.0);
	for (let j = 0; j < n; j++) for (let k = 0; k < h; k++) ctx[k] += a[j]! * V[j * h + k]!;
	// scores_j = b_j + Σ_k ctx_k·W_out[k][j], k in order; four rows of W_out a pass.
	p.set(b);
	let k = 0;
	for (; k + 4 <= h; k += 4) {
		const c0 = ctx[k]!;
		const c1 = ctx[k + 1]!;
		const c2 = ctx[k + 2]!;
		const c3 = ctx[k + 3]!;
		const r0 = k * vocab;
		const r1 = r0 + vocab;
		const r2 = r1 + vocab;
		const r3 = r2 + vocab;
		for (let j = 0; j < vocab; j++) {
			let s = p[j]!;
			s += c0 * Wout[r0 + j]!;
			s += c1 * Wout[r1 + j]!;
			s += c2 * Wout[r2 + j]!;
			s += c3 * Wout[r3 + j]!;
			p[j] = s;
		}
	}
	for (; k < h; k++) {
		const ck = ctx[k]!;
		const row = k * vocab;
		for (let j = 0; j < vocab; j++) p[j] += ck * Wout[row + j]!;
	}
	seriesSoftmaxInPlace(p);
	const loss = -Math.log(Math.max(p[target]!, 1e-12));
	let best = 0;
	for (let j = 1; j < vocab; j++) if (p[j]! > p[best]!) best = j;
	outcome[0] = best === target ? 1 : 0;
	p[target] = p[target]! - 1.0;
	// W_out[k][j] −= lr·clip(ctx_k·δ_j), and ∂ctx_k = Σ_j W_out[k][j]·δ_j in
	// the same pass (from the updated entry; the entry before, for the true gradient).
	for (k = 0; k < h; k++) {
		const ck = ctx[k]!;
		const row = k * vocab;
		let f = 0.0;
		let comp = 0.0;
		for (let j = 0; j < vocab; j++) {
			const dj = p[j]!;
			const x = ck * dj;
			const low = x < c ? x : c;
			const old = Wout[row + j]!;
			const updated = old - lr * (low > -c ? low : -c);
			Wout[row + j] = updated;
			const y = (exactGradient ? old : updated) * dj;
			const t = f + y;
			comp += Math.abs(f) >= Math.abs(y) ? f - t + y : y - t + f;
			f = t;
		}
		dCtx[k] = comp !== 0 && Number.isFinite(comp) ? f + comp : f;
	}
	for (let j = 0; j < vocab; j++) {
		const x = p[j]!;
		const low = x < c ? x : c;
		b[j] = b[j]! - lr * (low > -c ? low : -c);
	}
	// ∂a_t = ∂ctx·V_t; ∂s = softmax backward, times the scale; ∂Q = Σ_j ∂s_j·K_j.
	for (let t = 0; t < n; t++) {
		for (k = 0; k < h; k++) products[k] = dCtx[k]! * V[t * h + k]!;
		dS[t] = sumOf(products, h);
	}
	for (let j = 0; j < n; j++) products[j] = a[j]! * dS[j]!;
	const mean = sumOf(products, n);
	for (let t = 0; t < n; t++) dS[t] = a[t]! * (dS[t]! - mean) * scale;
	for (k = 0; k < h; k++) {
		for (let j = 0; j < n; j++) products[j] = dS[j]! * K[j * h + k]!;
		dQ[k] = sumOf(products, n);
	}
	if (exactGradient) exactTail(model, ids, at, lr, c, scratch);
	else seriesTail(model, ids, at, lr, c, scratch);
	return loss;
}

/** W[m][k] −= lr·clip(x_m·g_k) for m then k; g_k = gScale·g[gFrom + k] (∂V_t = a_t·∂ctx, ∂K_t = ∂s_t·Q_{n−1}). */
function updateOuter(W: Float64Array, x: Float64Array, xFrom: number, d: number, h: number, gScale: number, g: Float64Array, gFrom: number, lr: number, c: number): void {
	for (let m = 0; m < d; m++) {
		const xm = x[xFrom + m]!;
		const row = m * h;
		for (let k = 0; k < h; k++) {
			const v = xm * (gScale * g[gFrom + k]!);
			const low = v < c ? v : c;
			W[row + k] = W[row + k]! - lr * (low > -c ? low : -c);
		}
	}
}

/** Σ_k W[m][k]·(gScale·g[gFrom + k]), a Python sum(). */
function rowDot(W: Float64Array, m: number, h: number, gScale: number, g: Float64Array, gFrom: number, products: Float64Array): number {
	for (let k = 0; k < h; k++) products[k] = W[m * h + k]! * (gScale * g[gFrom + k]!);
	return sumOf(products, h);
}

/**
 * The series' order for the small matrices, position by position: W_V, W_K
 * (and W_Q at the last position) updated, then ∂e_t read from them, then
 * E[c_t] and P[t] updated. ∂V_t and ∂K_t are formed on the fly: the series
 * computes a_t·∂ctx_k and ∂s_t·Q_{n−1}[k] once and reads them back, the same
 * products.
 */
function seriesTail(model: AttentionModel, ids: ArrayLike<number>, at: number, lr: number, c: number, scratch: StepScratch): void {
	const {d, h, n, E, P, WQ, WK, WV} = model;
	const {e, Q, a, dCtx, dS, dQ, dE, products} = scratch;
	const last = n - 1;
	for (let t = 0; t < n; t++) {
		updateOuter(WV, e, t * d, d, h, a[t]!, dCtx, 0, lr, c);
		updateOuter(WK, e, t * d, d, h, dS[t]!, Q, last * h, lr, c);
		if (t === last) updateOuter(WQ, e, t * d, d, h, 1, dQ, 0, lr, c);
		for (let m = 0; m < d; m++) {
			let x = 0.0;
			x += rowDot(WV, m, h, a[t]!, dCtx, 0, products);
			x += rowDot(WK, m, h, dS[t]!, Q, last * h, products);
			if (t === last) x += rowDot(WQ, m, h, 1, dQ, 0, products);
			dE[t * d + m] = x;
		}
		const row = ids[at + t]! * d;
		for (let m = 0; m < d; m++) {
			const x = dE[t * d + m]!;
			const low = x < c ? x : c;
			E[row + m] = E[row + m]! - lr * (low > -c ? low : -c);
		}
		for (let m = 0; m < d; m++) {
			const x = dE[t * d + m]!;
			const low = x < c ? x : c;
			P[t * d + m] = P[t * d + m]! - lr * (low > -c ? low : -c);
		}
	}
}

/**
 * The true gradient's tail (plain.ts exactStep): every ∂e_t from W_V, W_K,
 * W_Q before any update; W_V's and W_K's gradients summed over the
 * positions (Python's sum()); then every entry clipped once and applied.
 */
function exactTail(model: AttentionModel, ids: ArrayLike<number>, at: number, lr: number, c: number, scratch: StepScratch): void {
	const {d, h, n, E, P, WQ, WK, WV} = model;
	const {e, Q, a, dCtx, dS, dQ, dE, products} = scratch;
	const last = n - 1;
	for (let t = 0; t < n; t++) {
		for (let m = 0; m < d; m++) {
			let x = 0.0;
			x += rowDot(WV, m, h, a[t]!, dCtx, 0, products);
			x += rowDot(WK, m, h, dS[t]!, Q, last * h, products);
			if (t === last) x += rowDot(WQ, m, h, 1, dQ, 0, products);
			dE[t * d + m] = x;
		}
	}
	const terms = new Float64Array(n);
	const apply = (W: Float64Array, index: number, g: number) => {
		const low = g < c ? g : c;
		W[index] = W[index]! - lr * (low > -c ? low : -c);
	};
	for (let m = 0; m < d; m++) {
		for (let k = 0; k < h; k++) {
			for (let t = 0; t < n; t++) terms[t] = e[t * d + m]! * (a[t]! * dCtx[k]!);
			apply(WV, m * h + k, pythonSum(terms));
		}
	}
	for (let m = 0; m < d; m++) {
		for (let k = 0; k < h; k++) {
			for (let t = 0; t < n; t++) terms[t] = e[t * d + m]! * (dS[t]! * Q[last * h + k]!);
			apply(WK, m * h + k, pythonSum(terms));
		}
	}
	for (let m = 0; m < d; m++) for (let k = 0; k < h; k++) apply(WQ, m * h + k, e[last * d + m]! * dQ[k]!);
	// A token's row of E: the sum of ∂e_t over the positions it fills, in position order, once per token.
	for (let t = 0; t < n; t++) {
		const id = ids[at + t]!;
		let first = true;
		for (let s = 0; s < t; s++) if (ids[at + s] === id) first = false;
		if (!first) continue;
		for (let m = 0; m < d; m++) {
			let count = 0;
			for (let s = t; s < n; s++) if (ids[at + s] === id) terms[count++] = dE[s * d + m]!;
			apply(E, id * d + m, pythonSum(terms.subarray(0, count)));
		}
	}
	for (let t = 0; t < n; t++) for (let m = 0; m < d; m++) apply(P, t * d + m, dE[t * d + m]!);
}
