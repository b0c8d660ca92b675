/**
 * What the explorer works on: the corpus, the training run and its
 * controller, the model loaded from the artifacts, and the settings from the
 * command line. Built once at start, outside React.
 */
import {readCorpusFile, type Corpus} from '../core/corpus.js';
import {writeArtifacts} from '../core/artifacts.js';
import {loadArtifacts, type LoadedArtifacts} from '../core/load-artifacts.js';
import type {ContextSize, Model} from '../core/model.js';
import {TrainingRun} from '../core/run.js';
import {UserError} from '../core/errors.js';
import {ensureWritableDirectory} from '../core/atomic-write.js';
import {checkTrainable} from '../commands/train.js';
import {TrainController, type Scheduler} from './train-controller.js';

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

export interface ExplorerSession {
	readonly settings: ExplorerSettings;
	readonly corpus: Corpus;
	readonly controller: TrainController;
	/** The model of the artifacts, or why it could not be loaded. */
	readonly artifacts: LoadedArtifacts | {readonly error: string};
}

export function createSession(settings: ExplorerSettings, scheduler?: Scheduler): ExplorerSession {
	const corpus = readCorpusFile(settings.corpusPath);
	checkTrainable(corpus, settings.context);
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, settings.context, settings.learningRate);
	const controller = new TrainController({
		run,
		epochs: settings.epochs,
		scheduler,
		write: (finished) => {
			ensureWritableDirectory(settings.artifactsDir, 'artifacts');
			ensureWritableDirectory(settings.outputsDir, 'outputs');
			return writeArtifacts({
				artifactsDir: settings.artifactsDir,
				outputsDir: settings.outputsDir,
				model: finished.model,
				corpus,
				settings: {learningRate: settings.learningRate, epochs: settings.epochs},
				pairCount: finished.pairCount,
				log: finished.log,
			});
		},
	});
	let artifacts: ExplorerSession['artifacts'];
	try {
		artifacts = loadArtifacts(settings.artifactsToRead);
	} catch (error) {
		artifacts = {error: error instanceof UserError ? error.message : String(error)};
	}
	return {settings, corpus, controller, artifacts};
}

/** The model the prompt stage uses: this session's once a run has finished, else the artifacts'. */
export function promptModel(session: ExplorerSession, finishedOnce: boolean): {model: Model | null; source: string; error?: string} {
	if (finishedOnce) return {model: session.controller.run.model, source: 'this session\'s training'};
	if ('model' in session.artifacts) return {model: session.artifacts.model, source: session.artifacts.dir + '/'};
	return {model: null, source: 'none', error: session.artifacts.error};
}
