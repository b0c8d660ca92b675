import {checkTrainable, readCorpusFile} from '../text/corpus.js';
import {checkOutputFolders} from '../runtime/atomic-write.js';
import {UserError} from '../runtime/errors.js';
import {checkWeightsFormat, weightsFormatFor, writeArtifacts, type WeightsFormatChoice} from '../artifacts/write.js';
import {seriesClientNote} from '../artifacts/series.js';
import {modelKind, type ContextSize} from '../models/table/model.js';
import {pyFixed} from '../artifacts/pyformat.js';
import {TrainingRun} from '../models/table/run.js';
import {defaultThreads} from '../runtime/parallel-threads.js';
import type {CommandIo} from './common.js';
import {visible} from '../text/escape.js';
import {jsonText} from '../cli/format.js';
import {plural} from '../text/plural.js';
import {nowMs} from '../runtime/clock.js';

export interface TrainOptions {
	readonly corpus: string;
	readonly context: ContextSize;
	readonly epochs: number;
	readonly learningRate: number;
	readonly artifacts: string;
	readonly outputs: string;
	readonly json: boolean;
	/** Threads for whole epochs; undefined: all cores for a large corpus, one for a small. */
	readonly threads?: number;
	/** auto (dense up to DENSE_WEIGHTS_LIMIT weights), dense or sparse; default auto. */
	readonly weightsFormat?: WeightsFormatChoice;
}

/** Train on the corpus and write the artifacts and the train log. */
export async function trainCommand(options: TrainOptions, io: CommandIo): Promise<number> {
	const corpus = readCorpusFile(options.corpus);
	checkTrainable(corpus, options.context);
	checkWeightsFormat(options.weightsFormat ?? 'auto', corpus.vocabulary.tokens, options.context);
	checkOutputFolders([
		[options.artifacts, 'artifacts'],
		[options.outputs, 'outputs'],
	]);

	const started = nowMs();
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, options.context, options.learningRate);
	const {model} = run;
	if (!options.json) {
		io.stdout.write(
			`training ${modelKind(options.context)} on ${visible(options.corpus)}: ${plural(corpus.ids.length, 'token')}, ${model.V} in the vocabulary, ` +
				`${plural(run.pairCount, 'pair')}, ${plural(model.rowCount, 'context')} seen, lr ${options.learningRate}, ${plural(options.epochs, 'epoch')}\n`,
		);
	}
	const width = String(options.epochs).length;
	const threads = options.threads ?? defaultThreads(run.pairCount);
	// On a terminal, a long epoch shows how far it is (on stderr, erased by
	// the epoch's line). Whether stderr is one is asked only when an epoch
	// runs past a second: process.stderr costs a few ms to make.
	let live: boolean | undefined;
	let shown = false;
	const onProgress = options.json
		? undefined
		: (done: number) => {
				live ??= process.stderr.isTTY === true;
				if (!live) return;
				io.stderr.write(`\r  epoch ${run.epochsDone + 1}/${options.epochs}: ${Math.floor(done * 100)}%`);
				shown = true;
			};
	await run.trainEpochs(options.epochs, threads, (result) => {
		if (shown) {
			io.stderr.write('\r\u001b[K');
			shown = false;
		}
		io.stdout.write(
			options.json
				? jsonText({event: 'epoch', epoch: result.epoch, avg_loss: result.avgLoss, accuracy: result.accuracy}) + '\n'
				: `epoch ${String(result.epoch).padStart(width)}/${options.epochs}  avg_loss ${pyFixed(result.avgLoss, 8)}  accuracy ${pyFixed(result.accuracy, 6)}\n`,
		);
	}, onProgress);
	const trainedSeconds = (nowMs() - started) / 1000;
	// Until now an interrupt ends the process at once, leaving the previous
	// artifacts as they were. The writes below run without a pause, so an
	// interrupt that arrives during them is handled after the last file is in
	// place: the folder holds either the old set or the new one, never a mix.
	let interrupted: NodeJS.Signals | undefined;
	const onInterrupt = (signal: NodeJS.Signals) => (interrupted = signal);
	process.on('SIGINT', onInterrupt);
	process.on('SIGTERM', onInterrupt);
	const written = writeArtifacts({
		artifactsDir: options.artifacts,
		outputsDir: options.outputs,
		model,
		corpus,
		settings: {learningRate: options.learningRate, epochs: options.epochs},
		pairCount: run.pairCount,
		log: run.log,
		format: options.weightsFormat,
	});
	const format = weightsFormatFor(model, options.weightsFormat);
	const clientNote = seriesClientNote(model.vocabulary.tokens, model.n, format);
	// Let a signal that came during the writes be seen, then stop listening.
	await new Promise((resolve) => setImmediate(resolve));
	process.off('SIGINT', onInterrupt);
	process.off('SIGTERM', onInterrupt);
	if (interrupted) {
		io.stderr.write(`toy-gpt-tui: interrupted; the new artifacts were already complete: ${written.map(visible).join(', ')}\n`);
		return interrupted === 'SIGINT' ? 130 : 143;
	}
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
				num_seen_contexts: model.rowCount,
				explicit_weights: model.explicitCount,
				epochs: options.epochs,
				learning_rate: options.learningRate,
				final_avg_loss: last.avgLoss,
				final_accuracy: last.accuracy,
				train_seconds: trainedSeconds,
				threads,
				weights_format: format,
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
