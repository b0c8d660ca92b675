/**
 * The learned-embeddings model (rung 500 of the toy-gpt series), written to
 * be read: lists of lists and one named function per equation. The fast
 * trainer (train.ts) computes exactly these numbers on flat arrays, and
 * test/models/embeddings/plain.test.ts holds the two equal bit for bit.
 *
 * Each token has a learned vector of d numbers (its embedding, a row of E).
 * To predict the token after a context of n tokens, put the context's
 * vectors side by side (h, n·d numbers), score every vocabulary token with a
 * linear layer (W, n·d rows × V columns, and a bias b), and take the softmax:
 *
 *   h = concat(E[c_0], …, E[c_{n−1}])
 *   s_j = b_j + Σ_i h_i · W_ij
 *   p = softmax(s)
 *
 * A table model (source/reference.ts) can only repeat what followed a context
 * it saw; this one predicts from the tokens' vectors, so a context it never
 * saw still gets a distribution shaped by what similar tokens did.
 *
 * Arithmetic as the series' Python does it, so the numbers match to the last
 * printed digit: every score starts at b_j and adds h_i·W_ij for i = 0, 1, …;
 * the softmax's sum is Python's sum() (python-sum.ts); one SGD step per pair
 * updates W, then b, then E, and E's gradient is read from W *after* W's
 * update in the same step (seriesStep). The true gradient, from the
 * parameters before the step, is trueGradient; exactStep applies it.
 */
import {exp} from '../../numerics/exp.js';
import {pythonSum} from '../../numerics/python-sum.js';
import {PythonRandom} from '../../numerics/python-random.js';

export interface EmbeddingParameters {
	/** E: one row of d numbers per vocabulary token. */
	readonly E: number[][];
	/** W: n·d rows (the positions of h) × V columns. */
	readonly W: number[][];
	/** b: one number per vocabulary token. */
	readonly b: number[];
}

/**
 * The series' initialisation, after Python's random.seed(seed): every weight
 * of E, then of W, row by row, drawn from a Gaussian of mean 0 and standard
 * deviation `scale` (random.gauss(0.0, scale)); b = 0.
 */
export function initialParameters(V: number, d: number, n: number, seed: number, scale: number): EmbeddingParameters {
	const random = new PythonRandom(seed);
	const E = Array.from({length: V}, () => Array.from({length: d}, () => random.gauss(0.0, scale)));
	const W = Array.from({length: n * d}, () => Array.from({length: V}, () => random.gauss(0.0, scale)));
	return {E, W, b: new Array<number>(V).fill(0)};
}

/** h = concat(E[c_0], …, E[c_{n−1}]): the context's vectors side by side (a copy). */
export function concatenate(E: readonly (readonly number[])[], context: readonly number[]): number[] {
	return context.flatMap((id) => [...E[id]!]);
}

/** s_j = b_j + h_0·W_0j + h_1·W_1j + …, added in that order. */
export function linear(W: readonly (readonly number[])[], b: readonly number[], h: readonly number[]): number[] {
	const s = [...b];
	for (let i = 0; i < h.length; i++) for (let j = 0; j < s.length; j++) s[j] += h[i]! * W[i]![j]!;
	return s;
}

/** The series' softmax: e_j = exp(s_j − max s), p_j = e_j / sum(e) with Python's sum(). */
export function seriesSoftmax(s: readonly number[]): number[] {
	const max = Math.max(...s);
	const e = s.map((x) => exp(x - max));
	const total = pythonSum(e);
	return e.map((x) => x / total);
}

export interface Forward {
	readonly h: number[];
	readonly scores: number[];
	readonly p: number[];
}

/** The path of one prediction: h, the scores, the probabilities. */
export function forward(params: EmbeddingParameters, context: readonly number[]): Forward {
	const h = concatenate(params.E, context);
	const scores = linear(params.W, params.b, h);
	return {h, scores, p: seriesSoftmax(scores)};
}

/** ∂loss/∂s_j = p_j − [j = target], for loss = −ln p_target. */
export function scoreGradient(p: readonly number[], target: number): number[] {
	return p.map((pj, j) => pj - (j === target ? 1.0 : 0.0));
}

/** ∂loss/∂h_i = Σ_j W_ij · δ_j (Python's sum()), the gradient that reaches the embeddings. */
export function inputGradient(W: readonly (readonly number[])[], delta: readonly number[]): number[] {
	return W.map((row) => pythonSum(row.map((w, j) => w * delta[j]!)));
}

export interface Gradient {
	/** ∂loss/∂W_ij = h_i · δ_j. */
	readonly W: number[][];
	/** ∂loss/∂b_j = δ_j. */
	readonly b: number[];
	/** ∂loss/∂h: n·d numbers; position p's slice is the gradient of E[c_p]. */
	readonly h: number[];
}

/** The true gradient of −ln p_target, from the parameters as they are (before any update). */
export function trueGradient(params: EmbeddingParameters, context: readonly number[], target: number): Gradient {
	const {h, p} = forward(params, context);
	const delta = scoreGradient(p, target);
	return {W: h.map((hi) => delta.map((dj) => hi * dj)), b: delta, h: inputGradient(params.W, delta)};
}

/** The loss of one pair as the series takes it: −ln p_target, p clipped at 1e-12. */
export function pairLoss(p: readonly number[], target: number): number {
	return -Math.log(Math.max(p[target]!, 1e-12));
}

/** The most likely token; on a tie, the lowest id. */
export function argmax(p: readonly number[]): number {
	let best = 0;
	for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
	return best;
}

export interface StepResult {
	/** Loss and prediction before the step. */
	readonly loss: number;
	readonly predicted: number;
}

/**
 * One SGD step on one pair, in the series' order:
 *   δ = p − onehot(target)
 *   W_ij −= (lr·h_i)·δ_j        for every i, then j
 *   b_j −= lr·δ_j
 *   E[c_p][k] −= lr · Σ_j W_(p·d+k),j · δ_j    with W as just updated
 * The last line is not quite the gradient: W has already moved (exactStep
 * uses the W from before the step).
 */
export function seriesStep(params: EmbeddingParameters, context: readonly number[], target: number, lr: number): StepResult {
	const {E, W, b} = params;
	const {h, p} = forward(params, context);
	const delta = scoreGradient(p, target);
	for (let i = 0; i < h.length; i++) for (let j = 0; j < b.length; j++) W[i]![j]! -= lr * h[i]! * delta[j]!;
	for (let j = 0; j < b.length; j++) b[j]! -= lr * delta[j]!;
	const d = E[0]?.length ?? 0;
	const g = inputGradient(W, delta);
	context.forEach((id, position) => {
		for (let k = 0; k < d; k++) E[id]![k]! -= lr * g[position * d + k]!;
	});
	return {loss: pairLoss(p, target), predicted: argmax(p)};
}

/** One SGD step with the true gradient (trueGradient), applied in the same order as seriesStep. */
export function exactStep(params: EmbeddingParameters, context: readonly number[], target: number, lr: number): StepResult {
	const {E, W, b} = params;
	const {h, p} = forward(params, context);
	const delta = scoreGradient(p, target);
	const g = inputGradient(W, delta);
	for (let i = 0; i < h.length; i++) for (let j = 0; j < b.length; j++) W[i]![j]! -= lr * h[i]! * delta[j]!;
	for (let j = 0; j < b.length; j++) b[j]! -= lr * delta[j]!;
	const d = E[0]?.length ?? 0;
	context.forEach((id, position) => {
		for (let k = 0; k < d; k++) E[id]![k]! -= lr * g[position * d + k]!;
	});
	return {loss: pairLoss(p, target), predicted: argmax(p)};
}

export interface EpochFigures {
	readonly avgLoss: number;
	readonly accuracy: number;
}

/** One epoch: every pair once, in the order given; the loss summed with a plain +=, as the series does. */
export function trainEpoch(
	params: EmbeddingParameters,
	pairs: readonly {readonly context: readonly number[]; readonly target: number}[],
	lr: number,
	exactGradient = false,
): EpochFigures {
	let total = 0.0;
	let correct = 0;
	for (const {context, target} of pairs) {
		const step = (exactGradient ? exactStep : seriesStep)(params, context, target, lr);
		total += step.loss;
		if (step.predicted === target) correct++;
	}
	return {avgLoss: total / pairs.length, accuracy: correct / pairs.length};
}
