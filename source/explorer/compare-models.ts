/**
 * The four models of the compare stage (contexts of 0..3 words), trained in
 * the background on the session's corpus in short slices, one after the
 * other; a model the artifacts already hold for this corpus is used as it is.
 *
 * The longest context goes first: its rows are the narrowest, so its epochs
 * cost least, and on a large corpus the unigram's one row holds every token
 * of the vocabulary (on Brown an epoch of it is 65 billion weight updates).
 * A slice trains chunks of pairs sized to take about 2 ms each, so keys still
 * answer while a wide model trains. After the tables, the embeddings and
 * the attention models train the same way, each only on request when its
 * measured pace says it would take longer than SLOW_SECONDS.
 */
import type {Corpus} from '../text/corpus.js';
import {Model, type ContextSize} from '../models/table/model.js';
import type {TrainingRun} from '../models/table/run.js';
import {attentionRun, contextRun, embeddingsRun, type Generalisation} from '../models/compare.js';
import type {EmbeddingsRun, EmbeddingsSettings} from '../models/embeddings/run.js';
import type {EmbeddingsModel} from '../models/embeddings/model.js';
import type {AttentionRun, AttentionSettings} from '../models/attention/run.js';
import type {AttentionModel} from '../models/attention/model.js';
import {heldOutOf, scoreHeldOut, type HeldOutChoice, type HeldOutEpoch} from '../models/held-out.js';
import {splitSignature} from './artifacts-store.js';
import {realScheduler, type Scheduler} from './train-controller.js';
import {nowMs} from '../runtime/clock.js';
import type {ArtifactsStore} from './artifacts-store.js';

/** Where one of the compare stage's vector models (embeddings, attention) is. */
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
	/** The embeddings model (0) and the attention model (1). */
	readonly vectors: readonly EmbeddingsProgress[];
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

/** A vector model whose training would take longer than this trains only when the learner asks. */
export const SLOW_SECONDS = 60;

/** The compare stage's vector models, in column order after the tables. */
export const VECTOR_KINDS = ['embeddings', 'attention'] as const;

/** One vector model of the comparison: its run (made when the tables are done), and how long it would take. */
class VectorSlot<R extends EmbeddingsRun | AttentionRun> {
	run: R | undefined;
	asked = false;
	estimate: number | undefined;
	trainedMs = 0;

	constructor(
		readonly n: number,
		readonly learningRate: number,
		private readonly make: () => R,
	) {}

	/** The model once trained. */
	model(epochs: number): R['model'] | undefined {
		return this.run && this.run.epochsDone >= epochs ? this.run.model : undefined;
	}

	figures(): {readonly losses: readonly number[]; readonly heldOut?: HeldOutEpoch; readonly n: number} {
		return {losses: this.run?.log.map((e) => e.avgLoss) ?? [], heldOut: this.run?.heldOutLog.at(-1), n: this.n};
	}

	slow(slowSeconds: number): boolean {
		return this.estimate !== undefined && this.estimate > slowSeconds;
	}

	/** Up to ~8 ms of training; false when there is none to do (trained, or waiting to be asked). */
	tick(epochs: number, slowSeconds: number, chunk: {size: number}): boolean {
		const run = (this.run ??= this.make());
		if (run.epochsDone >= epochs) return false;
		if (this.slow(slowSeconds) && !this.asked) return false;
		// Timed on the real clock: the estimate is a measurement, whatever drives the slices.
		const start = nowMs();
		while (nowMs() - start < 8 && run.epochsDone < epochs) {
			const chunkStart = nowMs();
			run.advance(chunk.size);
			const took = nowMs() - chunkStart;
			if (took < 1) chunk.size = Math.min(1 << 22, chunk.size * 2);
			else if (took > 4) chunk.size = Math.max(1, chunk.size >> 1);
			if (this.estimate === undefined) break;
		}
		this.trainedMs += nowMs() - start;
		// The whole training's length, from the pace of the pairs so far.
		const pairsDone = run.epochsDone * run.pairCount + run.position;
		if (this.estimate === undefined && (this.trainedMs >= 20 || run.epochsDone >= epochs)) {
			this.estimate = (this.trainedMs / 1000 / pairsDone) * run.pairCount * epochs;
		}
		return true;
	}

	progress(epochs: number, slowSeconds: number): EmbeddingsProgress {
		const {run} = this;
		const slow = this.slow(slowSeconds) && !this.asked;
		return {
			state: run && run.epochsDone >= epochs ? 'ready' : slow ? 'asked' : run ? 'training' : 'waiting',
			epochs: run?.epochsDone ?? 0,
			...(this.estimate !== undefined ? {estimateSeconds: this.estimate} : {}),
			learningRate: this.learningRate,
		};
	}
}

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
	/** The embeddings and attention models, beside the four tables (trained after them). */
	private readonly vectors: readonly [VectorSlot<EmbeddingsRun>, VectorSlot<AttentionRun>];
	private readonly vectorChunk = {size: 1};

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
			readonly attention?: {readonly settings: AttentionSettings; readonly learningRate: number};
			/** Above this estimate (seconds) a vector model waits for the learner's key (default SLOW_SECONDS). */
			readonly slowSeconds?: number;
		} = {},
	) {
		// The session's settings when it trains one of them, else the series' (context 2, d 16, h 16, lr 0.01).
		const seed = options.shuffleSeed ?? 0;
		const embeddings = options.embeddings ?? {settings: {n: 2, d: 16, seed, initScale: 0.01, exactGradient: false}, learningRate: 0.01};
		const attention = options.attention ?? {settings: {n: 2, d: 16, h: 16, seed, initScale: 0.01, clip: 1, exactGradient: false}, learningRate: 0.01};
		this.vectors = [
			new VectorSlot(embeddings.settings.n, embeddings.learningRate, () => embeddingsRun(corpus, embeddings.settings, embeddings.learningRate, options.choice, options.shuffleSeed)),
			new VectorSlot(attention.settings.n, attention.learningRate, () => attentionRun(corpus, attention.settings, attention.learningRate, options.choice, options.shuffleSeed)),
		];
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

	/** The embeddings model (0) or the attention model (1), once trained. */
	vectorModel(k: 0): EmbeddingsModel | undefined;
	vectorModel(k: 1): AttentionModel | undefined;
	vectorModel(k: number): EmbeddingsModel | AttentionModel | undefined;
	vectorModel(k: number): EmbeddingsModel | AttentionModel | undefined {
		return this.vectors[k]?.model(this.epochs);
	}

	/** The embeddings model once trained. */
	embeddingsModel(): EmbeddingsModel | undefined {
		return this.vectorModel(0);
	}

	/** A vector model's losses so far, its held-out figures once trained, and its context size. */
	vectorFigures(k: number): {readonly losses: readonly number[]; readonly heldOut?: HeldOutEpoch; readonly n: number} {
		return this.vectors[k]!.figures();
	}

	/** The embeddings model's figures. */
	embeddingsFigures(): {readonly losses: readonly number[]; readonly heldOut?: HeldOutEpoch; readonly n: number} {
		return this.vectorFigures(0);
	}

	/** Train the slow vector models after all (the learner asked). */
	trainEmbeddings(): void {
		if (this.vectors.every((slot) => slot.asked)) return;
		for (const slot of this.vectors) slot.asked = true;
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
	 * A slice of a vector model's training, after the tables (the embeddings
	 * model, then the attention model); false when there is none to do.
	 */
	private tickEmbeddings(): boolean {
		const slowSeconds = this.options.slowSeconds ?? SLOW_SECONDS;
		for (const slot of this.vectors) {
			if (this.tooShort(slot.n)) continue;
			if (this.chunkFor !== -1 - this.vectors.indexOf(slot)) {
				this.chunkFor = -1 - this.vectors.indexOf(slot);
				this.vectorChunk.size = 1;
			}
			if (!slot.tick(this.epochs, slowSeconds, this.vectorChunk)) continue;
			this.version++;
			this.emit(slot.run!.epochsDone >= this.epochs);
			this.schedule();
			return true;
		}
		return false;
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
		const slowSeconds = this.options.slowSeconds ?? SLOW_SECONDS;
		return {
			started: this.started,
			learningRate: this.learningRate,
			vectors: this.vectors.map((slot) => slot.progress(this.epochs, slowSeconds)),
			epochs: [0, 1, 2, 3].map((n) => (this.loaded[n] ? this.epochs : (this.runs[n]?.epochsDone ?? 0))),
			target: this.epochs,
			fromArtifacts: this.loaded.map((m) => m !== undefined),
			ready,
			version: this.version,
		};
	}
}
