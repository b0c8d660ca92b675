/**
 * A training run that can be driven a little at a time: whole epochs, a
 * stretch of pairs (for live progress and pausing), or one pair with
 * everything that step did (for showing a single update).
 */
import {Model, type ContextSize} from './model.js';
import {buildTraining, sharedFloat64, trainStretch, trainingScratch, widestRow, type EpochResult, type StretchTotals, type TrainingPairs, type TrainingScratch} from './train.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import {createWasmTrainer, type WasmTrainer} from './wasm-trainer.js';
import {throttle} from '../../runtime/clock.js';
import {scoreHeldOut, type HeldOut, type HeldOutEpoch} from '../held-out.js';
import {PythonRandom} from '../../numerics/python-random.js';
import {argmax, crossEntropy, gradient} from '../../reference.js';
import {changeLearningRate, trainInStretches, type LearningRateChange, type StepBase, type Trainer} from '../next-token.js';

/** One step of a table: the row it changed, before and after. */
export interface StepDetail extends StepBase {
	readonly family: 'table';
	/** Stored row of the context. */
	readonly slot: number;
	readonly label: string;
	readonly rowIndex: number;
	readonly scoresBefore: Float64Array;
	/** p - y: what the step subtracts from the scores, times the learning rate. */
	readonly gradient: Float64Array;
	readonly scoresAfter: Float64Array;
}

export type {LearningRateChange};

export class TrainingRun implements Trainer<StepDetail> {
	readonly model: Model;
	readonly pairs: TrainingPairs;
	readonly log: EpochResult[] = [];
	/**
	 * With --shuffle: the generator seeded with the training seed, and the
	 * order of the pairs (indices into the corpus-order arrays, kept in
	 * `corpusOrder`), shuffled in place before each epoch as Python's
	 * random.shuffle(pairs) would shuffle a list of the pairs.
	 */
	private shuffler: {readonly seed: number; readonly random: PythonRandom; readonly order: Int32Array; readonly corpusOrder: TrainingPairs; shuffledFor: number} | undefined;
	/** With held-out pairs (holdOut), their figures after each epoch, the model as it stands then. */
	readonly heldOutLog: HeldOutEpoch[] = [];
	private heldOut: HeldOut | undefined;
	/**
	 * The learning rates used, each from where it was set: one entry unless the
	 * learner changed the rate between two stretches of training.
	 */
	private schedule: LearningRateChange[];
	/** Next pair to train within the current epoch. */
	position = 0;
	private totals: StretchTotals = {lossSum: 0, correct: 0};
	private readonly scratch: TrainingScratch;
	/** Each row's max score, kept by the trainer (rows start at zero). */
	private readonly rowMax: Float64Array;
	/**
	 * The WebAssembly loop, for a small model (see wasm-trainer.ts): made at
	 * the first step (compiling the module takes 2-3 ms, which the explorer's
	 * first frame need not wait for); null where there is none.
	 */
	private wasm: WasmTrainer | null | undefined;
	private readonly useWasm: boolean;

	constructor(
		vocabulary: Vocabulary,
		ids: Int32Array,
		n: ContextSize,
		learningRate: number,
		/** false: train in JavaScript only (the tests compare the two). */
		wasm = true,
	) {
		const {model, pairs} = buildTraining(vocabulary, ids, n);
		this.model = model;
		this.pairs = pairs;
		this.schedule = [{epoch: 1, pair: 0, learningRate}];
		const width = widestRow(model);
		this.scratch = trainingScratch(model.rows, width);
		this.rowMax = sharedFloat64(model.rowCount);
		this.useWasm = wasm;
	}

	/**
	 * Visit the pairs in a new order every epoch: before each, the order of
	 * the epoch before shuffled by random.shuffle on a generator seeded once
	 * with `seed` (CPython's, see numerics/python-random.ts). Set before any
	 * training; one thread only (trainEpochs).
	 */
	shuffle(seed: number): void {
		if (this.shuffler) {
			// Again from the corpus order (a new run from zero).
			const {corpusOrder} = this.shuffler;
			this.pairs.pairRow.set(corpusOrder.pairRow);
			this.pairs.pairTarget.set(corpusOrder.pairTarget);
			this.pairs.pairColumn.set(corpusOrder.pairColumn);
		}
		const corpusOrder: TrainingPairs = {...this.pairs, pairRow: this.pairs.pairRow.slice(), pairTarget: this.pairs.pairTarget.slice(), pairColumn: this.pairs.pairColumn.slice()};
		const order = new Int32Array(this.pairCount);
		for (let i = 0; i < order.length; i++) order[i] = i;
		this.shuffler = {seed, random: new PythonRandom(seed), order, corpusOrder, shuffledFor: 0};
	}

	/** Whether the pairs are shuffled before each epoch. */
	get shuffled(): boolean {
		return this.shuffler !== undefined;
	}

	/** At an epoch's first pair with --shuffle: this epoch's order, once. */
	private prepareEpoch(): void {
		const shuffler = this.shuffler;
		const epoch = this.log.length + 1;
		if (!shuffler || this.position !== 0 || shuffler.shuffledFor === epoch) return;
		shuffler.random.shuffle(shuffler.order);
		const {pairRow, pairTarget, pairColumn} = shuffler.corpusOrder;
		const {order} = shuffler;
		for (let k = 0; k < order.length; k++) {
			const i = order[k]!;
			this.pairs.pairRow[k] = pairRow[i]!;
			this.pairs.pairTarget[k] = pairTarget[i]!;
			this.pairs.pairColumn[k] = pairColumn[i]!;
		}
		this.wasm?.reorder(this.pairs);
		shuffler.shuffledFor = epoch;
	}

	/**
	 * Score these held-out pairs at the end of every epoch from now on
	 * (heldOutLog): in every way an epoch ends, one pair at a time, in
	 * stretches or on threads.
	 */
	holdOut(heldOut: HeldOut | undefined): void {
		this.heldOut = heldOut;
	}

	/** The learning rate the next step uses. */
	get learningRate(): number {
		return this.schedule[this.schedule.length - 1]!.learningRate;
	}

	/** Every learning rate used so far, from where each was set (see setLearningRate). */
	get learningRateSchedule(): readonly LearningRateChange[] {
		return this.schedule;
	}

	/**
	 * Train on with another learning rate from the next pair on. Set where no
	 * pair was trained yet since the last change, it replaces that change.
	 */
	setLearningRate(learningRate: number): void {
		changeLearningRate(this.schedule, {epoch: this.log.length + 1, pair: this.position}, learningRate);
	}

	get pairCount(): number {
		return this.pairs.pairRow.length;
	}

	/** Completed epochs. */
	get epochsDone(): number {
		return this.log.length;
	}

	/**
	 * Train up to `maxPairs` pairs of the current epoch; when the epoch's last
	 * pair is done, its result is logged and returned.
	 */
	advance(maxPairs: number): EpochResult | undefined {
		this.prepareEpoch();
		const to = Math.min(this.pairCount, this.position + Math.max(0, Math.floor(maxPairs)));
		if (this.wasm === undefined) this.wasm = (this.useWasm && createWasmTrainer(this.model.rows, this.pairs, widestRow(this.model))) || null;
		if (this.wasm) this.wasm.train(this.model.rows, this.learningRate, this.position, to, this.totals, this.scratch, this.rowMax);
		else trainStretch(this.model.rows, this.pairs, this.learningRate, this.position, to, this.totals, this.scratch, this.rowMax);
		this.position = to;
		return this.position >= this.pairCount ? this.closeEpoch() : undefined;
	}

	/** Train the rest of the current epoch (a whole epoch when at its start). */
	epoch(): EpochResult {
		return this.advance(this.pairCount - this.position)!;
	}

	/**
	 * Train `count` whole epochs on `threads` threads (see parallel.ts): the
	 * same weights, losses and accuracy as one thread, bit for bit (each
	 * pair's loss is stored and the losses summed in corpus order). Must start
	 * at an epoch's beginning.
	 */
	async trainEpochs(
		count: number,
		threads: number,
		onEpoch?: (result: EpochResult) => void,
		/** Called about once a second inside long epochs with the share of the epoch done (0..1). */
		onProgress?: (done: number) => void,
	): Promise<void> {
		if (this.position !== 0) throw new Error('trainEpochs starts at the beginning of an epoch');
		const progress = onProgress ? throttle(onProgress) : undefined;
		// Threads split the pairs by row once; a shuffled order changes every epoch.
		if (threads <= 1 || this.shuffler) return trainInStretches(this, count, onEpoch, progress);
		const {ParallelEpochs} = await import('./parallel.js');
		const parallel = new ParallelEpochs(this.model, this.pairs, this.learningRate, this.rowMax, threads);
		try {
			for (let e = 0; e < count; e++) {
				const result = await parallel.epoch(this.log.length + 1, progress);
				this.log.push(result);
				this.scoreHeldOut(result.epoch);
				onEpoch?.(result);
			}
		} finally {
			await parallel.close();
		}
	}

	/**
	 * Train one pair and report everything the step saw and changed, in the
	 * terms of source/reference.ts: softmax, argmax, gradient, crossEntropy.
	 */
	step(): StepDetail {
		this.prepareEpoch();
		const i = this.position;
		const {n} = this.model;
		const slot = this.pairs.pairRow[i]!;
		const target = this.pairs.pairTarget[i]!;
		const scoresBefore = this.model.scores(slot);
		const probabilities = this.model.probabilities(slot);
		const predicted = argmax(probabilities);
		const g = gradient(probabilities, target);
		const epoch = this.log.length + 1;
		const finished = this.advance(1);
		return {
			family: 'table',
			epoch,
			pairIndex: i,
			context: this.model.contextIds(slot).slice(0, n),
			target,
			slot,
			label: this.model.label(slot),
			rowIndex: this.model.rowIndex(slot),
			scoresBefore,
			probabilities,
			gradient: g,
			scoresAfter: this.model.scores(slot),
			loss: crossEntropy(probabilities, target),
			predicted,
			finished,
		};
	}

	/** Back to zero weights and no epochs; the learning rate in use stays. */
	reset(): void {
		this.schedule = [{epoch: 1, pair: 0, learningRate: this.learningRate}];
		this.model.rows.weights.fill(0);
		this.model.rows.shared.fill(0);
		this.rowMax.fill(0);
		this.log.length = 0;
		this.heldOutLog.length = 0;
		this.position = 0;
		this.totals = {lossSum: 0, correct: 0};
		// A shuffled run starts again from the generator's seed.
		if (this.shuffler) this.shuffle(this.shuffler.seed);
	}

	private closeEpoch(): EpochResult {
		const result: EpochResult = {
			epoch: this.log.length + 1,
			avgLoss: this.totals.lossSum / this.pairCount,
			accuracy: this.totals.correct / this.pairCount,
		};
		this.log.push(result);
		this.position = 0;
		this.totals = {lossSum: 0, correct: 0};
		this.scoreHeldOut(result.epoch);
		return result;
	}

	private scoreHeldOut(epoch: number): void {
		if (this.heldOut) this.heldOutLog.push(scoreHeldOut(this.model, this.heldOut, epoch));
	}
}
