/**
 * A training run of the embeddings model, driven as a table's run is
 * (models/next-token.ts Trainer): whole epochs, stretches of pairs, or one
 * step with what it changed. The steps are train.ts fastStep, which is
 * plain.ts seriesStep (or exactStep with the true gradient) to the bit.
 */
import {EmbeddingsModel} from './model.js';
import {fastStep, stepScratch, type StepScratch} from './train.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {EpochResult} from '../table/train.js';
import {ContextSet, scoreHeldOut, type HeldOut, type HeldOutEpoch} from '../held-out.js';
import {changeLearningRate, trainInStretches, type LearningRateChange, type StepBase, type Trainer} from '../next-token.js';
import {PythonRandom} from '../../numerics/python-random.js';
import {throttle} from '../../runtime/clock.js';

export interface EmbeddingsSettings {
	readonly n: number;
	readonly d: number;
	/** The training seed: random.seed(seed) before the initial weights are drawn. */
	readonly seed: number;
	/** The initial weights' standard deviation. */
	readonly initScale: number;
	/** Apply the true gradient (from the parameters before the step) instead of the series' in-place order. */
	readonly exactGradient: boolean;
}

/** An embedding row a step moved, and how far (the Euclidean length of its change). */
export interface MovedRow {
	readonly token: number;
	readonly distance: number;
}

/** One step of the embeddings model: what it changed in W, b and E. */
export interface EmbeddingsStep extends StepBase {
	readonly family: 'embeddings';
	readonly probabilitiesAfter: Float64Array;
	/** ΔW = −lr·h·δᵀ: its Euclidean size and its largest entry, with where (input position, token). */
	readonly weightChange: {readonly norm: number; readonly largest: number; readonly input: number; readonly token: number};
	/** Δb = −lr·δ: its largest entry and the token. */
	readonly biasChange: {readonly largest: number; readonly token: number};
	/** The context's embedding rows, each once, with how far the step moved it. */
	readonly moved: readonly MovedRow[];
	/**
	 * How far the embedding update applied is from the true gradient's:
	 * ‖g_applied − g_true‖ / ‖g_true‖ (0 with --exact-gradient).
	 */
	readonly gradientGap: number;
}

export class EmbeddingsRun implements Trainer<EmbeddingsStep> {
	model: EmbeddingsModel;
	readonly settings: EmbeddingsSettings;
	readonly log: EpochResult[] = [];
	readonly heldOutLog: HeldOutEpoch[] = [];
	/** The training tokens; pair k is (ids[at..at+n), ids[at+n]) with at = order[k]. */
	readonly ids: Int32Array;
	/** Each pair's first token, in this epoch's order. */
	private readonly order: Int32Array;
	private shuffler: {readonly seed: number; readonly random: PythonRandom; shuffledFor: number} | undefined;
	private heldOut: HeldOut | undefined;
	private seen: ContextSet | undefined;
	private schedule: LearningRateChange[];
	position = 0;
	private lossSum = 0;
	private correct = 0;
	private readonly scratch: StepScratch;
	private readonly outcome = new Int32Array(1);

	constructor(vocabulary: Vocabulary, ids: Int32Array, settings: EmbeddingsSettings, learningRate: number) {
		this.settings = settings;
		this.ids = ids;
		this.model = EmbeddingsModel.initial(vocabulary, settings.n, settings.d, settings.seed, settings.initScale);
		this.model.seenContexts = this.trainingContexts;
		this.order = new Int32Array(Math.max(0, ids.length - settings.n));
		for (let k = 0; k < this.order.length; k++) this.order[k] = k;
		this.schedule = [{epoch: 1, pair: 0, learningRate}];
		this.scratch = stepScratch(this.model);
	}

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

	private prepareEpoch(): void {
		const shuffler = this.shuffler;
		const epoch = this.log.length + 1;
		if (!shuffler || this.position !== 0 || shuffler.shuffledFor === epoch) return;
		shuffler.random.shuffle(this.order);
		shuffler.shuffledFor = epoch;
	}

	advance(maxPairs: number): EpochResult | undefined {
		this.prepareEpoch();
		const to = Math.min(this.pairCount, this.position + Math.max(0, Math.floor(maxPairs)));
		const {model, ids, order, scratch, outcome} = this;
		const lr = this.learningRate;
		const exact = this.settings.exactGradient;
		let lossSum = this.lossSum;
		let correct = this.correct;
		for (let k = this.position; k < to; k++) {
			lossSum += fastStep(model, ids, order[k]!, lr, exact, scratch, outcome);
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

	/**
	 * One pair, with what it changed. Cheap on a large vocabulary: nothing is
	 * copied but the context's rows of E; W's and b's changes follow from the
	 * step's own numbers (ΔW_ij = −(lr·h_i)·δ_j, Δb_j = −lr·δ_j, to their last
	 * rounding), and the gap to the true gradient from g_true − g_series =
	 * lr·|δ|²·h (W_new·δ = W_old·δ − lr·|δ|²·h).
	 */
	step(): EmbeddingsStep {
		this.prepareEpoch();
		const {model} = this;
		const {n, d, V} = model;
		const i = this.position;
		const at = this.order[i]!;
		const context = Array.from(this.ids.subarray(at, at + n));
		const target = this.ids[at + n]!;
		const lr = this.learningRate;
		const probabilities = model.probabilities(context);
		const h = model.concatenate(context);
		const rows = [...new Set(context)];
		const before = rows.map((t) => model.E.slice(t * d, t * d + d));
		const epoch = this.log.length + 1;
		const finished = this.advance(1);
		// δ = p − onehot(target), as the step computed it.
		const delta = Float64Array.from(probabilities, (p, j) => p - (j === target ? 1 : 0));
		let deltaNorm2 = 0;
		let deltaBest = 0;
		for (let j = 0; j < V; j++) {
			deltaNorm2 += delta[j]! * delta[j]!;
			if (Math.abs(delta[j]!) > Math.abs(delta[deltaBest]!)) deltaBest = j;
		}
		let hNorm2 = 0;
		let hBest = 0;
		for (let k = 0; k < h.length; k++) {
			hNorm2 += h[k]! * h[k]!;
			if (Math.abs(h[k]!) > Math.abs(h[hBest]!)) hBest = k;
		}
		const moved = rows.map((t, r) => {
			let sum = 0;
			for (let k = 0; k < d; k++) sum += (model.E[t * d + k]! - before[r]![k]!) ** 2;
			return {token: t, distance: Math.sqrt(sum)};
		});
		// The gradient applied to E (the scratch's g) against the true one.
		const applied = this.scratch.g;
		const shift = lr * deltaNorm2;
		let gapSum = 0;
		let trueSum = 0;
		for (let k = 0; k < h.length; k++) {
			const trueG = this.settings.exactGradient ? applied[k]! : applied[k]! + shift * h[k]!;
			gapSum += (applied[k]! - trueG) ** 2;
			trueSum += trueG * trueG;
		}
		return {
			family: 'embeddings',
			epoch,
			pairIndex: i,
			context,
			target,
			probabilities,
			probabilitiesAfter: model.probabilities(context),
			loss: -Math.log(Math.max(probabilities[target]!, 1e-12)),
			predicted: argmaxOf(probabilities),
			finished,
			weightChange: {norm: lr * Math.sqrt(hNorm2 * deltaNorm2), largest: -(lr * h[hBest]!) * delta[deltaBest]!, input: hBest, token: deltaBest},
			biasChange: {largest: -lr * delta[deltaBest]!, token: deltaBest},
			moved,
			gradientGap: trueSum > 0 ? Math.sqrt(gapSum / trueSum) : 0,
		};
	}

	reset(): void {
		const {n, d, seed, initScale} = this.settings;
		this.model = EmbeddingsModel.initial(this.model.vocabulary, n, d, seed, initScale);
		this.model.seenContexts = this.trainingContexts;
		this.schedule = [{epoch: 1, pair: 0, learningRate: this.learningRate}];
		this.log.length = 0;
		this.heldOutLog.length = 0;
		this.position = 0;
		this.lossSum = 0;
		this.correct = 0;
		if (this.shuffler) this.shuffle(this.shuffler.seed);
	}

	private closeEpoch(): EpochResult {
		const result: EpochResult = {epoch: this.log.length + 1, avgLoss: this.lossSum / this.pairCount, accuracy: this.correct / this.pairCount};
		this.log.push(result);
		this.position = 0;
		this.lossSum = 0;
		this.correct = 0;
		if (this.heldOut) this.heldOutLog.push(scoreHeldOut(this.model, this.heldOut, result.epoch, this.trainingContexts));
		return result;
	}
}

function argmaxOf(p: ArrayLike<number>): number {
	let best = 0;
	for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
	return best;
}
