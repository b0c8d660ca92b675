/**
 * What every run of a model with learned vectors (embeddings, attention)
 * does the same way: the pairs in corpus order or shuffled each epoch, the
 * learning-rate schedule, stretches of steps, the epoch's loss and accuracy
 * (before each step, summed with a plain +=, as the series does), and the
 * held-out score after each epoch. A family supplies its model and its step.
 */
import type {EpochResult} from './table/train.js';
import {ContextSet, scoreHeldOut, type HeldOut, type HeldOutEpoch} from './held-out.js';
import {changeLearningRate, trainInStretches, type LearningRateChange, type NextTokenModel, type StepBase, type Trainer} from './next-token.js';
import {PythonRandom} from '../numerics/python-random.js';
import {throttle} from '../runtime/clock.js';

/** A model whose next() says whether a context was trained on, once told the training contexts. */
export interface VectorModel extends NextTokenModel {
	seenContexts: {has(context: ArrayLike<number>): boolean} | undefined;
}

export abstract class PairRun<M extends VectorModel, Step extends StepBase> implements Trainer<Step> {
	model: M;
	readonly log: EpochResult[] = [];
	readonly heldOutLog: HeldOutEpoch[] = [];
	/** The training tokens; pair k is (ids[at..at+n), ids[at+n]) with at = order[k]. */
	readonly ids: Int32Array;
	/** Each pair's first token, in this epoch's order. */
	protected readonly order: Int32Array;
	private shuffler: {readonly seed: number; readonly random: PythonRandom; shuffledFor: number} | undefined;
	private heldOut: HeldOut | undefined;
	private seen: ContextSet | undefined;
	private schedule: LearningRateChange[];
	position = 0;
	private lossSum = 0;
	private correct = 0;
	/** Set by stepAt: 1 when the prediction before the step was the target. */
	protected readonly outcome = new Int32Array(1);

	constructor(ids: Int32Array, model: M, learningRate: number) {
		this.ids = ids;
		this.model = model;
		this.model.seenContexts = this.trainingContexts;
		this.order = new Int32Array(Math.max(0, ids.length - model.n));
		for (let k = 0; k < this.order.length; k++) this.order[k] = k;
		this.schedule = [{epoch: 1, pair: 0, learningRate}];
	}

	/** The model as the seed draws it, before any step. */
	protected abstract initialModel(): M;

	/** One SGD step on the pair starting at `at`; returns the loss before it and sets outcome[0]. */
	protected abstract stepAt(at: number, learningRate: number): number;

	abstract step(): Step;

	/** What a family records after each epoch (the attention model: its weights on watched contexts). */
	protected afterEpoch(): void {}

	/** Back to no epochs: what afterEpoch recorded is dropped. */
	protected afterReset(): void {}

	get pairCount(): number {
		return this.order.length;
	}

	get epochsDone(): number {
		return this.log.length;
	}

	get learningRate(): number {
		return this.schedule[this.schedule.length - 1]!.learningRate;
	}

	get learningRateSchedule(): readonly LearningRateChange[] {
		return this.schedule;
	}

	get shuffled(): boolean {
		return this.shuffler !== undefined;
	}

	/** The contexts of the training pairs (built once, when first asked). */
	get trainingContexts(): ContextSet {
		this.seen ??= new ContextSet(this.ids, this.model.n);
		return this.seen;
	}

	holdOut(heldOut: HeldOut | undefined): void {
		this.heldOut = heldOut;
	}

	/** Shuffle the pairs before every epoch with random.Random(seed).shuffle, as a table's run does. */
	shuffle(seed: number): void {
		for (let k = 0; k < this.order.length; k++) this.order[k] = k;
		this.shuffler = {seed, random: new PythonRandom(seed), shuffledFor: 0};
	}

	/** Train on with another learning rate from the next pair on (changeLearningRate). */
	setLearningRate(learningRate: number): void {
		changeLearningRate(this.schedule, {epoch: this.log.length + 1, pair: this.position}, learningRate);
	}

	protected prepareEpoch(): void {
		const shuffler = this.shuffler;
		const epoch = this.log.length + 1;
		if (!shuffler || this.position !== 0 || shuffler.shuffledFor === epoch) return;
		shuffler.random.shuffle(this.order);
		shuffler.shuffledFor = epoch;
	}

	advance(maxPairs: number): EpochResult | undefined {
		this.prepareEpoch();
		const to = Math.min(this.pairCount, this.position + Math.max(0, Math.floor(maxPairs)));
		const {order, outcome} = this;
		const lr = this.learningRate;
		let lossSum = this.lossSum;
		let correct = this.correct;
		for (let k = this.position; k < to; k++) {
			lossSum += this.stepAt(order[k]!, lr);
			correct += outcome[0]!;
		}
		this.lossSum = lossSum;
		this.correct = correct;
		this.position = to;
		return this.position >= this.pairCount ? this.closeEpoch() : undefined;
	}

	epoch(): EpochResult {
		return this.advance(this.pairCount - this.position)!;
	}

	/** Whole epochs, in stretches of about 0.1 s so that progress and signals are seen between them (one thread: each step needs the one before). */
	async trainEpochs(count: number, _threads: number, onEpoch?: (result: EpochResult) => void, onProgress?: (done: number) => void): Promise<void> {
		if (this.position !== 0) throw new Error('trainEpochs starts at the beginning of an epoch');
		await trainInStretches(this, count, onEpoch, onProgress ? throttle(onProgress) : undefined);
	}

	/** The pair the next step trains on: its context and target, and where it starts. */
	protected nextPair(): {at: number; context: number[]; target: number; epoch: number; pairIndex: number} {
		this.prepareEpoch();
		const at = this.order[this.position]!;
		const n = this.model.n;
		return {at, context: Array.from(this.ids.subarray(at, at + n)), target: this.ids[at + n]!, epoch: this.log.length + 1, pairIndex: this.position};
	}

	reset(): void {
		this.model = this.initialModel();
		this.model.seenContexts = this.trainingContexts;
		this.schedule = [{epoch: 1, pair: 0, learningRate: this.learningRate}];
		this.log.length = 0;
		this.heldOutLog.length = 0;
		this.position = 0;
		this.lossSum = 0;
		this.correct = 0;
		if (this.shuffler) this.shuffle(this.shuffler.seed);
		this.afterReset();
	}

	private closeEpoch(): EpochResult {
		const result: EpochResult = {epoch: this.log.length + 1, avgLoss: this.lossSum / this.pairCount, accuracy: this.correct / this.pairCount};
		this.log.push(result);
		this.position = 0;
		this.lossSum = 0;
		this.correct = 0;
		if (this.heldOut) this.heldOutLog.push(scoreHeldOut(this.model, this.heldOut, result.epoch, this.trainingContexts));
		this.afterEpoch();
		return result;
	}
}

/** The most probable token; on a tie, the lowest id. */
export function argmaxOf(p: ArrayLike<number>): number {
	let best = 0;
	for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
	return best;
}

/**
 * The first `limit` distinct contexts of the pairs of `ids` at context n, in
 * id order (flat, n ids each). One pass, keeping the `limit` smallest seen so
 * far in order: a window larger than the largest kept is passed over after a
 * comparison, so a corpus of a million tokens costs milliseconds.
 */
export function distinctContexts(ids: ArrayLike<number>, n: number, limit: number): Int32Array {
	if (limit >= ids.length) return allContexts(ids, n);
	const kept: number[][] = [];
	const compare = (a: ArrayLike<number>, from: number, b: readonly number[]): number => {
		for (let k = 0; k < n; k++) if (a[from + k] !== b[k]) return a[from + k]! - b[k]!;
		return 0;
	};
	for (let t = n; t < ids.length; t++) {
		const from = t - n;
		if (kept.length >= limit && compare(ids, from, kept[kept.length - 1]!) >= 0) continue;
		// Binary search for its place among those kept.
		let lo = 0;
		let hi = kept.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (compare(ids, from, kept[mid]!) > 0) lo = mid + 1;
			else hi = mid;
		}
		if (lo < kept.length && compare(ids, from, kept[lo]!) === 0) continue;
		kept.splice(lo, 0, Array.from({length: n}, (_, k) => ids[from + k]!));
		if (kept.length > limit) kept.pop();
	}
	return Int32Array.from(kept.flat());
}

/** Every distinct context, in id order: gathered in a map, then sorted. */
function allContexts(ids: ArrayLike<number>, n: number): Int32Array {
	const seen = new Map<string, number[]>();
	for (let t = n; t < ids.length; t++) {
		const context = Array.from({length: n}, (_, k) => ids[t - n + k]!);
		seen.set(context.join(','), context);
	}
	const list = [...seen.values()].sort((a, b) => {
		for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
		return 0;
	});
	return Int32Array.from(list.flat());
}
