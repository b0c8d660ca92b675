/**
 * The model of the committed (or given) artifacts, as the explorer's prompt
 * and compare stages read it: loaded after the first frame, a large weights
 * file on a worker thread.
 */
import {statSync} from 'node:fs';
import {join} from 'node:path';
import {loadArtifacts, type LoadedArtifacts} from '../artifacts/read.js';
import {WEIGHTS_FILE} from '../artifacts/write.js';
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
			rows: SparseRows;
	  };

export type ArtifactsState =
	| {readonly status: 'loading'}
	| {readonly status: 'loaded'; readonly loaded: LoadedArtifacts}
	| {readonly status: 'error'; readonly error: string};

/**
 * The model of the committed (or given) artifacts, loaded on demand: the
 * explorer draws its first frame first and loads them right after.
 */
export class ArtifactsStore {
	private state: ArtifactsState = {status: 'loading'};
	private readonly listeners = new Set<() => void>();

	constructor(private readonly dir: string) {}

	getSnapshot = (): ArtifactsState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	load(): void {
		if (this.state.status !== 'loading') return;
		try {
			this.settle({status: 'loaded', loaded: loadArtifacts(this.dir)});
		} catch (error) {
			this.settle({status: 'error', error: error instanceof UserError ? error.message : String(error)});
		}
	}

	/**
	 * Load without holding up the explorer: a large weights file is read on a
	 * worker thread (the built one; running from source, or for a small
	 * file, it is read here at once).
	 */
	loadInBackground(): void {
		if (this.state.status !== 'loading') return;
		const worker = builtWorker('load-worker.js');
		let size = 0;
		try {
			size = statSync(join(this.dir, WEIGHTS_FILE)).size;
		} catch {
			// Missing: load() reports it.
		}
		if (!worker || size < BACKGROUND_LOAD_BYTES) return this.load();
		const thread = startWorker(worker);
		thread.once('message', (message: LoadMessage) => {
			void thread.terminate();
			if (!message.ok) return this.settle({status: 'error', error: message.error});
			const vocabulary = makeVocabulary(message.tokens, message.frequencies);
			const model = new Model(vocabulary, message.n, message.rows);
			this.settle({status: 'loaded', loaded: {dir: message.dir, meta: message.meta, model}});
		});
		thread.once('error', (error) => this.settle({status: 'error', error: error.message}));
		thread.postMessage(this.dir);
	}

	private settle(state: ArtifactsState): void {
		if (this.state.status !== 'loading') return;
		this.state = state;
		for (const listener of this.listeners) listener();
	}
}
