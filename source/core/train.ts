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
 */
import {contextKeyFunction, Model, sparseSoftmaxTerms, type ContextSize, type SparseRows} from './model.js';
import type {Vocabulary} from './vocabulary.js';

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
	const key = contextKeyFunction(V, n);

	// Distinct contexts, numbered by first occurrence, then renumbered in row-index order.
	const firstSlot = new Map<number | string, number>();
	const firstAt: number[] = [];
	const pairFirst = new Int32Array(pairCount);
	for (let i = 0; i < pairCount; i++) {
		const k = key(ids, i);
		let s = firstSlot.get(k);
		if (s === undefined) {
			s = firstAt.length;
			firstSlot.set(k, s);
			firstAt.push(i);
		}
		pairFirst[i] = s;
	}
	const rowCount = firstAt.length;
	const order = Array.from({length: rowCount}, (_, s) => s);
	order.sort((x, y) => {
		const a = firstAt[x]!;
		const b = firstAt[y]!;
		for (let t = 0; t < n; t++) {
			const d = ids[a + t]! - ids[b + t]!;
			if (d !== 0) return d;
		}
		return 0;
	});
	const rank = new Int32Array(rowCount);
	order.forEach((s, r) => (rank[s] = r));
	const contexts = new Int32Array(rowCount * n);
	for (let r = 0; r < rowCount; r++) contexts.set(ids.subarray(firstAt[order[r]!]!, firstAt[order[r]!]! + n), r * n);

	const pairRow = new Int32Array(pairCount);
	const pairTarget = new Int32Array(pairCount);
	for (let i = 0; i < pairCount; i++) {
		pairRow[i] = rank[pairFirst[i]!]!;
		pairTarget[i] = ids[i + n]!;
	}

	// Explicit columns: the distinct (row, target) pairs, sorted.
	const combined = new Float64Array(pairCount);
	for (let i = 0; i < pairCount; i++) combined[i] = pairRow[i]! * V + pairTarget[i]!;
	const sorted = combined.slice().sort();
	let distinct = 0;
	for (let i = 0; i < pairCount; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
	// Shared memory, so worker threads can train disjoint sets of rows in place.
	const cols = sharedInt32(distinct);
	const colStart = sharedInt32(rowCount + 1);
	for (let e = 0; e < distinct; e++) {
		const row = Math.floor(sorted[e]! / V);
		cols[e] = sorted[e]! - row * V;
		colStart[row + 1]!++;
	}
	for (let r = 0; r < rowCount; r++) colStart[r + 1]! += colStart[r]!;

	const pairColumn = new Int32Array(pairCount);
	for (let i = 0; i < pairCount; i++) {
		// Binary search of the target among its row's columns.
		let lo = colStart[pairRow[i]!]!;
		let hi = colStart[pairRow[i]! + 1]! - 1;
		const t = pairTarget[i]!;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cols[mid]! < t) lo = mid + 1;
			else hi = mid;
		}
		pairColumn[i] = lo;
	}

	const model = new Model(vocabulary, n, {
		contexts,
		colStart,
		cols,
		weights: sharedFloat64(distinct),
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

export interface EpochResult {
	readonly epoch: number;
	readonly avgLoss: number;
	readonly accuracy: number;
}

/** Loss and accuracy summed over a stretch of pairs. */
export interface StretchTotals {
	lossSum: number;
	correct: number;
}

const terms = new Float64Array(2);

/**
 * Train the pairs from..to (exclusive) in order, one SGD step each, adding
 * their loss and correct predictions to `totals`. This is the whole engine's
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
	scratch: Float64Array,
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
	for (let i = from; i < to; i++) {
		const row = pairRow[i]!;
		const start = colStart[row]!;
		const end = colStart[row + 1]!;
		const targetAt = pairColumn[i]!;
		const s = shared[row]!;
		const hasShared = end - start < V;
		sparseSoftmaxTerms(V, cols, weights, start, end, s, scratch, terms, rowMax[row]!);
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
		for (let e = start; e < end; e++) {
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
}

/** Largest number of explicit columns in one row: the scratch size trainStretch needs. */
export function widestRow(model: Model): number {
	const {colStart} = model.rows;
	let widest = 0;
	for (let r = 0; r + 1 < colStart.length; r++) widest = Math.max(widest, colStart[r + 1]! - colStart[r]!);
	return widest;
}
