/**
 * The single-head attention model (rung 600 of the toy-gpt series), written
 * to be read: lists of lists and one named function per equation. The fast
 * trainer (train.ts) computes exactly these numbers on flat arrays, and
 * test/models/attention/plain.test.ts holds the two equal bit for bit.
 *
 * The embeddings model (../embeddings/plain.ts) puts the context's vectors
 * side by side and weighs every position the same way, whatever the tokens.
 * Attention lets the last position decide which positions matter:
 *
 *   e_t = E[c_t] + P[t]                      token vector plus position vector
 *   Q_t = e_t·W_Q,  K_t = e_t·W_K,  V_t = e_t·W_V
 *   s_j = (Q_{n−1} · K_j) / √h               how well the last position's query matches key j
 *   a = softmax(s)                           the attention weights, one per position
 *   ctx = Σ_j a_j · V_j                      what the attended positions contribute
 *   scores_j = b_j + Σ_k ctx_k · W_out[k][j]
 *   p = softmax(scores)
 *
 * Arithmetic as the series' Python does it, so the numbers match to the last
 * printed digit: projections, ctx and scores are plain `+=` loops starting
 * at 0.0 (the scores at b); every other Σ is Python's sum() (python-sum.ts).
 * One SGD step per pair, in the series' order, each gradient entry clipped to
 * [−c, c] (seriesStep). trueGradient is the gradient of the loss from the
 * parameters as they are; exactStep applies it, clipped the same way.
 */
import {pythonSum} from '../../numerics/python-sum.js';
import {PythonRandom} from '../../numerics/python-random.js';
import {argmax, pairLoss, seriesSoftmax} from '../embeddings/plain.js';

export interface AttentionParameters {
	/** E: one row of d numbers per vocabulary token. */
	readonly E: number[][];
	/** P: one row of d numbers per context position. */
	readonly P: number[][];
	/** W_Q, W_K, W_V: d rows × h columns each. */
	readonly WQ: number[][];
	readonly WK: number[][];
	readonly WV: number[][];
	/** W_out: h rows × V columns. */
	readonly Wout: number[][];
	/** b: one number per vocabulary token. */
	readonly b: number[];
}

export interface AttentionShape {
	readonly V: number;
	/** Embedding dimension. */
	readonly d: number;
	/** Head dimension (the size of Q, K, V and ctx). */
	readonly h: number;
	/** Context size. */
	readonly n: number;
}

function gaussianRows(random: PythonRandom, rows: number, cols: number, scale: number): number[][] {
	return Array.from({length: rows}, () => Array.from({length: cols}, () => random.gauss(0.0, scale)));
}

/**
 * The series' initialisation, after Python's random.seed(seed): E, P, W_Q,
 * W_K, W_V, W_out in that order, each row by row, every number drawn with
 * random.gauss(0.0, scale); b = 0.
 */
export function initialParameters({V, d, h, n}: AttentionShape, seed: number, scale: number): AttentionParameters {
	const random = new PythonRandom(seed);
	const E = gaussianRows(random, V, d, scale);
	const P = gaussianRows(random, n, d, scale);
	const WQ = gaussianRows(random, d, h, scale);
	const WK = gaussianRows(random, d, h, scale);
	const WV = gaussianRows(random, d, h, scale);
	const Wout = gaussianRows(random, h, V, scale);
	return {E, P, WQ, WK, WV, Wout, b: new Array<number>(V).fill(0)};
}

/** 1/√h, computed once as the series does (1.0 / math.sqrt(h)). */
export function attentionScale(h: number): number {
	return 1.0 / Math.sqrt(h);
}

/** The series' clip: max(−c, min(c, x)) as Python's min and max compute it (a NaN becomes c). */
export function clip(x: number, c: number): number {
	const low = x < c ? x : c;
	return low > -c ? low : -c;
}

/** e_t = E[c_t] + P[t], elementwise, for every position t. */
export function embed(params: AttentionParameters, context: readonly number[]): number[][] {
	return context.map((id, t) => params.E[id]!.map((x, k) => x + params.P[t]![k]!));
}

/** y_k = Σ_m x_m · W[m][k], added for m = 0, 1, … from 0.0. */
export function project(x: readonly number[], W: readonly (readonly number[])[]): number[] {
	const y = new Array<number>(W[0]?.length ?? 0).fill(0.0);
	for (let m = 0; m < x.length; m++) for (let k = 0; k < y.length; k++) y[k] += x[m]! * W[m]![k]!;
	return y;
}

/** a · b with Python's sum(). */
export function dot(a: readonly number[], b: readonly number[]): number {
	return pythonSum(a.map((x, k) => x * b[k]!));
}

export interface Forward {
	/** e_t, one row per position. */
	readonly e: number[][];
	readonly Q: number[][];
	readonly K: number[][];
	readonly V: number[][];
	/** s_j: the last position's query against every key, scaled. */
	readonly attentionScores: number[];
	/** a = softmax(s). */
	readonly a: number[];
	readonly ctx: number[];
	readonly scores: number[];
	readonly p: number[];
}

/** The path of one prediction. */
export function forward(params: AttentionParameters, context: readonly number[]): Forward {
	const e = embed(params, context);
	const Q = e.map((x) => project(x, params.WQ));
	const K = e.map((x) => project(x, params.WK));
	const V = e.map((x) => project(x, params.WV));
	const h = params.WQ[0]?.length ?? 0;
	const scale = attentionScale(h);
	const last = Q[Q.length - 1]!;
	const attentionScores = K.map((Kj) => dot(last, Kj) * scale);
	const a = seriesSoftmax(attentionScores);
	const ctx = new Array<number>(h).fill(0.0);
	for (let j = 0; j < V.length; j++) for (let k = 0; k < h; k++) ctx[k] += a[j]! * V[j]![k]!;
	const scores = [...params.b];
	for (let k = 0; k < h; k++) for (let j = 0; j < scores.length; j++) scores[j] += ctx[k]! * params.Wout[k]![j]!;
	return {e, Q, K, V, attentionScores, a, ctx, scores, p: seriesSoftmax(scores)};
}

/** ∂loss/∂scores_j = p_j − [j = target], for loss = −ln p_target. */
export function scoreGradient(p: readonly number[], target: number): number[] {
	return p.map((pj, j) => pj - (j === target ? 1.0 : 0.0));
}

/** Through a softmax a = softmax(s): ∂/∂s_i = a_i · (g_i − Σ_j a_j·g_j). */
export function softmaxBackward(a: readonly number[], g: readonly number[]): number[] {
	const mean = pythonSum(a.map((aj, j) => aj * g[j]!));
	return a.map((ai, i) => ai * (g[i]! - mean));
}

/** What the output's error asks of the attention, given W_out (the series passes the updated one). */
export interface AttentionGradients {
	/** ∂/∂ctx_k = Σ_j W_out[k][j] · δ_j. */
	readonly dCtx: number[];
	/** ∂/∂V_t = a_t · ∂/∂ctx. */
	readonly dV: number[][];
	/** ∂/∂s_j (already multiplied by the scale). */
	readonly dS: number[];
	/** ∂/∂Q_{n−1}, the last position's query: Σ_j ∂s_j · K_j. */
	readonly dQ: number[];
	/** ∂/∂K_t = ∂s_t · Q_{n−1}. */
	readonly dK: number[][];
}

export function attentionGradients(f: Forward, Wout: readonly (readonly number[])[], delta: readonly number[]): AttentionGradients {
	const h = f.ctx.length;
	const n = f.a.length;
	const scale = attentionScale(h);
	const dCtx = Wout.map((row) => dot(row, delta));
	const dV = f.a.map((at) => dCtx.map((g) => at * g));
	const dA = f.V.map((Vt) => dot(dCtx, Vt));
	const dS = softmaxBackward(f.a, dA).map((x) => x * scale);
	const dQ = Array.from({length: h}, (_, k) => pythonSum(dS.map((s, j) => s * f.K[j]![k]!)));
	const dK = dS.map((s) => f.Q[n - 1]!.map((q) => s * q));
	return {dCtx, dV, dS, dQ, dK};
}

/**
 * ∂loss/∂e_t[m] = Σ_k W_V[m][k]·∂V_t[k] + Σ_k W_K[m][k]·∂K_t[k]
 *                 (+ Σ_k W_Q[m][k]·∂Q[k] at the last position),
 * each Σ a Python sum(), added to 0.0 in that order.
 */
export function embeddingGradient(params: AttentionParameters, g: AttentionGradients, t: number): number[] {
	const last = t === g.dK.length - 1;
	return params.WV.map((_, m) => {
		let x = 0.0;
		x += dot(params.WV[m]!, g.dV[t]!);
		x += dot(params.WK[m]!, g.dK[t]!);
		if (last) x += dot(params.WQ[m]!, g.dQ);
		return x;
	});
}

/** W[m][k] −= lr·clip(x_m · g_k), for m then k. */
function updateOuter(W: number[][], x: readonly number[], g: readonly number[], lr: number, c: number): void {
	for (let m = 0; m < W.length; m++) for (let k = 0; k < g.length; k++) W[m]![k]! -= lr * clip(x[m]! * g[k]!, c);
}

/** v_k −= lr·clip(g_k). */
function updateVector(v: number[], g: readonly number[], lr: number, c: number): void {
	for (let k = 0; k < g.length; k++) v[k]! -= lr * clip(g[k]!, c);
}

export interface StepResult {
	/** Loss and prediction before the step. */
	readonly loss: number;
	readonly predicted: number;
}

/**
 * One SGD step on one pair, in the series' order:
 *   δ = p − onehot(target)
 *   W_out[k][j] −= lr·clip(ctx_k·δ_j);  b_j −= lr·clip(δ_j)
 *   the attention gradients (attentionGradients) from the *updated* W_out
 *   for each position t: W_V, W_K (and W_Q at the last position) −= lr·clip(e_t ⊗ ∂),
 *     then ∂e_t from those *updated* matrices, and
 *     E[c_t] −= lr·clip(∂e_t), P[t] −= lr·clip(∂e_t)
 * e_t stays the forward pass's value throughout.
 */
export function seriesStep(params: AttentionParameters, context: readonly number[], target: number, lr: number, c: number): StepResult {
	const f = forward(params, context);
	const delta = scoreGradient(f.p, target);
	updateOuter(params.Wout, f.ctx, delta, lr, c);
	updateVector(params.b, delta, lr, c);
	const g = attentionGradients(f, params.Wout, delta);
	const n = context.length;
	for (let t = 0; t < n; t++) {
		updateOuter(params.WV, f.e[t]!, g.dV[t]!, lr, c);
		updateOuter(params.WK, f.e[t]!, g.dK[t]!, lr, c);
		if (t === n - 1) updateOuter(params.WQ, f.e[t]!, g.dQ, lr, c);
		const dE = embeddingGradient(params, g, t);
		updateVector(params.E[context[t]!]!, dE, lr, c);
		updateVector(params.P[t]!, dE, lr, c);
	}
	return {loss: pairLoss(f.p, target), predicted: argmax(f.p)};
}

/** The gradient of one pair's loss, shaped like the parameters. */
export type Gradient = AttentionParameters;

/** Σ_t x_t[m]·g_t[k] over the positions, a Python sum(). */
function outerSum(xs: readonly (readonly number[])[], gs: readonly (readonly number[])[]): number[][] {
	return xs[0]!.map((_, m) => gs[0]!.map((_, k) => pythonSum(xs.map((x, t) => x[m]! * gs[t]![k]!))));
}

/**
 * The true gradient of −ln p_target from the parameters as they are. W_V and
 * W_K gather every position's share, W_Q the last position's; P[t] gets
 * ∂e_t, and a token's row of E the sum of ∂e_t over the positions it fills
 * (in position order); every other row of E is zero.
 */
export function trueGradient(params: AttentionParameters, context: readonly number[], target: number): Gradient {
	const f = forward(params, context);
	const delta = scoreGradient(f.p, target);
	const g = attentionGradients(f, params.Wout, delta);
	const n = context.length;
	const dE = context.map((_, t) => embeddingGradient(params, g, t));
	const E = params.E.map((row) => row.map(() => 0));
	for (const id of new Set(context)) {
		const positions = context.flatMap((c, t) => (c === id ? [t] : []));
		E[id] = E[id]!.map((_, m) => pythonSum(positions.map((t) => dE[t]![m]!)));
	}
	return {
		E,
		P: dE,
		WQ: f.e[n - 1]!.map((x) => g.dQ.map((q) => x * q)),
		WK: outerSum(f.e, g.dK),
		WV: outerSum(f.e, g.dV),
		Wout: f.ctx.map((x) => delta.map((dj) => x * dj)),
		b: delta,
	};
}

/**
 * One SGD step with the true gradient (trueGradient), each entry clipped
 * once, applied as W_out, b, W_V, W_K, W_Q, then the context's rows of E (each
 * once, in order of first appearance), then P.
 */
export function exactStep(params: AttentionParameters, context: readonly number[], target: number, lr: number, c: number): StepResult {
	const {p} = forward(params, context);
	const g = trueGradient(params, context, target);
	// Every gradient is known before any update, so the order of the tables changes no number.
	params.Wout.forEach((row, k) => updateVector(row, g.Wout[k]!, lr, c));
	updateVector(params.b, g.b, lr, c);
	for (const name of ['WV', 'WK', 'WQ'] as const) params[name].forEach((row, m) => updateVector(row, g[name][m]!, lr, c));
	for (const id of new Set(context)) updateVector(params.E[id]!, g.E[id]!, lr, c);
	params.P.forEach((row, t) => updateVector(row, g.P[t]!, lr, c));
	return {loss: pairLoss(p, target), predicted: argmax(p)};
}

export interface EpochFigures {
	readonly avgLoss: number;
	readonly accuracy: number;
}

/** One epoch: every pair once, in the order given; the loss summed with a plain +=, as the series does. */
export function trainEpoch(
	params: AttentionParameters,
	pairs: readonly {readonly context: readonly number[]; readonly target: number}[],
	lr: number,
	c: number,
	exactGradient = false,
): EpochFigures {
	let total = 0.0;
	let correct = 0;
	for (const {context, target} of pairs) {
		const step = (exactGradient ? exactStep : seriesStep)(params, context, target, lr, c);
		total += step.loss;
		if (step.predicted === target) correct++;
	}
	return {avgLoss: total / pairs.length, accuracy: correct / pairs.length};
}
