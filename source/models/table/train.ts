/**
 * Training: softmax regression by plain stochastic gradient descent.
 *
 * The training pairs slide a window of n tokens over the whole token stream:
 * pair i has the context ids[i..i+n) and the target ids[i+n]. One epoch visits
 * every pair in corpus order and applies one SGD step to that pair's row only:
 *
 *   p = softmax(w[row])                        (max-subtracted)
 *   loss = -ln(max(p[target], 1e-12))          (measured before the step)
 *   w[row][j] -= lr * (p[j] - [j == target])   (the cross-entropy gradient)
 *
 * All weights start at 0. Per epoch we record the mean loss and the accuracy
 * (the share of pairs whose most likely token, before the step, is the
 * target).
 *
 * This is trainEpoch of source/reference.ts, the readable version, computed
 * exactly (every weight, loss and accuracy bit for bit; held equal by
 * test/models/table/full-table.test.ts), faster because:
 *  - only the rows of contexts that occur are stored, and in a row only the
 *    tokens that ever follow the context; the others share one value, which
 *    every step moves by the same −lr·p (model.ts);
 *  - the softmax adds those shared columns as one exact product, so a step
 *    costs the row's explicit columns, not V (sparseSoftmaxTerms);
 *  - wide rows take their exponentials on WebAssembly SIMD, and small
 *    models train wholly on WebAssembly (wasm-trainer.ts), with the same
 *    operations; threads split the rows (parallel.ts).
 */
import {KERNEL_MIN_COLUMNS, Model, sparseSoftmaxTerms, type ContextSize, type SparseRows} from './model.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {EpochResult} from '../next-token.js';
import {ARENA_SLOTS, arenaOf, createArena, kernelOn, type ExpKernel} from '../../numerics/exp-kernel.js';

export interface TrainingPairs {
	readonly n: ContextSize;
	readonly V: number;
	/** Stored row (slot) of each pair's context. */
	readonly pairRow: Int32Array;
	/** Target token id of each pair. */
	readonly pairTarget: Int32Array;
	/** Position of each pair's target among the explicit columns (an index into cols). */
	readonly pairColumn: Int32Array;
}

/**
 * The training pairs of a token stream, and a zero model whose rows are
 * exactly the contexts that occur, each with the targets that follow it as its
 * explicit columns.
 */
export function buildTraining(vocabulary: Vocabulary, ids: Int32Array, n: ContextSize): {model: Model; pairs: TrainingPairs} {
	const V = vocabulary.tokens.length;
	const pairCount = Math.max(0, ids.length - n);

	// Order the pairs by (context tokens..., target) with a stable counting sort
	// on each position, last first (LSD radix sort, V buckets a pass). The pairs
	// then come grouped by context in row-index order, and within a context by
	// target: one sweep numbers the rows and the explicit columns.
	let order = new Int32Array(pairCount);
	for (let i = 0; i < pairCount; i++) order[i] = i;
	let spare = new Int32Array(pairCount);
	const counts = new Int32Array(V + 1);
	for (let t = n; t >= 0; t--) {
		counts.fill(0);
		for (let i = 0; i < pairCount; i++) counts[ids[i + t]! + 1]!++;
		for (let v = 0; v < V; v++) counts[v + 1]! += counts[v]!;
		for (let k = 0; k < pairCount; k++) {
			const i = order[k]!;
			spare[counts[ids[i + t]!]!++] = i;
		}
		[order, spare] = [spare, order];
	}

	const pairRow = new Int32Array(pairCount);
	const pairTarget = new Int32Array(pairCount);
	const pairColumn = new Int32Array(pairCount);
	const contextList: number[] = [];
	const colList: number[] = [];
	const rowStarts: number[] = [0];
	let previous = -1;
	for (let k = 0; k < pairCount; k++) {
		const i = order[k]!;
		let newContext = previous < 0;
		for (let t = 0; t < n && !newContext; t++) if (ids[i + t] !== ids[previous + t]) newContext = true;
		const target = ids[i + n]!;
		if (newContext) {
			if (previous >= 0) rowStarts.push(colList.length);
			for (let t = 0; t < n; t++) contextList.push(ids[i + t]!);
			colList.push(target);
		} else if (target !== ids[previous + n]) {
			colList.push(target);
		}
		pairRow[i] = rowStarts.length - 1;
		pairTarget[i] = target;
		pairColumn[i] = colList.length - 1;
		previous = i;
	}
	if (pairCount > 0) rowStarts.push(colList.length);
	const rowCount = rowStarts.length - 1;

	// Shared memory, so worker threads can train disjoint sets of rows in
	// place: the weights in the WebAssembly kernel's memory where there is
	// one, so it reads and writes them where they are.
	let widest = 0;
	for (let r = 0; r < rowCount; r++) widest = Math.max(widest, rowStarts[r + 1]! - rowStarts[r]!);
	const arena = widest >= KERNEL_MIN_COLUMNS ? createArena(widest, colList.length) : undefined;
	const cols = sharedInt32(colList.length);
	cols.set(colList);
	const colStart = sharedInt32(Math.max(1, rowCount + 1));
	colStart.set(rowStarts.slice(0, rowCount + 1));

	const model = new Model(vocabulary, n, {
		contexts: Int32Array.from(contextList),
		colStart,
		cols,
		weights: arena?.weights ?? sharedFloat64(colList.length),
		shared: sharedFloat64(rowCount),
	});
	return {model, pairs: {n, V, pairRow, pairTarget, pairColumn}};
}

export function sharedInt32(length: number): Int32Array {
	return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function sharedFloat64(length: number): Float64Array {
	return new Float64Array(new SharedArrayBuffer(length * 8));
}

export type {EpochResult};

/** Loss and accuracy summed over a stretch of pairs. */
export interface StretchTotals {
	lossSum: number;
	correct: number;
}

const terms = new Float64Array(2);
/** Where trainStretch leaves the sum of its early reads (see there). */
const earlyReads = new Float64Array(1);
/** Pairs whose rows trainStretch reads ahead at a time (a power of two). */
const AHEAD = 16;

/** What trainStretch computes a row's exponentials in. */
export interface TrainingScratch {
	/** exp(w - max) of the row being trained, from index 0. */
	readonly exps: Float64Array;
	/** The WebAssembly loop for wide rows; its output is `exps`. */
	readonly kernel?: ExpKernel;
}

/**
 * Scratch for training `rows` (whose rows have at most `width` columns) on
 * thread `slot` (0 for the main thread): the WebAssembly kernel on the
 * model's arena when buildTraining made one, else plain arrays.
 */
export function trainingScratch(rows: Pick<SparseRows, 'weights'>, width: number, slot = 0): TrainingScratch {
	const arena = arenaOf(rows.weights);
	const kernel = arena && width >= KERNEL_MIN_COLUMNS && slot < ARENA_SLOTS ? kernelOn(arena, slot) : undefined;
	return kernel ? {exps: kernel.output, kernel} : {exps: new Float64Array(Math.max(1, width))};
}

/**
 * Train the pairs from..to (exclusive) in order, one SGD step each, adding
 * their loss and correct predictions to `totals`: the loop of trainEpoch in
 * source/reference.ts, on the sparse rows. This is the whole engine's
 * hot loop: flat arrays, no allocation, and after the softmax each explicit
 * column is touched once (probability, prediction, update, and the row's new
 * max, kept in `rowMax` so the next visit of the row skips finding it).
 * `rowMax` must hold each row's max score on entry (0 for zero rows).
 */
export function trainStretch(
	rows: SparseRows,
	pairs: TrainingPairs,
	lr: number,
	from: number,
	to: number,
	totals: StretchTotals,
	{exps: scratch, kernel}: TrainingScratch,
	rowMax: Float64Array,
	/** When given, each pair's loss is also stored at losses[lossIndex[i]] (for threads). */
	losses?: Float64Array,
	lossIndex?: Int32Array,
): void {
	const V = pairs.V;
	const {colStart, cols, weights, shared} = rows;
	const {pairRow, pairColumn} = pairs;
	let lossSum = totals.lossSum;
	let correct = totals.correct;
	// Early reads of the rows the next pairs train, AHEAD pairs at a time: a
	// rare context's row is far from the last one, and on Brown most steps
	// are on rows of a few columns, where waiting for memory is a third of the
	// time. Reading a batch of rows together lets their cache misses overlap
	// (the headers first, then the columns they point to). The reads are
	// summed into `touched`, stored once at the end, so the compiler keeps
	// them.
	let touched = 0;
	for (let i = from; i < to; i++) {
		if (((i - from) & (AHEAD - 1)) === 0) {
			const stop = Math.min(to, i + 2 * AHEAD);
			for (let a = i + AHEAD; a < stop; a++) {
				const ahead = pairRow[a]!;
				touched += colStart[ahead]! + shared[ahead]! + rowMax[ahead]!;
			}
			for (let a = i + AHEAD; a < stop; a++) {
				const aheadStart = colStart[pairRow[a]!]!;
				touched += weights[aheadStart]! + cols[aheadStart]!;
			}
		}
		const row = pairRow[i]!;
		const start = colStart[row]!;
		const end = colStart[row + 1]!;
		const targetAt = pairColumn[i]!;
		const s = shared[row]!;
		const hasShared = end - start < V;
		sparseSoftmaxTerms(V, weights, start, end, s, scratch, terms, rowMax[row]!, kernel);
		const sharedExp = terms[0]!;
		const total = terms[1]!;

		// Loss, before the step.
		const pTarget = scratch[targetAt - start]! / total;
		const loss = -Math.log(Math.max(pTarget, 1e-12));
		lossSum += loss;
		if (losses) losses[lossIndex![i]!] = loss;

		// The step: w -= lr * (p - [target]). The shared columns move together.
		const sharedP = sharedExp / total;
		const newShared = s - lr * sharedP;
		const newTarget = weights[targetAt]! - lr * (pTarget - 1);
		// One pass over the explicit columns: each probability, the most probable
		// of them (columns ascend, so only a larger p wins: ties go to the lowest
		// id), the update, and the new max in the order the softmax scans it.
		let best = -1;
		let bestP = -Infinity;
		let max = hasShared ? newShared : -Infinity;
		if (kernel !== undefined && end - start >= KERNEL_MIN_COLUMNS) {
			// The same pass on WebAssembly SIMD (sparseSoftmaxTerms left the row there).
			best = start + kernel.step(weights, start, end, total, lr, targetAt - start, newTarget);
			bestP = scratch[best - start]! / total;
			if (kernel.max > max) max = kernel.max;
		} else for (let e = start; e < end; e++) {
			const p = scratch[e - start]! / total;
			if (p > bestP) {
				bestP = p;
				best = e;
			}
			const w = e === targetAt ? newTarget : weights[e]! - lr * p;
			weights[e] = w;
			if (w > max) max = w;
		}
		shared[row] = newShared;
		rowMax[row] = max;

		// The prediction: the shared columns all have one probability; the lowest
		// of them is the first id missing from the explicit columns.
		let predicted = cols[best]!;
		if (hasShared && sharedP >= bestP) {
			let firstShared = 0;
			for (let e = start; e < end && cols[e] === firstShared; e++) firstShared++;
			if (sharedP > bestP || firstShared < predicted) predicted = firstShared;
		}
		if (predicted === cols[targetAt]) correct++;
	}
	totals.lossSum = lossSum;
	totals.correct = correct;
	earlyReads[0] = touched;
}

/** Largest number of explicit columns in one row: the scratch size trainStretch needs. */
export function widestRow(model: Model): number {
	const {colStart} = model.rows;
	let widest = 0;
	for (let r = 0; r + 1 < colStart.length; r++) widest = Math.max(widest, colStart[r + 1]! - colStart[r]!);
	return widest;
}
