/**
 * The model of this corpus on disk, as the explorer's prompt, model and
 * compare stages read it: found by the corpus's fingerprint (the sha256 in
 * `00_meta.json`), loaded after the first frame, a large weights file on a
 * worker thread. A model of another corpus is only named, never used, until
 * the learner asks for it.
 */
import {statSync} from 'node:fs';
import {join} from 'node:path';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import {AttentionModel} from '../models/attention/model.js';
import {loadArtifacts, loadMeta, type LoadedArtifacts, type LoadedMeta} from '../artifacts/read.js';
import {META_FILE, WEIGHTS_FILE} from '../artifacts/write.js';
import {Model, type ContextSize, type SparseRows} from '../models/table/model.js';
import {makeVocabulary} from '../text/vocabulary.js';
import {UserError} from '../runtime/errors.js';
import {builtWorker, startWorker} from '../runtime/threads.js';

/** Weights files from this size on are read on a worker thread. */
const BACKGROUND_LOAD_BYTES = 4 * 1024 * 1024;

type LoadMessage =
	| {ok: false; error: string}
	| {
			ok: true;
			dir: string;
			meta: LoadedArtifacts['meta'];
			n: ContextSize;
			tokens: string[];
			frequencies: Int32Array;
			rows?: SparseRows;
			/** An embeddings model's parameters instead of a table's rows. */
			embeddings?: {d: number; E: Float64Array; W: Float64Array; b: Float64Array};
			/** An attention model's parameters. */
			attention?: {d: number; h: number; E: Float64Array; P: Float64Array; WQ: Float64Array; WK: Float64Array; WV: Float64Array; Wout: Float64Array; b: Float64Array};
			note?: string;
	  };

/** A model on disk: where, what its meta file says, and when it was written. */
export interface FoundModel {
	readonly dir: string;
	readonly meta: LoadedMeta;
	/** The corpus file it was trained on, as its meta file names it. */
	readonly corpusName: string;
	/** The modification time of its meta file (the meta file itself holds no time). */
	readonly trainedAt: Date;
	/** Trained on this session's corpus (same sha256), held out and ordered as this session asks. */
	readonly sameCorpus: boolean;
	/** The same corpus, but another held-out part or order of the pairs (the meta file's held_out, training_order). */
	readonly otherSplit?: boolean;
}

/** JSON with every object's keys sorted, so two values compare as text. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** How a run held text out and ordered its pairs, as a meta file records it (added keys held_out and training_order; both absent: none, corpus order). */
export function splitSignature(heldOut: unknown, trainingOrder: unknown): string {
	return canonical({held_out: heldOut ?? null, training_order: trainingOrder ?? null});
}

/** The split signature a meta file records. */
function splitOfMeta(meta: LoadedMeta): string {
	return splitSignature(meta.raw['held_out'], meta.raw['training_order']);
}

/** No held-out part, corpus order: what every set without those keys records. */
export const PLAIN_SPLIT = splitSignature(undefined, undefined);

export type ArtifactsState =
	| {readonly status: 'loading'}
	| {readonly status: 'loaded'; readonly loaded: LoadedArtifacts; readonly found: FoundModel}
	/** No model of this corpus; `other` is a model of another corpus the learner may choose. */
	| {readonly status: 'none'; readonly looked: readonly string[]; readonly other?: FoundModel}
	| {readonly status: 'error'; readonly error: string};

/** The sha256 a meta file records of its corpus, if any. */
export function corpusSha(meta: LoadedMeta): string | undefined {
	const corpus = meta.raw['corpus'] as {sha256?: unknown} | undefined;
	return typeof corpus?.sha256 === 'string' ? corpus.sha256 : undefined;
}

/** The corpus file a meta file names (its file name, else its path). */
export function corpusNameOf(meta: LoadedMeta): string {
	const corpus = meta.raw['corpus'] as {filename?: unknown; path?: unknown} | undefined;
	if (typeof corpus?.filename === 'string') return corpus.filename;
	if (typeof corpus?.path === 'string') return corpus.path.split(/[\\/]/).pop()!;
	return 'an unnamed corpus';
}

/**
 * What the meta file in `dir` says; undefined when there is none, or, with
 * `unreadable`, the one-line message of one that does not read (the same
 * as infer's).
 */
export function findModel(dir: string, sha256: string, unreadable?: (message: string) => void, split = PLAIN_SPLIT): FoundModel | undefined {
	let meta: LoadedMeta;
	let trainedAt: Date;
	try {
		trainedAt = statSync(join(dir, META_FILE)).mtime;
	} catch {
		return undefined;
	}
	try {
		meta = loadMeta(dir);
	} catch (error) {
		unreadable?.(error instanceof UserError ? error.message : String(error));
		return undefined;
	}
	const corpus = corpusSha(meta) === sha256;
	const sameSplit = splitOfMeta(meta) === split;
	return {dir, meta, corpusName: corpusNameOf(meta), trainedAt, sameCorpus: corpus && sameSplit, ...(corpus && !sameSplit ? {otherSplit: true} : {})};
}

/**
 * The model of a corpus among folders, in order: the first whose meta file
 * has the corpus's sha256; else none, with the first model found of another
 * corpus (to offer, not to use), or the message of the first meta file that
 * does not read.
 */
export function chooseModel(dirs: readonly string[], sha256: string, split = PLAIN_SPLIT): {found?: FoundModel; other?: FoundModel; error?: string} {
	let other: FoundModel | undefined;
	let error: string | undefined;
	for (const dir of dirs) {
		const found = findModel(dir, sha256, (message) => (error ??= message), split);
		if (found?.sameCorpus) return {found};
		other ??= found;
	}
	return {other, error};
}

export class ArtifactsStore {
	private state: ArtifactsState = {status: 'loading'};
	private readonly listeners = new Set<() => void>();

	/**
	 * @param dirs where to look for a model of the corpus, in order
	 * @param sha256 the corpus's fingerprint
	 */
	constructor(
		private readonly dirs: readonly string[],
		private readonly sha256: string,
		/** The session's held-out part and order of the pairs (splitSignature): a saved model is this corpus's only when they match. */
		private readonly split = PLAIN_SPLIT,
	) {}

	getSnapshot = (): ArtifactsState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/** Find and load the model of this corpus now. */
	load(): void {
		if (this.state.status !== 'loading') return;
		const {found, other, error} = chooseModel(this.dirs, this.sha256, this.split);
		if (!found) return this.settle(other || error === undefined ? {status: 'none', looked: this.dirs, other} : {status: 'error', error});
		this.loadFound(found, false);
	}

	/**
	 * Load without holding up the explorer: a large weights file is read on a
	 * worker thread (the built one; running from source, or for a small
	 * file, it is read here at once).
	 */
	loadInBackground(): void {
		if (this.state.status !== 'loading') return;
		const {found, other, error} = chooseModel(this.dirs, this.sha256, this.split);
		if (!found) return this.settle(other || error === undefined ? {status: 'none', looked: this.dirs, other} : {status: 'error', error});
		this.loadFound(found, true);
	}

	/** The learner's explicit choice: use the model of another corpus that was found. */
	useOther(): boolean {
		if (this.state.status !== 'none' || !this.state.other) return false;
		const other = this.state.other;
		this.state = {status: 'loading'};
		this.loadFound(other, false);
		return true;
	}

	private loadFound(found: FoundModel, background: boolean): void {
		const worker = background ? builtWorker('load-worker.js') : undefined;
		let size = 0;
		try {
			size = statSync(join(found.dir, WEIGHTS_FILE)).size;
		} catch {
			// Missing: loadArtifacts reports it.
		}
		if (!worker || size < BACKGROUND_LOAD_BYTES) {
			try {
				return this.settle({status: 'loaded', loaded: loadArtifacts(found.dir), found});
			} catch (error) {
				return this.settle({status: 'error', error: error instanceof UserError ? error.message : String(error)});
			}
		}
		const thread = startWorker(worker);
		thread.once('message', (message: LoadMessage) => {
			void thread.terminate();
			if (!message.ok) return this.settle({status: 'error', error: message.error});
			const vocabulary = makeVocabulary(message.tokens, message.frequencies);
			const {embeddings, attention} = message;
			const model = attention
				? new AttentionModel(vocabulary, {n: message.n, d: attention.d, h: attention.h}, attention)
				: embeddings
					? new EmbeddingsModel(vocabulary, message.n, embeddings.d, embeddings.E, embeddings.W, embeddings.b)
					: new Model(vocabulary, message.n, message.rows!);
			this.settle({status: 'loaded', loaded: {dir: message.dir, meta: message.meta, model, ...(message.note ? {note: message.note} : {})}, found});
		});
		thread.once('error', (error) => this.settle({status: 'error', error: error.message}));
		thread.postMessage(found.dir);
	}

	private settle(state: ArtifactsState): void {
		if (this.state.status !== 'loading') return;
		this.state = state;
		for (const listener of this.listeners) listener();
	}
}
