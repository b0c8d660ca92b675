/**
 * A training run of the attention model, driven as every run is
 * (models/next-token.ts Trainer, models/pair-run.ts): whole epochs,
 * stretches of pairs, or one step with what it changed. The steps are
 * train.ts fastStep, which is plain.ts seriesStep (or exactStep) to the bit.
 */
import {AttentionModel} from './model.js';
import {fastStep, stepScratch, type StepScratch} from './train.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {StepBase} from '../next-token.js';
import {argmaxOf, distinctContexts, PairRun} from '../pair-run.js';

export interface AttentionSettings {
	readonly n: number;
	/** Embedding dimension. */
	readonly d: number;
	/** Head dimension. */
	readonly h: number;
	/** The training seed: random.seed(seed) before the initial weights are drawn. */
	readonly seed: number;
	/** The initial weights' standard deviation. */
	readonly initScale: number;
	/** Every gradient entry is clipped to [−clip, clip] before it is applied. */
	readonly clip: number;
	/** Apply the true gradient (from the parameters before the step) instead of the series' in-place order. */
	readonly exactGradient: boolean;
}

/** The parameter groups, in the order the series draws them, then b. */
export const ATTENTION_GROUPS = ['E', 'P', 'W_Q', 'W_K', 'W_V', 'W_out', 'b'] as const;
export type AttentionGroup = (typeof ATTENTION_GROUPS)[number];

/** One step of the attention model: where it looked before and after, and how far each group moved. */
export interface AttentionStep extends StepBase {
	readonly family: 'attention';
	readonly probabilitiesAfter: Float64Array;
	/** The last position's attention weights over the context, before and after the step. */
	readonly attentionBefore: Float64Array;
	readonly attentionAfter: Float64Array;
	/** The Euclidean length of each group's change (E and P: the context's rows). */
	readonly moved: readonly {readonly group: AttentionGroup; readonly distance: number}[];
}

/** How many training contexts a run watches (their attention weights after every epoch). */
export const WATCHED_CONTEXTS = 256;

/** The watched contexts' attention weights: before training, then after each epoch. */
export interface AttentionHistory {
	/** The watched contexts, n ids each: the first WATCHED_CONTEXTS distinct training contexts in id order. */
	readonly contexts: Int32Array;
	/** Entry e: the weights after e epochs (0: the initial ones), n per watched context. */
	readonly epochs: Float64Array[];
}

export class AttentionRun extends PairRun<AttentionModel, AttentionStep> {
	readonly settings: AttentionSettings;
	private readonly scratch: StepScratch;
	private watched: AttentionHistory | undefined;

	constructor(vocabulary: Vocabulary, ids: Int32Array, settings: AttentionSettings, learningRate: number) {
		super(ids, AttentionModel.initial(vocabulary, settings, settings.seed, settings.initScale), learningRate);
		this.settings = settings;
		this.scratch = stepScratch(this.model);
	}

	/**
	 * Record the weights of the first WATCHED_CONTEXTS training contexts
	 * after every epoch from now on (the explorer asks; a headless run does
	 * not pay for it). Their weights before any epoch come from the initial
	 * model, drawn again from the seed.
	 */
	watch(): void {
		if (this.watched) return;
		const contexts = distinctContexts(this.ids, this.settings.n, WATCHED_CONTEXTS);
		this.watched = {contexts, epochs: []};
		this.watched.epochs.push(this.watchedWeights(this.initialModel()));
		// Epochs already trained before watching are not known: the history starts again from the present.
		if (this.epochsDone > 0) this.watched.epochs.splice(0, 1, this.watchedWeights(this.model));
	}

	/** The watched contexts' weights, before training and after each epoch (empty until watch()). */
	get history(): AttentionHistory {
		return this.watched ?? {contexts: new Int32Array(0), epochs: []};
	}

	/** The watched contexts' weights under a model. */
	private watchedWeights(model: AttentionModel): Float64Array {
		const {n} = model;
		const contexts = this.watched!.contexts;
		const out = new Float64Array(contexts.length);
		for (let c = 0; c < contexts.length / n; c++) out.set(model.attentionWeights(contexts.subarray(c * n, c * n + n)), c * n);
		return out;
	}

	protected override afterEpoch(): void {
		this.watched?.epochs.push(this.watchedWeights(this.model));
	}

	protected override afterReset(): void {
		if (!this.watched) return;
		this.watched.epochs.length = 0;
		this.watched.epochs.push(this.watchedWeights(this.model));
	}

	/** Which watched context this is (-1: not watched). */
	watchedIndex(context: readonly number[]): number {
		const {n} = this.model;
		const {contexts} = this.history;
		for (let c = 0; c < contexts.length / n; c++) if (context.every((id, t) => contexts[c * n + t] === id)) return c;
		return -1;
	}

	protected initialModel(): AttentionModel {
		const {settings} = this;
		return AttentionModel.initial(this.model.vocabulary, settings, settings.seed, settings.initScale);
	}

	protected stepAt(at: number, learningRate: number): number {
		const {settings} = this;
		return fastStep(this.model, this.ids, at, learningRate, settings.clip, settings.exactGradient, this.scratch, this.outcome);
	}

	/**
	 * One pair, with what it changed. The small groups (P, W_Q, W_K, W_V, the
	 * context's rows of E) are copied before the step; W_out and b are
	 * compared through a copy too, h·V + V numbers, a few milliseconds on the
	 * largest vocabularies.
	 */
	step(): AttentionStep {
		const {context, target, epoch, pairIndex} = this.nextPair();
		const {model} = this;
		const {d} = model;
		const before = model.path(context);
		const rows = [...new Set(context)];
		const snapshot = {
			E: rows.map((t) => model.E.slice(t * d, t * d + d)),
			P: model.P.slice(),
			W_Q: model.WQ.slice(),
			W_K: model.WK.slice(),
			W_V: model.WV.slice(),
			W_out: model.Wout.slice(),
			b: model.b.slice(),
		};
		const finished = this.advance(1);
		const after = model.path(context);
		const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
			let sum = 0;
			for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
			return Math.sqrt(sum);
		};
		const now = {P: model.P, W_Q: model.WQ, W_K: model.WK, W_V: model.WV, W_out: model.Wout, b: model.b};
		let eMoved = 0;
		rows.forEach((t, r) => (eMoved += distance(model.E.subarray(t * d, t * d + d), snapshot.E[r]!) ** 2));
		return {
			family: 'attention',
			epoch,
			pairIndex,
			context,
			target,
			probabilities: before.p,
			probabilitiesAfter: after.p,
			loss: -Math.log(Math.max(before.p[target]!, 1e-12)),
			predicted: argmaxOf(before.p),
			finished,
			attentionBefore: before.a,
			attentionAfter: after.a,
			moved: ATTENTION_GROUPS.map((group) => ({group, distance: group === 'E' ? Math.sqrt(eMoved) : distance(now[group], snapshot[group])})),
		};
	}
}

