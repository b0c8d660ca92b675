/**
 * A training thread: it trains, in corpus order, the pairs of the rows it was
 * given, on weights in shared memory. Rows are split between threads, and a
 * step changes only its own row, so every weight comes out exactly as in a
 * single-thread epoch.
 */
import {parentPort} from 'node:worker_threads';
import {trainStretch, trainingScratch, type StretchTotals, type TrainingPairs, type TrainingScratch} from './train.js';
import type {SparseRows} from './model.js';
import {arenaOn, type WasmMemory} from '../../numerics/exp-kernel.js';

export interface WorkerInit {
	readonly rows: Omit<SparseRows, 'contexts'>;
	readonly pairs: TrainingPairs;
	readonly rowMax: Float64Array;
	readonly lr: number;
	readonly scratchSize: number;
	/** This thread's scratch slot in the arena. */
	readonly slot: number;
	/** The WebAssembly memory the columns and weights live in, when they do. */
	readonly arena?: {readonly memory: WasmMemory; readonly width: number; readonly count: number};
	/** Every pair's loss, at the pair's index in the epoch, and where each of ours goes. */
	readonly losses: Float64Array;
	readonly lossIndex: Int32Array;
}

export interface WorkerResult {
	readonly lossSum: number;
	readonly correct: number;
}

let state: (WorkerInit & {scratch: TrainingScratch}) | undefined;

parentPort?.on('message', (message: {type: 'init'; init: WorkerInit} | {type: 'epoch'}) => {
	if (message.type === 'init') {
		const {init} = message;
		// The weights as a view on this thread's handle of the arena's
		// memory, where the kernel finds them.
		const arena = init.arena && arenaOn(init.arena.memory, init.arena.width, init.arena.count);
		const rows = arena ? {...init.rows, weights: arena.weights} : init.rows;
		state = {...init, rows, scratch: trainingScratch(rows, init.scratchSize, init.slot)};
		return;
	}
	const {rows, pairs, rowMax, lr, scratch, losses, lossIndex} = state!;
	const totals: StretchTotals = {lossSum: 0, correct: 0};
	trainStretch({...rows, contexts: new Int32Array(0)}, pairs, lr, 0, pairs.pairRow.length, totals, scratch, rowMax, losses, lossIndex);
	parentPort!.postMessage({lossSum: totals.lossSum, correct: totals.correct} satisfies WorkerResult);
});
