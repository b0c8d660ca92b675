/**
 * Whole epochs on several threads. Each training pair changes only its own
 * row, so the rows are split between the threads (balanced by the work their
 * pairs cost) and each thread trains its rows' pairs in corpus order on the
 * shared weights: every weight ends exactly as in a single-thread epoch. Each
 * pair's loss is stored at its place in the epoch and the losses are added in
 * corpus order afterwards, so the train log is bit-identical too.
 */
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {sharedFloat64, sharedInt32, trainStretch, trainingScratch, widestRow, type TrainingScratch, type EpochResult, type StretchTotals, type TrainingPairs} from './train.js';
import type {Model} from './model.js';
import {arenaOf} from '../../numerics/exp-kernel.js';
import type {WorkerInit, WorkerResult} from './train-worker.js';
import {startWorker, type Worker} from '../../runtime/threads.js';
import {Stretches} from '../../runtime/clock.js';


/** Split the rows into `parts` sets of about equal work; returns each row's part. */
export function partitionRows(model: Model, pairs: TrainingPairs, parts: number): Int32Array {
	const {colStart} = model.rows;
	const rows = model.rowCount;
	const cost = new Float64Array(rows);
	// A step costs about the row's explicit columns plus a constant: its fixed
	// work and cache misses, about 40 columns' worth (measured on Brown, where
	// 30 to 50 give halves within a few percent of each other, and 8 up to 30%
	// apart).
	for (const row of pairs.pairRow) cost[row]! += colStart[row + 1]! - colStart[row]! + 40;
	const order = Array.from({length: rows}, (_, r) => r).sort((a, b) => cost[b]! - cost[a]! || a - b);
	const load = new Float64Array(parts);
	const part = new Int32Array(rows);
	for (const row of order) {
		let lightest = 0;
		for (let p = 1; p < parts; p++) if (load[p]! < load[lightest]!) lightest = p;
		part[row] = lightest;
		load[lightest]! += cost[row]!;
	}
	return part;
}

function workerUrl(): URL {
	const beside = new URL('./train-worker.js', import.meta.url);
	if (existsSync(fileURLToPath(beside))) return beside;
	// Running from source (the tests): use the built worker of the package
	// this module is in.
	for (let dir = fileURLToPath(new URL('.', import.meta.url)); ; dir = dirname(dir)) {
		const built = join(dir, 'dist', 'train-worker.js');
		if (existsSync(join(dir, 'package.json')) && existsSync(built)) return pathToFileURL(built);
		if (dirname(dir) === dir) throw new Error('the training thread (dist/train-worker.js) is not built: run npm run build');
	}
}

export class ParallelEpochs {
	private readonly workers: Worker[] = [];
	private readonly mine: TrainingPairs;
	private readonly mineIndex: Int32Array;
	private readonly scratch: TrainingScratch;
	private readonly losses: Float64Array;
	readonly threads: number;

	constructor(
		private readonly model: Model,
		private readonly pairs: TrainingPairs,
		private readonly lr: number,
		private readonly rowMax: Float64Array,
		threads: number,
	) {
		this.threads = Math.max(1, Math.floor(threads));
		const part = partitionRows(model, pairs, this.threads);
		const subsets = Array.from({length: this.threads}, (_, p) => subsetOf(pairs, part, p));
		this.mine = subsets[0]!.pairs;
		this.mineIndex = subsets[0]!.index;
		this.losses = sharedFloat64(pairs.pairRow.length);
		this.scratch = trainingScratch(model.rows, widestRow(model));
		const {colStart, cols, weights, shared} = model.rows;
		const arena = arenaOf(weights);
		for (let p = 1; p < this.threads; p++) {
			const worker = startWorker(workerUrl());
			const init: WorkerInit = {
				rows: {colStart, cols, weights, shared},
				pairs: subsets[p]!.pairs,
				rowMax,
				lr,
				scratchSize: widestRow(model),
				slot: p,
				...(arena ? {arena: {memory: arena.memory, width: arena.width, count: arena.count}} : {}),
				losses: this.losses,
				lossIndex: subsets[p]!.index,
			};
			worker.postMessage({type: 'init', init});
			this.workers.push(worker);
		}
	}

	/** One whole epoch on all threads; this thread trains the first part. */
	async epoch(epochNumber: number, onProgress?: (done: number) => void): Promise<EpochResult> {
		const results = this.workers.map(
			(worker) =>
				new Promise<WorkerResult>((resolve, reject) => {
					worker.once('message', resolve);
					worker.once('error', reject);
				}),
		);
		for (const worker of this.workers) worker.postMessage({type: 'epoch'});
		const totals: StretchTotals = {lossSum: 0, correct: 0};
		// This thread's share in stretches of about a tenth of a second, so a
		// long epoch can report how far it is and a signal's handler can run.
		const mine = this.mine.pairRow.length;
		const stretches = new Stretches();
		for (let from = 0; from < mine; ) {
			const to = Math.min(mine, from + stretches.size);
			stretches.start();
			trainStretch(this.model.rows, this.mine, this.lr, from, to, totals, this.scratch, this.rowMax, this.losses, this.mineIndex);
			onProgress?.(to / mine);
			from = to;
			await stretches.pause();
		}
		let {correct} = totals;
		for (const result of await Promise.all(results)) correct += result.correct;
		// The losses in corpus order, as one thread adds them.
		let lossSum = 0;
		const {losses} = this;
		const count = this.pairs.pairRow.length;
		for (let i = 0; i < count; i++) lossSum += losses[i]!;
		return {epoch: epochNumber, avgLoss: lossSum / count, accuracy: correct / count};
	}

	async close(): Promise<void> {
		await Promise.all(this.workers.map((worker) => worker.terminate()));
	}
}

/** The pairs of one part, in corpus order, in shared memory, with each one's index in the epoch. */
function subsetOf(pairs: TrainingPairs, part: Int32Array, p: number): {pairs: TrainingPairs; index: Int32Array} {
	let count = 0;
	for (const row of pairs.pairRow) if (part[row] === p) count++;
	const pairRow = sharedInt32(count);
	const pairTarget = sharedInt32(count);
	const pairColumn = sharedInt32(count);
	const index = sharedInt32(count);
	let k = 0;
	for (let i = 0; i < pairs.pairRow.length; i++) {
		if (part[pairs.pairRow[i]!] !== p) continue;
		pairRow[k] = pairs.pairRow[i]!;
		pairTarget[k] = pairs.pairTarget[i]!;
		pairColumn[k] = pairs.pairColumn[i]!;
		index[k] = i;
		k++;
	}
	return {pairs: {n: pairs.n, V: pairs.V, pairRow, pairTarget, pairColumn}, index};
}

