/**
 * What the explorer works on: the corpus, the training run and its
 * controller, the model loaded from the artifacts, and the settings from the
 * command line. Built once at start, outside React.
 */
import {checkTrainable, readCorpusFile, type Corpus} from '../text/corpus.js';
import {Model, type ContextSize} from '../models/table/model.js';
import {TrainingRun} from '../models/table/run.js';
import {writeArtifacts} from '../artifacts/write.js';
import {UserError} from '../runtime/errors.js';
import {ensureWritableDirectory} from '../runtime/atomic-write.js';
import {builtWorker, startWorker} from '../runtime/threads.js';
import {TrainController, type Scheduler} from './train-controller.js';
import {CompareModels} from './compare-models.js';
import {ArtifactsStore} from './artifacts-store.js';

export interface ExplorerSettings {
	readonly corpusPath: string;
	readonly context: ContextSize;
	readonly epochs: number;
	readonly learningRate: number;
	readonly artifactsDir: string;
	/** Where the prompt stage's model is read from at start. */
	readonly artifactsToRead: string;
	readonly outputsDir: string;
	readonly seed: number;
	readonly num: number;
	readonly topK: number;
	readonly temperature?: number;
	readonly topP?: number;
}

/** Models with this many explicit weights or more are written on a worker thread. */
const BACKGROUND_WRITE_WEIGHTS = 200_000;

export interface ExplorerSession {
	readonly settings: ExplorerSettings;
	readonly corpus: Corpus;
	readonly controller: TrainController;
	/** The model of the artifacts (loading, loaded, or why it could not be loaded). */
	readonly artifacts: ArtifactsStore;
	/** The four context sizes of the compare stage, trained when it first opens. */
	readonly compare: CompareModels;
}

export function createSession(settings: ExplorerSettings, scheduler?: Scheduler, loadArtifactsNow = true): ExplorerSession {
	const corpus = readCorpusFile(settings.corpusPath);
	checkTrainable(corpus, settings.context);
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, settings.context, settings.learningRate);
	const controller = new TrainController({
		run,
		epochs: settings.epochs,
		scheduler,
		write: (finished) => {
			const request = {
				artifactsDir: settings.artifactsDir,
				outputsDir: settings.outputsDir,
				settings: {learningRate: settings.learningRate, epochs: settings.epochs},
				pairCount: finished.pairCount,
				log: [...finished.log],
			};
			const worker = builtWorker('write-worker.js');
			if (!worker || finished.model.explicitCount < BACKGROUND_WRITE_WEIGHTS) {
				ensureWritableDirectory(settings.artifactsDir, 'artifacts');
				ensureWritableDirectory(settings.outputsDir, 'outputs');
				return writeArtifacts({...request, model: finished.model, corpus});
			}
			// A large model: written on a thread, from a copy of the weights (training
			// may start again meanwhile).
			const {model} = finished;
			const {path, sha256, numLines, numChars} = corpus;
			return new Promise<string[]>((resolve, reject) => {
				const thread = startWorker(worker);
				thread.once('message', (message: {ok: true; written: string[]} | {ok: false; error: string}) => {
					void thread.terminate();
					if (message.ok) resolve(message.written);
					else reject(new Error(message.error));
				});
				thread.once('error', reject);
				thread.postMessage({
					...request,
					tokens: model.vocabulary.tokens,
					frequencies: model.vocabulary.frequencies,
					n: model.n,
					rows: {...model.rows, weights: model.rows.weights.slice(), shared: model.rows.shared.slice()},
					corpus: {path, sha256, numLines, numChars, ids: {length: corpus.ids.length}},
				});
			});
		},
	});
	const artifacts = new ArtifactsStore(settings.artifactsToRead);
	if (loadArtifactsNow) artifacts.load();
	const compare = new CompareModels(corpus, settings.epochs, settings.learningRate, artifacts, scheduler);
	return {settings, corpus, controller, artifacts, compare};
}

/** The model the prompt stage uses: this session's once a run has finished, else the artifacts'. */
export function promptModel(session: ExplorerSession, finishedOnce: boolean): {model: Model | null; source: string; error?: string} {
	if (finishedOnce) return {model: session.controller.run.model, source: 'this session\'s training'};
	const state = session.artifacts.getSnapshot();
	if (state.status === 'loaded') return {model: state.loaded.model, source: state.loaded.dir + '/'};
	if (state.status === 'loading') return {model: null, source: 'none', error: `loading the model from ${session.settings.artifactsToRead}/…`};
	return {model: null, source: 'none', error: state.error};
}
