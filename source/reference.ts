/**
 * The model and its training, written to be read: start here.
 *
 * A context-n model is a table of scores, one row for each context of n
 * token ids and one column for each token of the vocabulary (V of them):
 * V^n rows of V weights, all zero at the start. To predict the token after a
 * context, take its row and turn the scores into probabilities with the
 * softmax. To train, slide a window of n tokens over the corpus; every window
 * and the token after it is a training pair, and each pair, in corpus order,
 * makes one step of stochastic gradient descent on its own row.
 *
 * This file does exactly that, the plain way, like the seed pipeline's
 * Python. It is the oracle: the fast engine (source/models/table/) computes
 * the same numbers bit for bit without ever building the V^n × V table, and
 * the tests hold it to this file (test/models/table/full-table.test.ts). It
 * is also real code in use: its softmax is the one every prediction takes
 * (Model.probabilities, sampling, the prompt and compare stages), and the
 * explorer's single training step reports its argmax, gradient and
 * crossEntropy. Two details make "the same numbers" possible at all:
 *  - exp is the engine's own (source/numerics/exp.ts), not Math.exp:
 *    WebAssembly has no exp instruction, so the engine's kernels compute it
 *    with the same steps as that JavaScript function, and every softmax,
 *    here included, calls it (it is also correctly rounded more often than
 *    Math.exp);
 *  - the softmax's sum is correctly rounded (source/numerics/exact-sum.ts,
 *    what Python's math.fsum returns): a loop's sum depends on the order of
 *    its additions, this one does not, so a sparse row (which adds its
 *    never-seen columns as one product) and SIMD lanes arrive at the same
 *    bits as the plain loop here.
 */
import {exp} from './numerics/exp.js';
import {roundedSum} from './numerics/exact-sum.js';
import {PythonRandom} from './numerics/python-random.js';

/** A training pair: the n token ids of the context, and the id that follows them. */
export interface Pair {
	readonly context: readonly number[];
	readonly target: number;
}

/** Every window of n tokens and the token after it, in corpus order. */
export function trainingPairs(ids: ArrayLike<number>, n: number): Pair[] {
	const pairs: Pair[] = [];
	for (let i = 0; i + n < ids.length; i++) {
		pairs.push({context: Array.from({length: n}, (_, t) => ids[i + t]!), target: ids[i + n]!});
	}
	return pairs;
}

/** The row of a context: its ids read as a number in base V, ((c0·V + c1)·V + c2)…; the unigram's one row is 0. */
export function rowIndex(context: readonly number[], V: number): number {
	let row = 0;
	for (const id of context) row = row * V + id;
	return row;
}

/**
 * softmax(z)_j = exp(z_j − max z) / Σ_k exp(z_k − max z).
 * Subtracting the max changes nothing mathematically and keeps exp from
 * overflowing.
 */
export function softmax(scores: ArrayLike<number>): Float64Array {
	let max = -Infinity;
	for (let j = 0; j < scores.length; j++) if (scores[j]! > max) max = scores[j]!;
	const p = new Float64Array(scores.length);
	for (let j = 0; j < scores.length; j++) p[j] = exp(scores[j]! - max);
	const total = roundedSum(p);
	for (let j = 0; j < scores.length; j++) p[j] = p[j]! / total;
	return p;
}

/** The loss of one pair: −ln p(target), with p clipped at 1e-12 as the original pipeline clips it. */
export function crossEntropy(p: ArrayLike<number>, target: number): number {
	return -Math.log(Math.max(p[target]!, 1e-12));
}

/** The most likely token; on a tie, the lowest id (the first one found). */
export function argmax(p: ArrayLike<number>): number {
	let best = 0;
	for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
	return best;
}

/**
 * The gradient of the cross-entropy with respect to the row's scores:
 * ∂loss/∂z_j = p_j − y_j, where y is 1 at the target and 0 elsewhere.
 */
export function gradient(p: ArrayLike<number>, target: number): Float64Array {
	return Float64Array.from(p, (pj, j) => pj - (j === target ? 1 : 0));
}

/** One step of gradient descent on a row: w_j ← w_j − lr · g_j. */
export function sgdStep(row: Float64Array, g: ArrayLike<number>, lr: number): void {
	for (let j = 0; j < row.length; j++) row[j] = row[j]! - lr * g[j]!;
}

/** The full table: V^n rows of V weights, row-major. */
export interface Table {
	readonly V: number;
	readonly n: number;
	readonly weights: Float64Array;
}

export function zeroTable(V: number, n: number): Table {
	return {V, n, weights: new Float64Array(V ** n * V)};
}

/** The scores of a context: its row of the table (a view, so a step on it changes the table). */
export function rowOf(table: Table, context: readonly number[]): Float64Array {
	const start = rowIndex(context, table.V) * table.V;
	return table.weights.subarray(start, start + table.V);
}

/** What an epoch records: the mean loss and the share of pairs predicted right, both measured before each pair's step. */
export interface EpochLog {
	readonly avgLoss: number;
	readonly accuracy: number;
}

/** One pass over the pairs in corpus order, one step each. */
export function trainEpoch(table: Table, pairs: readonly Pair[], lr: number): EpochLog {
	let lossSum = 0;
	let correct = 0;
	for (const {context, target} of pairs) {
		const row = rowOf(table, context);
		const p = softmax(row);
		lossSum += crossEntropy(p, target);
		if (argmax(p) === target) correct++;
		sgdStep(row, gradient(p, target), lr);
	}
	return {avgLoss: lossSum / pairs.length, accuracy: correct / pairs.length};
}

export interface FullResult {
	readonly weights: Float64Array;
	readonly log: EpochLog[];
}

/**
 * Train a context-n table on a corpus's token ids for some epochs, from zero
 * weights. With `shuffleSeed`, before each epoch the pairs are shuffled in
 * place as Python's random.Random(shuffleSeed).shuffle(pairs) shuffles a list
 * (one generator for the whole run); without it, corpus order, as the
 * original pipeline trains.
 */
export function trainFullTable(ids: ArrayLike<number>, V: number, n: number, lr: number, epochs: number, shuffleSeed?: number): FullResult {
	const table = zeroTable(V, n);
	const pairs = trainingPairs(ids, n);
	const random = shuffleSeed === undefined ? undefined : new PythonRandom(shuffleSeed);
	const log: EpochLog[] = [];
	for (let epoch = 0; epoch < epochs; epoch++) {
		random?.shuffle(pairs);
		log.push(trainEpoch(table, pairs, lr));
	}
	return {weights: table.weights, log};
}

/** The next-token probabilities the table gives a context. */
export function nextTokenProbabilities(table: Table, context: readonly number[]): Float64Array {
	return softmax(rowOf(table, context));
}

/**
 * What scoring pairs records, the table as it stands (no step is taken):
 * the mean loss, the share predicted right, and the coverage, the share of
 * the pairs whose context the training pairs contain (a context they lack
 * has a row that never moved from zero: the uniform guess, loss ln V).
 */
export interface Score {
	readonly avgLoss: number;
	readonly accuracy: number;
	readonly coverage: number;
}

/** Score pairs the table did not train on (held out), knowing the pairs it trained on. */
export function scorePairs(table: Table, pairs: readonly Pair[], trainedOn: readonly Pair[]): Score {
	const seen = new Set(trainedOn.map((pair) => rowIndex(pair.context, table.V)));
	let lossSum = 0;
	let correct = 0;
	let covered = 0;
	for (const {context, target} of pairs) {
		const p = softmax(rowOf(table, context));
		lossSum += crossEntropy(p, target);
		if (argmax(p) === target) correct++;
		if (seen.has(rowIndex(context, table.V))) covered++;
	}
	return {avgLoss: lossSum / pairs.length, accuracy: correct / pairs.length, coverage: covered / pairs.length};
}

/**
 * The entropy of the next token given its context, from counts over the
 * pairs, in nats: the average over the pairs of −ln(count(context, next) /
 * count(context)). No context-n table does better on these pairs than the
 * one whose rows are those frequencies, so this is the lowest average
 * training loss a table can reach (SGD tends to it as its rows settle). With
 * n = 0 it is the unigram entropy of the targets.
 */
export function conditionalEntropy(pairs: readonly Pair[]): number {
	const counts = new Map<string, Map<number, number>>();
	for (const {context, target} of pairs) {
		const key = context.join(',');
		const row = counts.get(key) ?? new Map<number, number>();
		row.set(target, (row.get(target) ?? 0) + 1);
		counts.set(key, row);
	}
	let sum = 0;
	for (const {context, target} of pairs) {
		const row = counts.get(context.join(','))!;
		let total = 0;
		for (const c of row.values()) total += c;
		sum += -Math.log(row.get(target)! / total);
	}
	return sum / pairs.length;
}
