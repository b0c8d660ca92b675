/**
 * Small models trained on WebAssembly: `train` in source/numerics/wasm/exps.ts takes
 * trainStretch's steps with the same operations, so the weights, the losses
 * and the accuracy come out bit for bit the same (test/models/table/wasm-trainer.test.ts
 * and the full-table comparisons hold it).
 *
 * Why: a short run, such as `train` on the animals corpus (50 epochs of 311
 * pairs), ends before V8 has compiled trainStretch, so most of its steps run
 * in the interpreter, which also boxes every intermediate number into the
 * heap for the garbage collector. WebAssembly is compiled as it loads. On a
 * large corpus the compiled JavaScript and the SIMD kernel are as fast, and
 * copying the model in and out at each call would cost, so this is for
 * models up to SMALL_MODEL_LIMIT pairs and weights and SMALL_EPOCH_LIMIT
 * weight updates an epoch.
 *
 * The model's arrays stay where they are: each call copies the weights, the
 * shared values and the row maxima in, trains, and copies them back. A step
 * only JavaScript takes (an exponential at an edge of exp()) is handed back
 * and taken by trainStretch.
 */
import type {SparseRows} from './model.js';
import {KERNEL_DATA_AT, kernelExports, kernelMemory} from '../../numerics/exp-kernel.js';
import {trainStretch, type StretchTotals, type TrainingPairs, type TrainingScratch} from './train.js';

/** Models with more training pairs or explicit weights than this train in JavaScript. */
export const SMALL_MODEL_LIMIT = 1 << 16;
/**
 * And models whose epoch updates more weights than this (the sum of the
 * rows' widths over the pairs), as a unigram of a large vocabulary does:
 * there the SIMD kernel's wide-row passes are faster, and the compiler has
 * long warmed up.
 */
export const SMALL_EPOCH_LIMIT = 1 << 22;
/** Pairs a call of the WebAssembly loop takes at most (its p[target] buffer). */
const CHUNK = 4096;

type TrainFunction = (
	pairRow: number,
	pairColumn: number,
	colStart: number,
	cols: number,
	weights: number,
	shared: number,
	rowMax: number,
	exps: number,
	partials: number,
	probs: number,
	V: number,
	lr: number,
	from: number,
	to: number,
	result: number,
) => number;

export interface WasmTrainer {
	/**
	 * trainStretch(rows, pairs, lr, from, to, totals, scratch, rowMax, losses,
	 * lossIndex), with the same results; `scratch` serves the steps handed back.
	 */
	train(rows: SparseRows, lr: number, from: number, to: number, totals: StretchTotals, scratch: TrainingScratch, rowMax: Float64Array, losses?: Float64Array, lossIndex?: Int32Array): void;
	/** Take the pairs' order anew (after a shuffle: the same pairs, another order). */
	reorder(pairs: TrainingPairs): void;
}

/**
 * A trainer for `rows` and `pairs` (whose rows have at most `width`
 * columns), or undefined for a model above SMALL_MODEL_LIMIT pairs or
 * weights or SMALL_EPOCH_LIMIT weight updates an epoch, or without
 * WebAssembly SIMD.
 */
export function createWasmTrainer(rows: SparseRows, pairs: TrainingPairs, width: number): WasmTrainer | undefined {
	const pairCount = pairs.pairRow.length;
	const count = rows.weights.length;
	const rowCount = rows.shared.length;
	if (pairCount > SMALL_MODEL_LIMIT || count > SMALL_MODEL_LIMIT) return undefined;
	let work = 0;
	for (let i = 0; i < pairCount; i++) work += rows.colStart[pairs.pairRow[i]! + 1]! - rows.colStart[pairs.pairRow[i]!]!;
	if (work > SMALL_EPOCH_LIMIT) return undefined;
	// The memory: the kernel's tables, then (8-byte aligned) result, p[target]
	// buffer, a row's exponentials (and two more terms), fsum's partials,
	// weights, shared, row maxima, then the 4-byte arrays: colStart, cols,
	// pairRow, pairColumn.
	let at = KERNEL_DATA_AT;
	const take = (bytes: number) => {
		const start = at;
		at += Math.ceil(bytes / 8) * 8;
		return start;
	};
	const resultAt = take(8);
	const probsAt = take(8 * CHUNK);
	const expsAt = take(8 * (width + 2));
	const partialsAt = take(8 * (width + 2));
	const weightsAt = take(8 * count);
	const sharedAt = take(8 * rowCount);
	const rowMaxAt = take(8 * rowCount);
	const colStartAt = take(4 * rows.colStart.length);
	const colsAt = take(4 * rows.cols.length);
	const pairRowAt = take(4 * pairCount);
	const pairColumnAt = take(4 * pairCount);
	const memory = kernelMemory(at);
	if (!memory) return undefined;
	const run = kernelExports(memory)['train'] as TrainFunction;
	const {buffer} = memory;
	const result = new Int32Array(buffer, resultAt, 1);
	const probs = new Float64Array(buffer, probsAt, CHUNK);
	const weights = new Float64Array(buffer, weightsAt, count);
	const shared = new Float64Array(buffer, sharedAt, rowCount);
	const maxima = new Float64Array(buffer, rowMaxAt, rowCount);
	new Int32Array(buffer, colStartAt, rows.colStart.length).set(rows.colStart);
	new Int32Array(buffer, colsAt, rows.cols.length).set(rows.cols);
	const pairRowCopy = new Int32Array(buffer, pairRowAt, pairCount);
	const pairColumnCopy = new Int32Array(buffer, pairColumnAt, pairCount);
	pairRowCopy.set(pairs.pairRow);
	pairColumnCopy.set(pairs.pairColumn);
	const V = pairs.V;

	return {
		reorder(reordered) {
			pairRowCopy.set(reordered.pairRow);
			pairColumnCopy.set(reordered.pairColumn);
		},
		train(model, lr, from, to, totals, scratch, rowMax, losses, lossIndex) {
			weights.set(model.weights);
			shared.set(model.shared);
			maxima.set(rowMax);
			let lossSum = totals.lossSum;
			let correct = totals.correct;
			let i = from;
			while (i < to) {
				const stop = Math.min(to, i + CHUNK);
				const reached = run(pairRowAt, pairColumnAt, colStartAt, colsAt, weightsAt, sharedAt, rowMaxAt, expsAt, partialsAt, probsAt, V, lr, i, stop, resultAt);
				correct += result[0]!;
				// The losses in pair order, as trainStretch adds them.
				for (let k = i; k < reached; k++) {
					const loss = -Math.log(Math.max(probs[k - i]!, 1e-12));
					lossSum += loss;
					if (losses) losses[lossIndex![k]!] = loss;
				}
				i = reached;
				if (i < stop) {
					// A step for JavaScript, on the model's own arrays.
					model.weights.set(weights);
					model.shared.set(shared);
					rowMax.set(maxima);
					const step = {lossSum, correct};
					trainStretch(model, pairs, lr, i, i + 1, step, scratch, rowMax, losses, lossIndex);
					({lossSum, correct} = step);
					weights.set(model.weights);
					shared.set(model.shared);
					maxima.set(rowMax);
					i++;
				}
			}
			model.weights.set(weights);
			model.shared.set(shared);
			rowMax.set(maxima);
			totals.lossSum = lossSum;
			totals.correct = correct;
		},
	};
}
