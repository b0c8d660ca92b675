/**
 * What the explorer works on: the corpus, the training run and its
 * controller, the model loaded from the artifacts, and the settings from the
 * command line. Built once at start, outside React.
 */
import type {AnyModel} from '../models/families.js';
import {existsSync} from 'node:fs';
import {basename, extname, join, resolve} from 'node:path';
import {checkTrainable, readCorpusFile, type Corpus} from '../text/corpus.js';
import {Model, type ContextSize} from '../models/table/model.js';
import {TrainingRun} from '../models/table/run.js';
import {EmbeddingsRun, type EmbeddingsSettings} from '../models/embeddings/run.js';
import {AttentionRun, type AttentionSettings} from '../models/attention/run.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import {AttentionModel} from '../models/attention/model.js';
import {ContextSet} from '../models/held-out.js';

/** The run of a session: a table's or the embeddings model's. */
export type SessionRun = TrainingRun | EmbeddingsRun | AttentionRun;
/** The families the explorer trains. */
export type ModelFamilyChoice = 'ngram' | 'embeddings' | 'attention';
import {checkReadBack, META_FILE, weightsFormatFor, writeArtifacts, type TrainingSettings} from '../artifacts/write.js';
import {ensureWritableDirectory} from '../runtime/output-folders.js';
import {builtWorker, startWorker} from '../runtime/threads.js';
import {packageRoot, DEFAULT_ARTIFACTS} from '../cli/paths.js';
import {hasTrained, TrainController, type Scheduler, type TrainSnapshot, type WriteResult} from './train-controller.js';
import {CompareModels} from './compare-models.js';
import {heldOutOf, type HeldOut} from '../models/held-out.js';
import {conditionalEntropyOf, unigramEntropyOf, type ReferenceLosses} from '../models/entropy.js';
import {ArtifactsStore, findModel, splitSignature, type FoundModel} from './artifacts-store.js';

export interface ExplorerSettings {
	readonly corpusPath: string;
	/** 0 to 3 for a table, 1 to 8 for the embeddings and attention models. */
	readonly context: number;
	/** The model family the session trains (default ngram: the lookup table). */
	readonly model?: ModelFamilyChoice;
	/** The embeddings model's settings; its seed is --train-seed (default 0). */
	readonly embeddings?: EmbeddingsSettings;
	/** The attention model's settings; its seed is --train-seed (default 0). */
	readonly attention?: AttentionSettings;
	readonly epochs: number;
	readonly learningRate: number;
	readonly artifactsDir: string;
	/** Where the model of this corpus is looked for first (see modelFolders). */
	readonly artifactsToRead: string;
	readonly outputsDir: string;
	readonly seed: number;
	readonly num: number;
	readonly topK: number;
	readonly temperature?: number;
	readonly topP?: number;
	/** The share of the corpus's lines held out (--holdout), or a separate text (--valid). */
	readonly holdout?: number;
	readonly validPath?: string;
	/** --shuffle --train-seed S: the pairs in random.shuffle order each epoch (undefined: corpus order). */
	readonly shuffleSeed?: number;
	/** The compare stage trains its embeddings model only on request when that would take longer than this (seconds; default 60). */
	readonly slowSeconds?: number;
}

/** Models with this many explicit weights or more are written on a worker thread. */
const BACKGROUND_WRITE_WEIGHTS = 200_000;

export interface ExplorerSession {
	readonly settings: ExplorerSettings;
	readonly corpus: Corpus;
	readonly controller: TrainController<SessionRun>;
	/** The model of this corpus on disk (loading, loaded, none, or why it could not be loaded). */
	readonly artifacts: ArtifactsStore;
	/** The four context sizes of the compare stage, trained when it first opens. */
	readonly compare: CompareModels;
	/** The held-out pairs the run is scored on after each epoch, if any. */
	readonly heldOut?: HeldOut;
	/** The chart's reference lines, in nats. */
	readonly references: ReferenceLosses;
}

/**
 * A folder beside `dir` named after the corpus: `artifacts-my_book` for
 * `texts/my book.txt`. The explorer writes a run there when `dir` holds the
 * model of another corpus, and looks there for this corpus's model.
 */
export function corpusFolder(dir: string, corpusPath: string): string {
	const stem = basename(corpusPath, extname(corpusPath)).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'corpus';
	return `${dir.replace(/[\\/]+$/, '')}-${stem}`;
}

/**
 * Where the explorer looks for the model of its corpus, in order: the
 * artifacts folder, the folder named after the corpus beside it (where the
 * explorer's own runs on this corpus go), and the artifacts the package
 * ships. The first with this corpus's sha256 in its meta file is used.
 */
export function modelFolders(settings: ExplorerSettings): string[] {
	const dirs = [
		settings.artifactsToRead,
		corpusFolder(settings.artifactsDir, settings.corpusPath),
		corpusFolder(settings.artifactsToRead, settings.corpusPath),
		join(packageRoot(), DEFAULT_ARTIFACTS),
	];
	return dirs.filter((dir, i) => dirs.findIndex((other) => resolve(other) === resolve(dir)) === i);
}

/**
 * Where a run of the explorer writes: the folders asked for, unless the
 * artifacts folder holds the model of another corpus (or a meta file that
 * does not read), which is never written over: then a pair of folders named
 * after the corpus, numbered if even those hold another corpus's model.
 * Headless `train` always writes where --artifacts says.
 */
export function runFolders(artifactsDir: string, outputsDir: string, corpus: Pick<Corpus, 'path' | 'sha256'>): {artifactsDir: string; outputsDir: string; note?: string} {
	const holdsOther = (dir: string): FoundModel | 'unreadable' | undefined => {
		if (!existsSync(join(dir, META_FILE))) return undefined;
		const found = findModel(dir, corpus.sha256);
		if (!found) return 'unreadable';
		return found.sameCorpus ? undefined : found;
	};
	const first = holdsOther(artifactsDir);
	if (first === undefined) return {artifactsDir, outputsDir};
	const why = first === 'unreadable' ? `${artifactsDir}/ holds a meta file that does not read` : `${artifactsDir}/ holds the model of ${first.corpusName}`;
	for (let k = 1; ; k++) {
		const suffix = k === 1 ? '' : `-${k}`;
		const artifacts = corpusFolder(artifactsDir, corpus.path) + suffix;
		if (holdsOther(artifacts) === undefined) {
			return {artifactsDir: artifacts, outputsDir: corpusFolder(outputsDir, corpus.path) + suffix, note: `${why}, kept as it is`};
		}
	}
}

export function createSession(settings: ExplorerSettings, scheduler?: Scheduler, loadArtifactsNow = true): ExplorerSession {
	const corpus = readCorpusFile(settings.corpusPath);
	checkTrainable(corpus, settings.context);
	const heldOut = heldOutOf(corpus, settings.context, {
		holdout: settings.holdout,
		valid: settings.validPath === undefined ? undefined : readCorpusFile(settings.validPath, 'text'),
	});
	// With a held-out part, the run trains on the tokens before it only.
	const trainIds = heldOut ? corpus.ids.subarray(0, heldOut.trainTokens) : corpus.ids;
	const run: SessionRun =
		settings.model === 'attention'
			? new AttentionRun(corpus.vocabulary, trainIds, settings.attention ?? {n: settings.context, d: 16, h: 16, seed: 0, initScale: 0.01, clip: 1, exactGradient: false}, settings.learningRate)
			: settings.model === 'embeddings'
				? new EmbeddingsRun(corpus.vocabulary, trainIds, settings.embeddings ?? {n: settings.context, d: 16, seed: 0, initScale: 0.01, exactGradient: false}, settings.learningRate)
				: new TrainingRun(corpus.vocabulary, trainIds, settings.context as ContextSize, settings.learningRate);
	run.holdOut(heldOut);
	if (settings.shuffleSeed !== undefined) run.shuffle(settings.shuffleSeed);
	// The explorer shows how the attention weights of the training contexts move, epoch by epoch.
	if (run instanceof AttentionRun) run.watch();
	// The best a table of this context could do on the training pairs (for a context of 1 to 3).
	const table = run instanceof TrainingRun ? run : settings.context <= 3 ? new TrainingRun(corpus.vocabulary, trainIds, settings.context as ContextSize, settings.learningRate) : undefined;
	const references: ReferenceLosses = {
		uniform: Math.log(corpus.vocabulary.tokens.length),
		unigram: unigramEntropyOf(trainIds, trainIds.length, corpus.vocabulary.tokens.length),
		...(table ? {conditional: conditionalEntropyOf(table.pairs, table.model.explicitCount, table.model.rowCount)} : {}),
	};
	const controller = new TrainController<SessionRun>({
		run,
		epochs: settings.epochs,
		scheduler,
		write: (finished, epochs) => {
			// A weights file too large to read back is not written (headless
			// `train` refuses such a run before training).
			if (finished instanceof TrainingRun) checkReadBack(finished.model, weightsFormatFor(finished.model));
			const folders = runFolders(settings.artifactsDir, settings.outputsDir, corpus);
			const schedule = finished.learningRateSchedule;
			const trainingSettings: TrainingSettings = {
				learningRate: schedule[0]!.learningRate,
				epochs,
				learningRateSchedule: [...schedule],
				...(heldOut ? {heldOut: heldOut.meta} : {}),
				...(settings.shuffleSeed !== undefined ? {shuffleSeed: settings.shuffleSeed} : {}),
				...(finished instanceof EmbeddingsRun ? {embeddings: {dim: finished.settings.d, seed: finished.settings.seed, initScale: finished.settings.initScale, exactGradient: finished.settings.exactGradient}} : {}),
				...(finished instanceof AttentionRun ? {attention: {seed: finished.settings.seed, initScale: finished.settings.initScale, clip: finished.settings.clip, exactGradient: finished.settings.exactGradient}} : {}),
			};
			const request = {
				artifactsDir: folders.artifactsDir,
				outputsDir: folders.outputsDir,
				settings: trainingSettings,
				pairCount: finished.pairCount,
				log: [...finished.log],
				...(heldOut ? {heldOutLog: [...finished.heldOutLog]} : {}),
			};
			const result = (files: readonly string[]): WriteResult => ({files, note: folders.note});
			const worker = builtWorker('write-worker.js');
			if (finished instanceof EmbeddingsRun || finished instanceof AttentionRun) {
				// A copy of the weights, written at once (a few MB at most for V in the thousands).
				ensureWritableDirectory(folders.artifactsDir, 'artifacts');
				ensureWritableDirectory(folders.outputsDir, 'outputs');
				return result(writeArtifacts({...request, model: finished.model.copy(), corpus}));
			}
			if (!worker || finished.model.explicitCount < BACKGROUND_WRITE_WEIGHTS) {
				ensureWritableDirectory(folders.artifactsDir, 'artifacts');
				ensureWritableDirectory(folders.outputsDir, 'outputs');
				return result(writeArtifacts({...request, model: finished.model, corpus}));
			}
			// A large model: written on a thread, from a copy of the weights (training
			// may start again meanwhile).
			const {model} = finished;
			const {path, sha256, numLines, numChars} = corpus;
			return new Promise<WriteResult>((resolve, reject) => {
				const thread = startWorker(worker);
				thread.once('message', (message: {ok: true; written: string[]} | {ok: false; error: string}) => {
					void thread.terminate();
					if (message.ok) resolve(result(message.written));
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
	// A saved model is this corpus's only when it held out the same text and ordered its pairs the same way.
	const split = splitSignature(heldOut?.meta, settings.shuffleSeed === undefined ? undefined : {shuffle: true, seed: settings.shuffleSeed});
	const artifacts = new ArtifactsStore(modelFolders(settings), corpus.sha256, split);
	if (loadArtifactsNow) artifacts.load();
	const choice = {holdout: settings.holdout, valid: settings.validPath === undefined ? undefined : readCorpusFile(settings.validPath, 'text')};
	// The four tables train at the session's rate, or in an embeddings session at the tables' default (0.1, as compare does).
	const tablesRate = run instanceof TrainingRun ? settings.learningRate : 0.1;
	const compare = new CompareModels(corpus, settings.epochs, tablesRate, artifacts, scheduler, {
		choice,
		shuffleSeed: settings.shuffleSeed,
		// The embeddings model compared: this session's settings when it trains one (else the series' defaults).
		...(run instanceof EmbeddingsRun ? {embeddings: {settings: run.settings, learningRate: settings.learningRate}} : {}),
		...(run instanceof AttentionRun ? {attention: {settings: run.settings, learningRate: settings.learningRate}} : {}),
		...(settings.slowSeconds !== undefined ? {slowSeconds: settings.slowSeconds} : {}),
	});
	return {settings, corpus, controller, artifacts, compare, heldOut, references};
}

/** The model every stage shows and the prompt asks, with what the learner needs to know of it. */
export interface ModelInUse {
	readonly model: AnyModel;
	/** This session's training run, or a model read from disk. */
	readonly origin: 'session' | 'disk';
	readonly corpusName: string;
	/** Trained on the corpus this session opened. */
	readonly sameCorpus: boolean;
	/** The corpus this session opened, with another held-out part or order of the pairs. */
	readonly otherSplit?: boolean;
	readonly epochs: number;
	/** Learning rates, in the order used. */
	readonly learningRates: readonly number[];
	/** When it was trained: the meta file's modification time, or when this session's run finished. */
	readonly trainedAt?: Date;
	/** This session's run, not (or not yet) at its last epoch. */
	readonly training: boolean;
	readonly epochsTarget?: number;
	/** The folder it was read from. */
	readonly dir?: string;
	/** Read by the toy-gpt series' rules: its meta file lacks our added keys, so it could not be verified. */
	readonly unverified?: boolean;
	/** What the loader said of it (the series' embeddings set lacks its bias). */
	readonly note?: string;
}

export type ModelChoice =
	| {readonly inUse: ModelInUse}
	| {readonly inUse: null; readonly why: string; readonly loading: boolean; readonly other?: FoundModel};

/**
 * Which model the stages use: this session's run once it has trained a pair
 * (kept until the learner confirms discarding it), else the model of this
 * corpus found on disk, else a model of another corpus only when the learner
 * chose it; else none until the learner trains.
 */
export function modelInUse(session: ExplorerSession, train: TrainSnapshot): ModelChoice {
	const {controller, corpus} = session;
	if (hasTrained(train)) {
		return {
			inUse: {
				model: controller.run.model,
				origin: 'session',
				corpusName: basename(corpus.path),
				sameCorpus: true,
				epochs: train.log.length,
				learningRates: train.learningRates,
				trainedAt: train.finishedAt,
				training: train.status !== 'done',
				epochsTarget: train.epochsTarget,
			},
		};
	}
	const state = session.artifacts.getSnapshot();
	switch (state.status) {
		case 'loaded': {
			const {found, loaded} = state;
			// A session that trains the embeddings model uses one from disk only of that family, and a table session a table.
			if (loaded.model.family !== controller.run.model.family) {
				const family = (model: {family: string}) => (model.family === 'table' ? 'table model' : `${model.family} model`);
				const held = loaded.model.family === 'table' ? `a ${loaded.model.kind} table` : `an ${family(loaded.model)}`;
				return {inUse: null, loading: false, why: `no ${family(controller.run.model)} of ${basename(corpus.path)} yet (${loaded.dir}/ holds ${held}): train one in stage 4`};
			}
			const meta = loaded.meta;
			// A model of this corpus that predicts from vectors: it can say which contexts it saw.
			if (found.sameCorpus && !(loaded.model instanceof Model) && !loaded.model.seenContexts) loaded.model.seenContexts = new ContextSet(corpus.ids.subarray(0, session.heldOut?.trainTokens ?? corpus.ids.length), loaded.model.n);
			return {
				inUse: {
					model: loaded.model,
					origin: 'disk',
					corpusName: found.corpusName,
					sameCorpus: found.sameCorpus,
					...(found.otherSplit ? {otherSplit: true} : {}),
					epochs: meta.epochs ?? 0,
					learningRates: meta.learningRate === undefined ? [] : [meta.learningRate],
					trainedAt: found.trainedAt,
					training: false,
					dir: loaded.dir,
					unverified: !meta.ours,
					...(loaded.note ? {note: loaded.note} : {}),
				},
			};
		}
		case 'loading':
			return {inUse: null, loading: true, why: 'looking for a model of this corpus…'};
		case 'error':
			return {inUse: null, loading: false, why: state.error};
		case 'none':
			return {
				inUse: null,
				loading: false,
				other: state.other,
				why: `no model of ${basename(corpus.path)} yet: train one in stage 4`,
			};
	}
}

function twoDigits(n: number): string {
	return String(n).padStart(2, '0');
}

/** 2026-12-01 16:40 (local time). */
export function formatWhen(date: Date): string {
	return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())} ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

/**
 * The model in a line: "context-2 of 001_animals.txt · 50 epochs · lr 0.1 ·
 * trained 2026-12-01 16:40 · artifacts/" (short: without when).
 */
export function describeModel(m: ModelInUse, short = false): string {
	const kind = m.model instanceof EmbeddingsModel ? `embeddings (context ${m.model.n}, d ${m.model.d})` : m.model instanceof AttentionModel ? `attention (context ${m.model.n}, d ${m.model.d}, h ${m.model.h})` : m.model.n === 0 ? 'unigram' : m.model.n === 1 ? 'bigram' : `context-${m.model.n}`;
	const parts = [`${kind} of ${m.sameCorpus ? m.corpusName : m.otherSplit ? `${m.corpusName}, ANOTHER held-out part or order` : `ANOTHER corpus, ${m.corpusName}`}`];
	parts.push(m.training ? `epoch ${m.epochs} of ${m.epochsTarget ?? m.epochs} (training)` : `${m.epochs} epoch${m.epochs === 1 ? '' : 's'}`);
	if (m.learningRates.length) parts.push(`lr ${m.learningRates.join(' then ')}`);
	// Said early, where a line cut short still shows it.
	if (m.note) parts.push('bias not saved (the series\' set): nearly uniform');
	if (m.origin === 'session') parts.push(m.trainedAt && !short ? `trained ${formatWhen(m.trainedAt)} in this session` : 'this session\'s run');
	else {
		if (m.trainedAt && !short) parts.push(`trained ${formatWhen(m.trainedAt)}`);
		parts.push(`${m.dir}/`);
		if (m.unverified) parts.push('a set without a manifest, not verified');
	}
	return parts.join(' · ');
}

/** The model the prompt stage uses (see modelInUse), as the prompt stage reads it. */
export function promptModel(session: ExplorerSession, train: TrainSnapshot): {model: AnyModel | null; source: string; error?: string; inUse?: ModelInUse} {
	const choice = modelInUse(session, train);
	if (choice.inUse) return {model: choice.inUse.model, source: describeModel(choice.inUse), inUse: choice.inUse};
	const other = choice.other ? ` (o uses the model of another corpus, ${choice.other.corpusName}, in ${choice.other.dir}/)` : '';
	return {model: null, source: 'none', error: choice.why + other};
}

/**
 * The model the model and train stages draw: the model in use, else this
 * session's run before it has trained (every weight 0), with its name.
 */
export function stageModel(session: ExplorerSession, train: TrainSnapshot): {model: AnyModel; label: string; inUse: ModelInUse | null} {
	const choice = modelInUse(session, train);
	if (choice.inUse) return {model: choice.inUse.model, label: describeModel(choice.inUse, true), inUse: choice.inUse};
	return {model: session.controller.run.model, label: 'this session\'s run, not trained yet', inUse: null};
}
