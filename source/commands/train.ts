import type {AnyModel} from '../models/families.js';
import {checkTrainable, readCorpusFile} from '../text/corpus.js';
import {checkOutputFolders} from '../runtime/output-folders.js';
import {lockFolders} from '../runtime/file-set.js';
import {UserError} from '../runtime/errors.js';
import {checkReadBack, checkWeightsFormat, weightsFormatFor, writeArtifacts, type WeightsFormatChoice} from '../artifacts/write.js';
import {seriesClientNote} from '../artifacts/series.js';
import {modelKind, type ContextSize} from '../models/table/model.js';
import {pyFixed} from '../artifacts/pyformat.js';
import {TrainingRun} from '../models/table/run.js';
import {EmbeddingsRun} from '../models/embeddings/run.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import {AttentionModel} from '../models/attention/model.js';
import {AttentionRun} from '../models/attention/run.js';
import type {Model} from '../models/table/model.js';
import type {Trainer} from '../models/next-token.js';
import type {AttentionFlags, EmbeddingsFlags, ModelChoice} from '../cli/flags.js';
import {ATTENTION_CLIENT_NOTE, EMBEDDINGS_CLIENT_NOTE} from '../artifacts/series.js';
import {defaultThreads} from '../runtime/parallel-threads.js';
import type {CommandIo} from './common.js';
import {visible} from '../text/escape.js';
import {jsonText, longEpochNote} from '../cli/format.js';
import {plural} from '../text/plural.js';
import {nowMs} from '../runtime/clock.js';
import {heldOutOf, type HeldOut} from '../models/held-out.js';

export interface TrainOptions {
	readonly corpus: string;
	/** 0 to 3 for a table, 1 to 8 for the embeddings and attention models. */
	readonly context: number;
	/** The model family (default ngram: the lookup table). */
	readonly model?: ModelChoice;
	/** The embeddings model's settings and its training seed (--seed; default 0). */
	readonly embeddings?: EmbeddingsFlags & {readonly seed: number};
	/** The attention model's settings and its training seed. */
	readonly attention?: AttentionFlags & {readonly seed: number};
	readonly epochs: number;
	readonly learningRate: number;
	readonly artifacts: string;
	readonly outputs: string;
	readonly json: boolean;
	/** Threads for whole epochs; undefined: all cores for a large corpus, one for a small. */
	readonly threads?: number;
	/** auto (dense up to DENSE_WEIGHTS_LIMIT weights), dense or sparse; default auto. */
	readonly weightsFormat?: WeightsFormatChoice;
	/** The share of the corpus's lines held out (the last ones); 0 or undefined: none. */
	readonly holdout?: number;
	/** A separate text to report held-out figures on. */
	readonly valid?: string;
	/** Shuffle the pairs before each epoch with this seed (Python's random.shuffle); undefined: corpus order. */
	readonly shuffleSeed?: number;
}

/**
 * Train on the corpus and write the artifacts and the train log, as one set
 * (writeArtifacts): the folders are locked from the start.
 */
export async function trainCommand(options: TrainOptions, io: CommandIo): Promise<number> {
	const corpus = readCorpusFile(options.corpus);
	checkTrainable(corpus, options.context);
	const heldOut = heldOutOf(corpus, options.context, {
		holdout: options.holdout,
		valid: options.valid === undefined ? undefined : readCorpusFile(options.valid, 'text'),
	});
	if ((options.model ?? 'ngram') === 'ngram') checkWeightsFormat(options.weightsFormat ?? 'auto', corpus.vocabulary.tokens, options.context as ContextSize);
	checkOutputFolders([
		[options.artifacts, 'artifacts'],
		[options.outputs, 'outputs'],
	]);
	// One run writes a folder at a time: a second one is refused now, before
	// it trains, rather than mixing its files with this run's.
	const release = lockFolders([options.artifacts, options.outputs]);
	try {
		return await trainLocked(options, io, corpus, heldOut, release);
	} finally {
		release();
	}
}

/** The signals that end a run with an "interrupted" line after its writes, and the status each gives. */
const INTERRUPTS: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
];

async function trainLocked(options: TrainOptions, io: CommandIo, corpus: ReturnType<typeof readCorpusFile>, heldOut: HeldOut | undefined, release: () => void): Promise<number> {
	const started = nowMs();
	// With a held-out part, the model trains on the tokens before it only; the
	// vocabulary stays the whole corpus's.
	const trainIds = heldOut ? corpus.ids.subarray(0, heldOut.trainTokens) : corpus.ids;
	const embeddings = options.model === 'embeddings' ? (options.embeddings ?? {dim: 16, initScale: 0.01, exactGradient: false, seed: 0}) : undefined;
	const attention = options.model === 'attention' ? (options.attention ?? {dim: 16, headDim: 16, clip: 1, initScale: 0.01, exactGradient: false, seed: 0}) : undefined;
	const run: Trainer = attention
		? new AttentionRun(corpus.vocabulary, trainIds, {n: options.context, d: attention.dim, h: attention.headDim, seed: attention.seed, initScale: attention.initScale, clip: attention.clip, exactGradient: attention.exactGradient}, options.learningRate)
		: embeddings
			? new EmbeddingsRun(corpus.vocabulary, trainIds, {n: options.context, d: embeddings.dim, seed: embeddings.seed, initScale: embeddings.initScale, exactGradient: embeddings.exactGradient}, options.learningRate)
			: new TrainingRun(corpus.vocabulary, trainIds, options.context as ContextSize, options.learningRate);
	const vectors = embeddings ?? attention;
	run.holdOut(heldOut);
	if (options.shuffleSeed !== undefined) run.shuffle(options.shuffleSeed);
	const heldOutLog = run.heldOutLog;
	const table = run instanceof TrainingRun ? run.model : undefined;
	// Which weights are the model's own is fixed by the corpus: a weights file
	// too large to read back is refused now, not after hours of training.
	if (table) checkReadBack(table, weightsFormatFor(table, options.weightsFormat));
	if (!options.json) {
		const V = run.model.V;
		const shape = table
			? `${plural(table.rowCount, 'context')} seen`
			: `d ${vectors!.dim}${attention ? `, h ${attention.headDim}` : ''}, ${plural(run.model.parameterCount, 'parameter')}, seed ${vectors!.seed}, init scale ${vectors!.initScale}${attention ? `, clip ${attention.clip}` : ''}${vectors!.exactGradient ? ', the true gradient' : ''}`;
		io.stdout.write(
			`training ${table ? modelKind(options.context as ContextSize) : `${run.model.kind} (context ${options.context})`} on ${visible(options.corpus)}: ${plural(corpus.ids.length, 'token')}, ${V} in the vocabulary, ` +
				`${plural(run.pairCount, 'pair')}, ${shape}, lr ${options.learningRate}, ${plural(options.epochs, 'epoch')}\n`,
		);
		if (heldOut) io.stdout.write(`held out: ${heldOut.description}, scored after each epoch\n`);
		if (options.shuffleSeed !== undefined) io.stdout.write(`order: the pairs shuffled before each epoch (Python's random.shuffle, seed ${options.shuffleSeed}), on one thread\n`);
	}
	const width = String(options.epochs).length;
	// A shuffled order changes every epoch: one thread (threads split the pairs by row once).
	const threads = options.shuffleSeed !== undefined || !table ? 1 : (options.threads ?? defaultThreads(run.pairCount));
	// On a terminal, a long epoch shows how far it is (on stderr, erased by
	// the epoch's line). Whether stderr is one is asked only when an epoch
	// runs past a second: process.stderr costs a few ms to make.
	let live: boolean | undefined;
	let shown = false;
	// An epoch longer than a minute is announced (on stderr, once, with --json
	// too) as soon as a few seconds of the first one show its pace.
	const firstEpochStart = nowMs();
	let estimated = false;
	const onProgress = (done: number) => {
		if (!estimated && run.epochsDone === 0) {
			const note = longEpochNote(nowMs() - firstEpochStart, done, options.epochs);
			if (note !== undefined) {
				io.stderr.write(`${shown ? '\r\u001b[K' : ''}toy-gpt-tui: ${note}\n`);
				shown = false;
				estimated = true;
			}
		}
		if (options.json) return;
		live ??= process.stderr.isTTY === true;
		if (!live) return;
		io.stderr.write(`\r  epoch ${run.epochsDone + 1}/${options.epochs}: ${Math.floor(done * 100)}%`);
		shown = true;
	};
	// An interrupt while training ends the process by that signal at once, as
	// if unhandled, leaving the previous artifacts as they were; the folders'
	// lock goes first.
	const stopNow = (signal: NodeJS.Signals) => {
		release();
		for (const [other] of INTERRUPTS) process.off(other, stopNow);
		process.kill(process.pid, signal);
	};
	for (const [signal] of INTERRUPTS) process.on(signal, stopNow);
	try {
		await run.trainEpochs(
			options.epochs,
			threads,
			(result) => {
				// A diverged model is not written: the previous set stays.
				if ((run.model instanceof EmbeddingsModel || run.model instanceof AttentionModel) && (!Number.isFinite(result.avgLoss) || !run.model.finite())) {
					if (shown) io.stderr.write('\r\u001b[K');
					throw new UserError(
						`the ${run.model.kind} model diverged at epoch ${result.epoch}: its ${Number.isFinite(result.avgLoss) ? 'weights are' : 'loss is'} no longer a finite number (lr ${options.learningRate} is too large for it; the series trains it at 0.01); nothing was written`,
					);
				}
				if (shown) {
					io.stderr.write('\r\u001b[K');
					shown = false;
				}
				const held = heldOut ? heldOutLog.at(-1) : undefined;
				io.stdout.write(
					options.json
						? jsonText({
								event: 'epoch',
								epoch: result.epoch,
								avg_loss: result.avgLoss,
								accuracy: result.accuracy,
								...(held ? {held_out_loss: held.loss, held_out_perplexity: held.perplexity, held_out_accuracy: held.accuracy, coverage: held.coverage} : {}),
							}) + '\n'
						: `epoch ${String(result.epoch).padStart(width)}/${options.epochs}  avg_loss ${pyFixed(result.avgLoss, 8)}  accuracy ${pyFixed(result.accuracy, 6)}` +
								(held ? `  held_out_loss ${pyFixed(held.loss, 8)}  perplexity ${pyFixed(held.perplexity, 4)}  accuracy ${pyFixed(held.accuracy, 6)}  coverage ${pyFixed(held.coverage, 6)}` : '') +
								'\n',
				);
			},
			onProgress,
		);
	} finally {
		for (const [signal] of INTERRUPTS) process.off(signal, stopNow);
	}
	const trainedSeconds = (nowMs() - started) / 1000;
	// Until now an interrupt ends the process at once, leaving the previous
	// artifacts as they were. The writes below run without a pause, so an
	// interrupt that arrives during them (Ctrl+C, a kill, a closed terminal)
	// is handled after the last file is in place: the folder holds either the
	// old set or the new one, never a mix.
	let interrupted: NodeJS.Signals | undefined;
	const onInterrupt = (signal: NodeJS.Signals) => (interrupted ??= signal);
	for (const [signal] of INTERRUPTS) process.on(signal, onInterrupt);
	let written: string[];
	try {
		written = writeArtifacts({
			artifactsDir: options.artifacts,
			outputsDir: options.outputs,
			model: run.model as AnyModel,
			corpus,
			settings: {
				learningRate: options.learningRate,
				epochs: options.epochs,
				...(heldOut ? {heldOut: heldOut.meta} : {}),
				...(options.shuffleSeed !== undefined ? {shuffleSeed: options.shuffleSeed} : {}),
				...(embeddings ? {embeddings: {dim: embeddings.dim, seed: embeddings.seed, initScale: embeddings.initScale, exactGradient: embeddings.exactGradient}} : {}),
				...(attention ? {attention: {seed: attention.seed, initScale: attention.initScale, clip: attention.clip, exactGradient: attention.exactGradient}} : {}),
			},
			pairCount: run.pairCount,
			log: run.log,
			...(heldOut ? {heldOutLog} : {}),
			format: options.weightsFormat,
		});
		// Let a signal that came during the writes be seen (the writes hold the
		// thread; the signal waits in the event loop until they end).
		await new Promise((resolve) => setImmediate(resolve));
		await new Promise((resolve) => setTimeout(resolve, 1));
	} finally {
		for (const [signal] of INTERRUPTS) process.off(signal, onInterrupt);
	}
	if (interrupted) {
		io.stderr.write(`toy-gpt-tui: interrupted; the new artifacts were already complete: ${written.map(visible).join(', ')}\n`);
		return INTERRUPTS.find(([signal]) => signal === interrupted)![1];
	}
	const model = run.model;
	const format = table ? weightsFormatFor(table, options.weightsFormat) : 'dense';
	const clientNote = table ? seriesClientNote(model.vocabulary.tokens, table.n, format) : attention ? ATTENTION_CLIENT_NOTE : EMBEDDINGS_CLIENT_NOTE;
	const last = run.log[run.log.length - 1]!;
	if (options.json) {
		io.stdout.write(
			jsonText({
				event: 'done',
				model_kind: model.kind,
				context_size: model.n,
				corpus: options.corpus,
				num_tokens: corpus.ids.length,
				vocab_size: model.V,
				num_training_pairs: run.pairCount,
				...(table ? {num_seen_contexts: table.rowCount, explicit_weights: table.explicitCount} : {}),
				...(vectors ? {embedding_dim: vectors.dim, seed: vectors.seed, init_scale: vectors.initScale, exact_gradient: vectors.exactGradient, parameters: model.parameterCount} : {}),
				...(attention ? {head_dim: attention.headDim, clip: attention.clip} : {}),
				epochs: options.epochs,
				learning_rate: options.learningRate,
				final_avg_loss: last.avgLoss,
				final_accuracy: last.accuracy,
				...(heldOut ? {held_out_pairs: heldOut.to - heldOut.from, final_held_out_loss: heldOutLog.at(-1)!.loss} : {}),
				train_seconds: trainedSeconds,
				threads,
				...(table ? {weights_format: format} : {}),
				series_client_note: clientNote ?? null,
				files: written,
			}) + '\n',
		);
	} else {
		io.stdout.write(`trained in ${trainedSeconds.toFixed(3)} s${threads > 1 ? ` on ${threads} threads` : ''}; wrote ${written.map(visible).join(', ')}\n`);
		if (clientNote !== undefined) io.stdout.write(`note: ${visible(clientNote)}\n`);
	}
	return 0;
}
