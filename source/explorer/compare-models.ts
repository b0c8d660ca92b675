/**
 * The four models of the compare stage (contexts of 0..3 words), trained in
 * the background on the session's corpus in short slices, one after the
 * other; a model the artifacts already hold for this corpus is used as it is.
 *
 * The longest context goes first: its rows are the narrowest, so its epochs
 * cost least, and on a large corpus the unigram's one row holds every token
 * of the vocabulary (on Brown an epoch of it is 65 billion weight updates).
 * A slice trains chunks of pairs sized to take about 2 ms each, so keys still
 * answer while a wide model trains.
 */
import type {Corpus} from '../text/corpus.js';
import {Model, type ContextSize} from '../models/table/model.js';
import type {TrainingRun} from '../models/table/run.js';
import {contextRun, embeddingsRun, type Generalisation} from '../models/compare.js';
import type {EmbeddingsRun, EmbeddingsSettings} from '../models/embeddings/run.js';
import type {EmbeddingsModel} from '../models/embeddings/model.js';
import {heldOutOf, scoreHeldOut, type HeldOutChoice, type HeldOutEpoch} from '../models/held-out.js';
import {splitSignature} from './artifacts-store.js';
import {realScheduler, type Scheduler} from './train-controller.js';
import {nowMs} from '../runtime/clock.js';
import type {ArtifactsStore} from './artifacts-store.js';

/** Where the compare stage's embeddings model is. */
export interface EmbeddingsProgress {
	/** waiting: after the tables; training; ready; asked: a slow one waits for the learner's key. */
	readonly state: 'waiting' | 'training' | 'ready' | 'asked';
	readonly epochs: number;
	/** Seconds its whole training takes, measured on its first pairs. */
	readonly estimateSeconds?: number;
	readonly learningRate: number;
}

export interface CompareSnapshot {
	readonly started: boolean;
	/** The tables' learning rate. */
	readonly learningRate: number;
	readonly embeddings: EmbeddingsProgress;
	/** Epochs done for each context size (= target when ready). */
	readonly epochs: readonly number[];
	readonly target: number;
	/** Which came from the artifacts instead of training. */
	readonly fromArtifacts: readonly boolean[];
	readonly ready: readonly boolean[];
	readonly version: number;
}

/** Context sizes in training order: cheapest epochs first. */
const ORDER: readonly ContextSize[] = [3, 2, 1, 0];

/** An embeddings model whose training would take longer than this trains only when the learner asks. */
export const SLOW_SECONDS = 60;

export class CompareModels {
	private readonly runs: Array<TrainingRun | undefined> = [undefined, undefined, undefined, undefined];
	private readonly loaded: Array<Model | undefined> = [undefined, undefined, undefined, undefined];
	private readonly listeners = new Set<() => void>();
	private snapshot: CompareSnapshot;
	private started = false;
	private cancel: (() => void) | undefined;
	private version = 0;
	private lastEmit = -Infinity;
	/** Pairs a chunk of the model in training takes, and which model it was sized for. */
	private chunk = 64;
	private chunkFor: number | undefined;
	/** The embeddings model, beside the four tables (trained after them). */
	private embeddings: EmbeddingsRun | undefined;
	private embeddingsAsked = false;
	private embeddingsEstimate: number | undefined;
	private embeddingsTrainedMs = 0;

	constructor(
		private readonly corpus: Corpus,
		private readonly epochs: number,
		private readonly learningRate: number,
		private readonly artifacts: ArtifactsStore,
		private readonly scheduler: Scheduler = realScheduler,
		/** The held-out text and the order of the pairs, as the session's run has them; the embeddings model's settings and rate. */
		private readonly options: {
			readonly choice?: HeldOutChoice;
			readonly shuffleSeed?: number;
			readonly embeddings?: {readonly settings: EmbeddingsSettings; readonly learningRate: number};
			/** Above this estimate (seconds) the embeddings model waits for the learner's key (default SLOW_SECONDS). */
			readonly slowSeconds?: number;
		} = {},
	) {
		this.snapshot = this.makeSnapshot();
	}

	getSnapshot = (): CompareSnapshot => this.snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/** The model for context size n, once it is ready. */
	model(n: ContextSize): Model | undefined {
		if (this.loaded[n]) return this.loaded[n];
		const run = this.runs[n];
		return run && run.epochsDone >= this.epochs ? run.model : undefined;
	}

	/** The embeddings settings compared: the session's when it trains one, else the series' (context 2, d 16, lr 0.01). */
	private get embeddingsOptions(): {readonly settings: EmbeddingsSettings; readonly learningRate: number} {
		return this.options.embeddings ?? {settings: {n: 2, d: 16, seed: this.options.shuffleSeed ?? 0, initScale: 0.01, exactGradient: false}, learningRate: 0.01};
	}

	/** The embeddings model once trained. */
	embeddingsModel(): EmbeddingsModel | undefined {
		const run = this.embeddings;
		return run && run.epochsDone >= this.epochs ? run.model : undefined;
	}

	/** Its losses so far, and its held-out figures once trained. */
	embeddingsFigures(): {readonly losses: readonly number[]; readonly heldOut?: HeldOutEpoch; readonly n: number} {
		const run = this.embeddings;
		return {losses: run?.log.map((e) => e.avgLoss) ?? [], heldOut: run?.heldOutLog.at(-1), n: this.embeddingsOptions.settings.n};
	}

	/** Whether the embeddings model's measured training time is above the slow mark. */
	private get slow(): boolean {
		return this.embeddingsEstimate !== undefined && this.embeddingsEstimate > (this.options.slowSeconds ?? SLOW_SECONDS);
	}

	/** Train a slow embeddings model after all (the learner asked). */
	trainEmbeddings(): void {
		if (this.embeddingsAsked) return;
		this.embeddingsAsked = true;
		if (this.started && !this.cancel) this.schedule();
		this.emit(true);
	}

	/**
	 * The average loss of each epoch of the model trained here for context size
	 * n (empty before any); undefined for a model read from the artifacts, whose
	 * training log is not in memory.
	 */
	losses(n: ContextSize): readonly number[] | undefined {
		if (this.loaded[n]) return undefined;
		return this.runs[n]?.log.map((e) => e.avgLoss) ?? [];
	}

	/** Whether the four are scored on held-out text. */
	get holdsOut(): boolean {
		return this.options.choice?.holdout !== undefined || this.options.choice?.valid !== undefined;
	}

	/**
	 * Context size n's figures for the generalisation reading, once it is
	 * ready: its last training loss (unknown for a model from the artifacts)
	 * and its held-out figures (scored now for a model from the artifacts).
	 */
	generalisation(n: ContextSize): Generalisation | undefined {
		const model = this.model(n);
		if (!model || !this.holdsOut) return undefined;
		const run = this.runs[n];
		if (run && !this.loaded[n]) {
			const heldOut = run.heldOutLog.at(-1);
			return heldOut ? {n, trainLoss: run.log.at(-1)!.avgLoss, heldOut} : undefined;
		}
		const heldOut = heldOutOf(this.corpus, n, this.options.choice ?? {});
		return heldOut ? {n, heldOut: (this.scored[n] ??= scoreHeldOut(model, heldOut, this.epochs))} : undefined;
	}

	private readonly scored: Array<ReturnType<typeof scoreHeldOut> | undefined> = [undefined, undefined, undefined, undefined];

	/** Start (once): take what the artifacts hold, then train the rest. */
	start(): void {
		if (this.started) return;
		this.started = true;
		const state = this.artifacts.getSnapshot();
		if (state.status === 'loaded') {
			const {meta, model} = state.loaded;
			const corpus = meta.raw['corpus'] as {sha256?: string} | undefined;
			// Only a model of this very corpus and training (held-out part and order included), so the four stay comparable.
			const heldOut = heldOutOf(this.corpus, meta.n, this.options.choice ?? {});
			const {shuffleSeed} = this.options;
			const split = splitSignature(heldOut?.meta, shuffleSeed === undefined ? undefined : {shuffle: true, seed: shuffleSeed});
			const sameSplit = splitSignature(meta.raw['held_out'], meta.raw['training_order']) === split;
			if (model instanceof Model && corpus?.sha256 === this.corpus.sha256 && meta.epochs === this.epochs && meta.learningRate === this.learningRate && sameSplit) {
				this.loaded[meta.n] = model;
			}
		}
		this.emit(true);
		this.schedule();
	}

	/** The corpus has no training pair for context size n (or, with held-out text, no pair on one side). */
	tooShort(n: number): boolean {
		if (this.corpus.ids.length < n + 1) return true;
		if (!this.holdsOut) return false;
		try {
			heldOutOf(this.corpus, n, this.options.choice ?? {});
			return false;
		} catch {
			return true;
		}
	}

	dispose(): void {
		this.cancel?.();
		this.listeners.clear();
	}

	private schedule(): void {
		this.cancel = this.scheduler.later(() => this.tick(), 0);
	}

	private tick(): void {
		const n = ORDER.find((k) => !this.tooShort(k) && !this.loaded[k] && !(this.runs[k] && this.runs[k]!.epochsDone >= this.epochs));
		if (n === undefined) {
			if (this.tickEmbeddings()) return;
			this.cancel = undefined;
			this.emit(true);
			return;
		}
		const run = (this.runs[n] ??= contextRun(this.corpus, n, this.learningRate, this.options.choice, this.options.shuffleSeed));
		if (this.chunkFor !== n) {
			this.chunkFor = n;
			this.chunk = 64;
		}
		const {scheduler} = this;
		const start = scheduler.now();
		while (scheduler.now() - start < 8 && run.epochsDone < this.epochs) {
			const chunkStart = scheduler.now();
			run.advance(this.chunk);
			const took = scheduler.now() - chunkStart;
			if (took < 1) this.chunk = Math.min(1 << 22, this.chunk * 2);
			else if (took > 4) this.chunk = Math.max(1, this.chunk >> 1);
		}
		this.version++;
		this.emit(run.epochsDone >= this.epochs);
		this.schedule();
	}

	/**
	 * A slice of the embeddings model's training, after the tables; false when
	 * there is none to do (trained, too short a corpus, or waiting to be asked).
	 */
	private tickEmbeddings(): boolean {
		const {settings, learningRate} = this.embeddingsOptions;
		if (this.tooShort(settings.n)) return false;
		const run = (this.embeddings ??= embeddingsRun(this.corpus, settings, learningRate, this.options.choice, this.options.shuffleSeed));
		if (run.epochsDone >= this.epochs) return false;
		if (this.slow && !this.embeddingsAsked) return false;
		// Timed on the real clock: the estimate is a measurement, whatever drives the slices.
		const start = nowMs();
		if (this.chunkFor !== -1) {
			this.chunkFor = -1;
			this.chunk = 1;
		}
		while (nowMs() - start < 8 && run.epochsDone < this.epochs) {
			const chunkStart = nowMs();
			run.advance(this.chunk);
			const took = nowMs() - chunkStart;
			if (took < 1) this.chunk = Math.min(1 << 22, this.chunk * 2);
			else if (took > 4) this.chunk = Math.max(1, this.chunk >> 1);
			if (this.embeddingsEstimate === undefined) break;
		}
		this.embeddingsTrainedMs += nowMs() - start;
		// The whole training's length, from the pace of the pairs so far.
		const pairsDone = run.epochsDone * run.pairCount + run.position;
		if (this.embeddingsEstimate === undefined && (this.embeddingsTrainedMs >= 20 || run.epochsDone >= this.epochs)) {
			this.embeddingsEstimate = (this.embeddingsTrainedMs / 1000 / pairsDone) * run.pairCount * this.epochs;
		}
		this.version++;
		this.emit(run.epochsDone >= this.epochs);
		this.schedule();
		return true;
	}

	private emit(force: boolean): void {
		const now = this.scheduler.now();
		if (!force && now - this.lastEmit < 100) return;
		this.lastEmit = now;
		this.snapshot = this.makeSnapshot();
		for (const listener of this.listeners) listener();
	}

	private makeSnapshot(): CompareSnapshot {
		const ready = [0, 1, 2, 3].map((n) => this.model(n as ContextSize) !== undefined);
		const run = this.embeddings;
		const slow = this.slow && !this.embeddingsAsked;
		const embeddings: EmbeddingsProgress = {
			state: run && run.epochsDone >= this.epochs ? 'ready' : slow ? 'asked' : run ? 'training' : 'waiting',
			epochs: run?.epochsDone ?? 0,
			...(this.embeddingsEstimate !== undefined ? {estimateSeconds: this.embeddingsEstimate} : {}),
			learningRate: this.embeddingsOptions.learningRate,
		};
		return {
			started: this.started,
			learningRate: this.learningRate,
			embeddings,
			epochs: [0, 1, 2, 3].map((n) => (this.loaded[n] ? this.epochs : (this.runs[n]?.epochsDone ?? 0))),
			target: this.epochs,
			fromArtifacts: this.loaded.map((m) => m !== undefined),
			ready,
			version: this.version,
		};
	}
}
