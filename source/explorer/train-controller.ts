/**
 * Drives a training run for the explorer, off the render path: the work is
 * cut into slices of a few milliseconds that yield to the event loop, so keys
 * and frames keep flowing while a large corpus trains, and a small one is
 * slowed to a pace a person can follow. React reads immutable snapshots
 * (useSyncExternalStore); nothing here imports Ink or React.
 */
import type {HeldOutEpoch} from '../models/held-out.js';
import type {EpochResult} from '../models/table/train.js';
import {TrainingRun, type StepDetail} from '../models/table/run.js';
import type {Trainer} from '../models/next-token.js';
import type {EmbeddingsStep} from '../models/embeddings/run.js';
import type {AttentionStep} from '../models/attention/run.js';

/** What one step reports, whichever family trains. */
export type AnyStep = StepDetail | EmbeddingsStep | AttentionStep;

/** What writing a finished run's artifacts did: the files, and a note on where (and why there). */
export interface WriteResult {
	readonly files: readonly string[];
	readonly note?: string;
}

export type TrainStatus = 'idle' | 'running' | 'paused' | 'done';

/** Epochs a second, from slowest to full speed. */
export const PACES = [1, 2, 5, 10, 20, 50, 100, Infinity] as const;
export const DEFAULT_PACE = 3;

/** Epochs that E and e add and take away, and that space adds to continue a finished run. */
export const EPOCHS_STEP = 10;
/** The learning rates l and L step through (a rate given on the command line joins them). */
export const LEARNING_RATES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] as const;

export interface TrainSnapshot {
	readonly status: TrainStatus;
	readonly epochsTarget: number;
	readonly log: readonly EpochResult[];
	/** The held-out figures after each epoch, when the run holds text out. */
	readonly heldOutLog: readonly HeldOutEpoch[];
	/** Pairs done in the current epoch. */
	readonly position: number;
	readonly pairCount: number;
	/** Time spent running, pauses excluded. */
	readonly elapsedMs: number;
	/** Recent training speed (pairs a second), 0 before any. */
	readonly pairsPerSecond: number;
	readonly paceIndex: number;
	/** Files written when the last run finished. */
	readonly written?: readonly string[];
	/** Where they went and why there, when not simply the folders asked for. */
	readonly writeNote?: string;
	readonly writeError?: string;
	/** The finished run's artifacts are being written. */
	readonly writing: boolean;
	readonly lastStep?: AnyStep;
	/** Rows touched at least once since the last reset. */
	readonly touchedRows: number;
	/** Grows whenever the weights change. */
	readonly version: number;
	/** A run has finished since the explorer started (its model is the trained one). */
	readonly finishedOnce: boolean;
	/** The learning rate the next step uses. */
	readonly learningRate: number;
	/** Every rate used in this run, in order (more than one when the learner changed it). */
	readonly learningRates: readonly number[];
	/** When the run last finished (wall clock), while its model is kept. */
	readonly finishedAt?: Date;
}

/** The run has trained at least one pair: its model is this session's, not the one on disk. */
export function hasTrained(train: TrainSnapshot): boolean {
	return train.log.length > 0 || train.position > 0;
}

export interface Scheduler {
	now(): number;
	/** Run `fn` after `ms` (0: as soon as the event loop is free); returns a cancel function. */
	later(fn: () => void, ms: number): () => void;
}

export const realScheduler: Scheduler = {
	now: () => performance.now(),
	later(fn, ms) {
		if (ms <= 0) {
			const handle = setImmediate(fn);
			return () => clearImmediate(handle);
		}
		const handle = setTimeout(fn, ms);
		return () => clearTimeout(handle);
	},
};

export interface TrainControllerOptions<R extends Trainer<AnyStep> = Trainer<AnyStep>> {
	readonly run: R;
	readonly epochs: number;
	/** Writes the artifacts of a finished run; returns (or resolves to) the paths written. */
	readonly write: (run: R, epochs: number) => WriteResult | Promise<WriteResult>;
	readonly scheduler?: Scheduler;
	/** Longest slice of work before yielding, in ms. */
	readonly sliceMs?: number;
	/** Least time between two snapshots while running, in ms. */
	readonly emitEveryMs?: number;
}

/** Drives a run of any family (a table's TrainingRun, an EmbeddingsRun): R is which. */
export class TrainController<R extends Trainer<AnyStep> = Trainer<AnyStep>> {
	readonly run: R;
	private readonly write: (run: R, epochs: number) => WriteResult | Promise<WriteResult>;
	private readonly scheduler: Scheduler;
	private readonly sliceMs: number;
	private readonly emitEveryMs: number;
	private readonly listeners = new Set<() => void>();
	private snapshot: TrainSnapshot;
	private status: TrainStatus = 'idle';
	private epochsTarget: number;
	private paceIndex = DEFAULT_PACE;
	private elapsedMs = 0;
	private runningSince = 0;
	private pairsPerSecond = 0;
	private chunk = 256;
	private readonly minChunk: number;
	private cancel: (() => void) | undefined;
	private stopAtEpochEnd = false;
	private nextEpochAt = 0;
	private lastEmit = -Infinity;
	private version = 0;
	private written: readonly string[] | undefined;
	private writeNote: string | undefined;
	private finishedAt: Date | undefined;
	private writeError: string | undefined;
	private writing = false;
	private lastStep: AnyStep | undefined;
	private finishedOnce = false;
	private readonly touched: Uint8Array;
	private touchedRows = 0;

	constructor(options: TrainControllerOptions<R>) {
		this.run = options.run;
		this.epochsTarget = options.epochs;
		this.write = options.write;
		this.scheduler = options.scheduler ?? realScheduler;
		this.sliceMs = options.sliceMs ?? 8;
		this.emitEveryMs = options.emitEveryMs ?? 100;
		// A table's rows the run has changed (an embeddings model changes all of W every step).
		this.touched = new Uint8Array(this.run instanceof TrainingRun ? this.run.model.rowCount : 0);
		// A table's pair costs its row; an embeddings pair all of W (n·d·V numbers, milliseconds on a large
		// vocabulary): its chunks start at one pair and may shrink to one, so keys keep answering.
		this.minChunk = this.run instanceof TrainingRun ? 64 : 1;
		this.chunk = this.run instanceof TrainingRun ? 256 : 1;
		this.snapshot = this.makeSnapshot();
	}

	getSnapshot = (): TrainSnapshot => this.snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/**
	 * Space: start, pause, resume. A finished run is never thrown away here:
	 * it continues to the epochs set with E, or EPOCHS_STEP more.
	 */
	toggle(): void {
		if (this.status === 'running') return this.pause();
		if (this.status === 'done') this.continueTo(this.epochsTarget > this.run.epochsDone ? this.epochsTarget : this.run.epochsDone + EPOCHS_STEP);
		this.start(false);
	}

	/** Train to the end of the current epoch, then pause (a finished run: one more epoch). */
	oneEpoch(): void {
		if (this.status === 'done') this.continueTo(this.run.epochsDone + 1);
		if (this.status === 'running') {
			this.stopAtEpochEnd = true;
			return;
		}
		this.start(true);
	}

	/** Train the next pair alone, keeping what it did for display (a finished run goes on into one more epoch). */
	step(): ReturnType<R['step']> {
		if (this.status === 'running') this.pause();
		if (this.status === 'done') this.continueTo(this.run.epochsDone + 1);
		const detail = this.run.step() as ReturnType<R['step']>;
		if (detail.family === 'table') this.markTouched(detail.slot);
		this.lastStep = detail;
		this.version++;
		if (detail.finished && this.run.epochsDone >= this.epochsTarget) this.finish();
		else this.status = this.run.epochsDone > 0 || this.run.position > 0 ? 'paused' : 'idle';
		this.emit(true);
		return detail;
	}

	pause(): void {
		if (this.status !== 'running') return;
		this.cancel?.();
		this.cancel = undefined;
		this.elapsedMs += this.scheduler.now() - this.runningSince;
		this.status = 'paused';
		this.emit(true);
	}

	/** Epochs to train in all: at least those done (at least one more when inside an epoch). */
	setEpochs(epochs: number): void {
		const least = Math.max(1, this.run.epochsDone + (this.run.position > 0 ? 1 : 0));
		const target = Math.max(least, Math.floor(epochs));
		if (target === this.epochsTarget) return;
		this.epochsTarget = target;
		// Lowered to the epochs done: the run has reached its end.
		if (this.status !== 'done' && this.status !== 'running' && this.run.epochsDone >= target && this.run.position === 0 && this.run.epochsDone > 0) this.finish();
		// Raised above a finished run's: it is paused, with epochs to go.
		else if (this.status === 'done' && target > this.run.epochsDone) this.status = 'paused';
		this.emit(true);
	}

	get epochs(): number {
		return this.epochsTarget;
	}

	/** The learning rate from the next pair on (the run keeps what each stretch used). */
	setLearningRate(learningRate: number): void {
		if (!(learningRate > 0) || !Number.isFinite(learningRate)) return;
		this.run.setLearningRate(learningRate);
		this.emit(true);
	}

	/**
	 * Back to zero weights: the explorer asks the learner first when the run
	 * has trained anything, since this throws its model away.
	 */
	reset(): void {
		this.cancel?.();
		this.cancel = undefined;
		this.run.reset();
		this.status = 'idle';
		this.elapsedMs = 0;
		this.pairsPerSecond = 0;
		this.stopAtEpochEnd = false;
		this.written = undefined;
		this.writeNote = undefined;
		this.finishedAt = undefined;
		this.writeError = undefined;
		this.lastStep = undefined;
		this.touched.fill(0);
		this.touchedRows = 0;
		this.version++;
		this.emit(true);
	}

	faster(): void {
		this.paceIndex = Math.min(PACES.length - 1, this.paceIndex + 1);
		this.nextEpochAt = 0;
		this.emit(true);
	}

	slower(): void {
		this.paceIndex = Math.max(0, this.paceIndex - 1);
		this.emit(true);
	}

	/** The write of a finished run on its thread, if one is under way. */
	private pendingWrite: Promise<void> | undefined;

	/**
	 * Settles when no write is under way: a hang-up waits for it, so the set
	 * on disk is whole before the process ends.
	 */
	whenWritten(): Promise<void> {
		return this.pendingWrite ?? Promise.resolve();
	}

	/** Stop any scheduled work (the explorer is closing). */
	dispose(): void {
		this.cancel?.();
		this.cancel = undefined;
		this.listeners.clear();
	}

	/** A finished run goes on to `epochs` in all; its model, log and chart continue. */
	private continueTo(epochs: number): void {
		this.epochsTarget = Math.max(epochs, this.run.epochsDone + 1);
		this.status = 'paused';
		this.written = undefined;
		this.writeNote = undefined;
		this.writeError = undefined;
	}

	private start(stopAtEpochEnd: boolean): void {
		this.status = 'running';
		this.stopAtEpochEnd = stopAtEpochEnd;
		this.runningSince = this.scheduler.now();
		this.nextEpochAt = 0;
		this.emit(true);
		this.schedule(0);
	}

	private schedule(ms: number): void {
		this.cancel = this.scheduler.later(() => this.tick(), ms);
	}

	private tick(): void {
		this.cancel = undefined;
		if (this.status !== 'running') return;
		const {scheduler} = this;
		const sliceStart = scheduler.now();
		const pace = PACES[this.paceIndex]!;
		let pairs = 0;
		while (scheduler.now() - sliceStart < this.sliceMs) {
			// The epochs were lowered to those done while running.
			if (this.run.position === 0 && this.run.epochsDone >= this.epochsTarget) {
				this.record(pairs, sliceStart);
				this.finish();
				return;
			}
			if (this.run.position === 0 && pace !== Infinity) {
				const wait = this.nextEpochAt - scheduler.now();
				if (wait > 0) {
					this.record(pairs, sliceStart);
					this.emit(false);
					this.schedule(wait);
					return;
				}
			}
			const chunkStart = scheduler.now();
			const from = this.run.position;
			if (from === 0) this.nextEpochAt = chunkStart + 1000 / pace;
			const finished = this.run.advance(this.chunk);
			const done = finished ? this.run.pairCount - from : this.run.position - from;
			this.markStretch(from, from + done);
			pairs += done;
			// Aim for chunks of about 2 ms so a slice ends close to its budget.
			const took = scheduler.now() - chunkStart;
			if (took < 1) this.chunk = Math.min(1 << 22, this.chunk * 2);
			else if (took > 4) this.chunk = Math.max(this.minChunk, this.chunk >> 1);
			if (finished) {
				this.version++;
				if (this.run.epochsDone >= this.epochsTarget) {
					this.record(pairs, sliceStart);
					this.finish();
					return;
				}
				if (this.stopAtEpochEnd) {
					this.record(pairs, sliceStart);
					this.pause();
					return;
				}
			}
		}
		this.version++;
		this.record(pairs, sliceStart);
		this.emit(false);
		this.schedule(0);
	}

	private record(pairs: number, sliceStart: number): void {
		const ms = this.scheduler.now() - sliceStart;
		if (pairs > 0 && ms > 0) {
			const rate = (pairs / ms) * 1000;
			this.pairsPerSecond = this.pairsPerSecond === 0 ? rate : this.pairsPerSecond * 0.7 + rate * 0.3;
		}
	}

	private finish(): void {
		this.elapsedMs += this.scheduler.now() - this.runningSince;
		this.status = 'done';
		this.finishedOnce = true;
		this.finishedAt = new Date();
		this.version++;
		const wrote = (result: WriteResult) => {
			this.written = result.files;
			this.writeNote = result.note;
			this.writeError = undefined;
		};
		const failed = (error: unknown) => {
			this.written = undefined;
			this.writeNote = undefined;
			this.writeError = error instanceof Error ? error.message : String(error);
		};
		try {
			const result = this.write(this.run, this.run.epochsDone);
			if (!(result instanceof Promise)) wrote(result);
			else {
				this.writing = true;
				const run = this.version;
				const pending = result.then(wrote, failed).finally(() => {
					if (this.pendingWrite === pending) this.pendingWrite = undefined;
					this.writing = false;
					// A reset meanwhile leaves the new state alone.
					if (run !== this.version) {
						this.written = undefined;
						this.writeNote = undefined;
						this.writeError = undefined;
					}
					this.emit(true);
				});
				this.pendingWrite = pending;
			}
		} catch (error) {
			failed(error);
		}
		this.emit(true);
	}

	private markStretch(from: number, to: number): void {
		if (this.touchedRows === this.touched.length || !(this.run instanceof TrainingRun)) return;
		const rows = this.run.pairs.pairRow;
		for (let i = from; i < to; i++) this.markTouched(rows[i]!);
	}

	private markTouched(slot: number): void {
		if (this.touched[slot] === 0) {
			this.touched[slot] = 1;
			this.touchedRows++;
		}
	}

	private emit(force: boolean): void {
		const now = this.scheduler.now();
		if (!force && now - this.lastEmit < this.emitEveryMs) return;
		this.lastEmit = now;
		this.snapshot = this.makeSnapshot();
		for (const listener of this.listeners) listener();
	}

	private makeSnapshot(): TrainSnapshot {
		const running = this.status === 'running';
		return {
			status: this.status,
			epochsTarget: this.epochsTarget,
			log: [...this.run.log],
			heldOutLog: [...this.run.heldOutLog],
			position: this.run.position,
			pairCount: this.run.pairCount,
			elapsedMs: this.elapsedMs + (running ? this.scheduler.now() - this.runningSince : 0),
			pairsPerSecond: this.pairsPerSecond,
			paceIndex: this.paceIndex,
			written: this.written,
			writeError: this.writeError,
			writing: this.writing,
			lastStep: this.lastStep,
			touchedRows: this.touchedRows,
			version: this.version,
			finishedOnce: this.finishedOnce,
			learningRate: this.run.learningRate,
			learningRates: this.run.learningRateSchedule.map((c) => c.learningRate),
			finishedAt: this.status === 'done' ? this.finishedAt : undefined,
			writeNote: this.writeNote,
		};
	}
}

/** The epochs E (by 1) and e (by -1) set: steps of 1 below 10, of 10 to 100, of 100 above. */
export function nextEpochs(epochs: number, by: 1 | -1): number {
	const stride = (e: number) => (e < 10 ? 1 : e < 100 ? 10 : 100);
	if (by > 0) return epochs + stride(epochs);
	const down = epochs - stride(epochs - 1);
	return Math.max(1, down);
}

/** The learning rate L (by 1) and l (by -1) set: the next of LEARNING_RATES above or below, staying at the ends. */
export function nextLearningRate(current: number, by: 1 | -1): number {
	if (by > 0) return LEARNING_RATES.find((rate) => rate > current) ?? Math.max(current, LEARNING_RATES[LEARNING_RATES.length - 1]!);
	return [...LEARNING_RATES].reverse().find((rate) => rate < current) ?? Math.min(current, LEARNING_RATES[0]);
}
