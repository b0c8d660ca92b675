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
import type {ContextSize, Model} from '../models/table/model.js';
import {TrainingRun} from '../models/table/run.js';
import {realScheduler, type Scheduler} from './train-controller.js';
import type {ArtifactsStore} from './artifacts-store.js';

export interface CompareSnapshot {
	readonly started: boolean;
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

	constructor(
		private readonly corpus: Corpus,
		private readonly epochs: number,
		private readonly learningRate: number,
		private readonly artifacts: ArtifactsStore,
		private readonly scheduler: Scheduler = realScheduler,
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

	/**
	 * The average loss of each epoch of the model trained here for context size
	 * n (empty before any); undefined for a model read from the artifacts, whose
	 * training log is not in memory.
	 */
	losses(n: ContextSize): readonly number[] | undefined {
		if (this.loaded[n]) return undefined;
		return this.runs[n]?.log.map((e) => e.avgLoss) ?? [];
	}

	/** Start (once): take what the artifacts hold, then train the rest. */
	start(): void {
		if (this.started) return;
		this.started = true;
		const state = this.artifacts.getSnapshot();
		if (state.status === 'loaded') {
			const {meta, model} = state.loaded;
			const corpus = meta.raw['corpus'] as {sha256?: string} | undefined;
			// Only a model of this very corpus and training, so the four stay comparable.
			if (corpus?.sha256 === this.corpus.sha256 && meta.epochs === this.epochs && meta.learningRate === this.learningRate) {
				this.loaded[meta.n] = model;
			}
		}
		this.emit(true);
		this.schedule();
	}

	/** The corpus has no training pair for context size n. */
	tooShort(n: number): boolean {
		return this.corpus.ids.length < n + 1;
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
			this.cancel = undefined;
			this.emit(true);
			return;
		}
		const run = (this.runs[n] ??= new TrainingRun(this.corpus.vocabulary, this.corpus.ids, n, this.learningRate));
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

	private emit(force: boolean): void {
		const now = this.scheduler.now();
		if (!force && now - this.lastEmit < 100) return;
		this.lastEmit = now;
		this.snapshot = this.makeSnapshot();
		for (const listener of this.listeners) listener();
	}

	private makeSnapshot(): CompareSnapshot {
		const ready = [0, 1, 2, 3].map((n) => this.model(n as ContextSize) !== undefined);
		return {
			started: this.started,
			epochs: [0, 1, 2, 3].map((n) => (this.loaded[n] ? this.epochs : (this.runs[n]?.epochsDone ?? 0))),
			target: this.epochs,
			fromArtifacts: this.loaded.map((m) => m !== undefined),
			ready,
			version: this.version,
		};
	}
}
