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

/**
 * x read back from a Float64Array: the same number, but one the JIT holds
 * as a double. The learning rate and the clip arrive as arguments, which the
 * JIT keeps boxed; used as they are in `W − lr·clip(x)`, every entry
 * updated made a new heap number (measured: 360 MB in 30 epochs of the
 * analytics corpus, about 30 KB a step, against 8 MB once both are read
 * through here), and a clip given as a whole number (1) is a small integer
 * besides. Each function of the step reads them through this once.
 */
const DOUBLE = new Float64Array(1);
function asDouble(x: number): number {
	DOUBLE[0] = x;
	return DOUBLE[0]!;
}


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
	/** ∂V_t and ∂K_t of the position being updated. */
	readonly gV: Float64Array;
	readonly gK: Float64Array;
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
		gV: new Float64Array(h),
		gK: new Float64Array(h),
	};
}

/**
 * Python's sum() (python-sum.ts pythonSum, Neumaier) of the first `length`
 * products. Neumaier adds, at each step, the rounding error of t = f + x,
 * found with a branch on |f| ≥ |x|; that error is exact, so Knuth's TwoSum,
 * which finds the same exact error without the branch, gives the same bits
 * (and, where a sum overflows, a non-finite c all the same, so f is
 * returned either way). On this machine the branch mispredicts often: the
 * branch-free form is what makes these sums cheap. plain.test.ts holds the
 * step equal to plain.ts, which calls pythonSum.
 */
function sumOf(products: Float64Array, length: number): number {
	let f = 0.0;
	let c = 0.0;
	for (let i = 0; i < length; i++) {
		const x = products[i]!;
		const t = f + x;
		const back = t - f;
		c += f - (t - back) + (x - back);
		f = t;
	}
	return c !== 0 && Number.isFinite(c) ? f + c : f;
}

/**
 * One step on the pair (ids[at..at+n), ids[at+n]). Returns the loss before
 * the step; `outcome[0]` is 1 when the prediction before the step (argmax p,
 * lowest id on a tie) was the target, else 0. Afterwards the scratch holds
 * the step's a, δ (in p), ∂ctx and every ∂e_t.
 */
export function fastStep(model: AttentionModel, ids: ArrayLike<number>, at: number, lrArg: number, clipAt: number, exactGradient: boolean, scratch: StepScratch, outcome: Int32Array): number {
	const c = asDouble(clipAt);
	const lr = asDouble(lrArg);
	const {V: vocab, d, h, n, E, P, WQ, WK, WV, Wout, b, scale} = model;
	const {e, Q, K, V, a, ctx, p, dCtx, dS, dQ, products} = scratch;
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
	// the same pass (from the updated entry; the entry before, for the true
	// gradient). Two rows at a time: their sums are independent, so the
	// processor overlaps them; each still adds its j in order.
	for (k = 0; k < h; k += 2) {
		const two = k + 1 < h;
		const c0 = ctx[k]!;
		const c1 = two ? ctx[k + 1]! : 0.0;
		const r0 = k * vocab;
		const r1 = two ? r0 + vocab : r0;
		let f0 = 0.0;
		let e0 = 0.0;
		let f1 = 0.0;
		let e1 = 0.0;
		for (let j = 0; j < vocab; j++) {
			const dj = p[j]!;
			const x0 = c0 * dj;
			const low0 = x0 < c ? x0 : c;
			const old0 = Wout[r0 + j]!;
			const new0 = old0 - lr * (low0 > -c ? low0 : -c);
			Wout[r0 + j] = new0;
			// Python's sum(), branch-free as in sumOf.
			const y0 = (exactGradient ? old0 : new0) * dj;
			const t0 = f0 + y0;
			const back0 = t0 - f0;
			e0 += f0 - (t0 - back0) + (y0 - back0);
			f0 = t0;
			if (!two) continue;
			const x1 = c1 * dj;
			const low1 = x1 < c ? x1 : c;
			const old1 = Wout[r1 + j]!;
			const new1 = old1 - lr * (low1 > -c ? low1 : -c);
			Wout[r1 + j] = new1;
			const y1 = (exactGradient ? old1 : new1) * dj;
			const t1 = f1 + y1;
			const back1 = t1 - f1;
			e1 += f1 - (t1 - back1) + (y1 - back1);
			f1 = t1;
		}
		dCtx[k] = e0 !== 0 && Number.isFinite(e0) ? f0 + e0 : f0;
		if (two) dCtx[k + 1] = e1 !== 0 && Number.isFinite(e1) ? f1 + e1 : f1;
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

/** Σ_k W[m][k]·(gScale·g[gFrom + k]), a Python sum() (branch-free, as sumOf), the products summed as they are made. */
function rowDot(W: Float64Array, m: number, h: number, gScale: number, g: Float64Array, gFrom: number): number {
	let f = 0.0;
	let c = 0.0;
	const row = m * h;
	for (let k = 0; k < h; k++) {
		const x = W[row + k]! * (gScale * g[gFrom + k]!);
		const t = f + x;
		const back = t - f;
		c += f - (t - back) + (x - back);
		f = t;
	}
	return c !== 0 && Number.isFinite(c) ? f + c : f;
}

/**
 * The series' order for the small matrices, position by position: W_V, W_K
 * (and W_Q at the last position) updated, then ∂e_t read from them, then
 * E[c_t] and P[t] updated. ∂V_t and ∂K_t are formed on the fly: the series
 * computes a_t·∂ctx_k and ∂s_t·Q_{n−1}[k] once and reads them back, the same
 * products.
 */
function seriesTail(model: AttentionModel, ids: ArrayLike<number>, at: number, lrArg: number, clipAt: number, scratch: StepScratch): void {
	const c = asDouble(clipAt);
	const lr = asDouble(lrArg);
	const {d, h, n, E, P, WQ, WK, WV} = model;
	const {e, Q, a, dCtx, dS, dQ, dE, gV, gK} = scratch;
	const last = n - 1;
	for (let t = 0; t < n; t++) {
		// ∂V_t[k] = a_t·∂ctx_k and ∂K_t[k] = ∂s_t·Q_{n−1}[k], the series' products.
		for (let k = 0; k < h; k++) {
			gV[k] = a[t]! * dCtx[k]!;
			gK[k] = dS[t]! * Q[last * h + k]!;
		}
		const withQ = t === last;
		// W_V, W_K (and W_Q) −= lr·clip(e_t[m]·∂[k]): three tables, each entry
		// updated once, so one pass over (m, k) for all three is their
		// updates one table after the other, to the bit. Written out here
		// rather than in a helper: a call that is not inlined boxes each
		// number it passes, and those boxes cost a tenth of the step in
		// garbage collection.
		for (let m = 0; m < d; m++) {
			const em = e[t * d + m]!;
			const row = m * h;
			for (let k = 0; k < h; k++) {
				const v = em * gV[k]!;
				const lowV = v < c ? v : c;
				WV[row + k] = WV[row + k]! - lr * (lowV > -c ? lowV : -c);
				const w = em * gK[k]!;
				const lowK = w < c ? w : c;
				WK[row + k] = WK[row + k]! - lr * (lowK > -c ? lowK : -c);
				if (withQ) {
					const q = em * dQ[k]!;
					const lowQ = q < c ? q : c;
					WQ[row + k] = WQ[row + k]! - lr * (lowQ > -c ? lowQ : -c);
				}
			}
		}
		// ∂e_t[m] = ((0 + Σ_k W_V[m][k]·∂V_t[k]) + Σ_k W_K[m][k]·∂K_t[k]) (+ Σ_k W_Q[m][k]·∂Q[k]),
		// each Σ Python's sum() (branch-free, as sumOf), from the tables just updated.
		for (let m = 0; m < d; m++) {
			const row = m * h;
			let fV = 0.0;
			let eV = 0.0;
			let fK = 0.0;
			let eK = 0.0;
			let fQ = 0.0;
			let eQ = 0.0;
			for (let k = 0; k < h; k++) {
				const xV = WV[row + k]! * gV[k]!;
				const tV = fV + xV;
				const bV = tV - fV;
				eV += fV - (tV - bV) + (xV - bV);
				fV = tV;
				const xK = WK[row + k]! * gK[k]!;
				const tK = fK + xK;
				const bK = tK - fK;
				eK += fK - (tK - bK) + (xK - bK);
				fK = tK;
				if (withQ) {
					const xQ = WQ[row + k]! * dQ[k]!;
					const tQ = fQ + xQ;
					const bQ = tQ - fQ;
					eQ += fQ - (tQ - bQ) + (xQ - bQ);
					fQ = tQ;
				}
			}
			let x = 0.0;
			x += eV !== 0 && Number.isFinite(eV) ? fV + eV : fV;
			x += eK !== 0 && Number.isFinite(eK) ? fK + eK : fK;
			if (withQ) x += eQ !== 0 && Number.isFinite(eQ) ? fQ + eQ : fQ;
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
function exactTail(model: AttentionModel, ids: ArrayLike<number>, at: number, lrArg: number, clipAt: number, scratch: StepScratch): void {
	const c = asDouble(clipAt);
	const lr = asDouble(lrArg);
	const {d, h, n, E, P, WQ, WK, WV} = model;
	const {e, Q, a, dCtx, dS, dQ, dE} = scratch;
	const last = n - 1;
	for (let t = 0; t < n; t++) {
		for (let m = 0; m < d; m++) {
			let x = 0.0;
			x += rowDot(WV, m, h, a[t]!, dCtx, 0);
			x += rowDot(WK, m, h, dS[t]!, Q, last * h);
			if (t === last) x += rowDot(WQ, m, h, 1, dQ, 0);
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
