/**
 * The artifacts: the files the original Python pipeline writes, in its exact
 * formats, so the tools that load those files can load ours.
 *
 *   artifacts/00_meta.json             what was trained, on what, how
 *   artifacts/01_vocabulary.csv        token_id,token,frequency
 *   artifacts/02_model_weights.csv     input_token,<every token>: one row per context
 *   artifacts/03_token_embeddings.csv  row,label,x,y: each row's first two weights
 *   outputs/train_log.csv              epoch,avg_loss,accuracy
 *
 * An embeddings model writes its own 02 and 03 (and exact_parameters.json):
 * see embeddings.ts.
 */
import type {AnyModel} from '../models/families.js';
import {rmSync} from 'node:fs';
import {basename, join, relative, sep, isAbsolute} from 'node:path';
import {constants} from 'node:buffer';
import {csvField, csvRow} from './csv.js';
import {FileFormatError, UsageError, UserError} from '../runtime/errors.js';
import {contextLabel, contextSizeOfKind, Model, modelKind, type ContextSize} from '../models/table/model.js';
import {pyFixed, PyFloat, pyJsonDump, type PyJson} from './pyformat.js';
import {makeVocabulary, type Vocabulary} from '../text/vocabulary.js';
import {ensureWritableDirectory} from '../runtime/output-folders.js';
import {commitStaged, discardStaged, lockFolders, removeLeftovers, stageFile, type StagedFile} from '../runtime/file-set.js';
import {makeManifest, MANIFEST_KEY} from './manifest.js';
import {describeFsError, type Corpus} from '../text/corpus.js';
import type {EpochResult} from '../models/table/train.js';
import type {HeldOutEpoch, HeldOutFacts} from '../models/held-out.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import {EXACT_PARAMETERS_FILE, exactParametersJson, linearWeightsCsv, tokenEmbeddingsCsv} from './embeddings.js';
import {AttentionModel} from '../models/attention/model.js';
import {ATTENTION_FILES, POSITIONAL_FILE, WK_FILE, WQ_FILE, WV_FILE, exactAttentionJson, indexedRowsCsv, outputWeightsCsv} from './attention.js';

export const META_FILE = '00_meta.json';
export const VOCABULARY_FILE = '01_vocabulary.csv';
export const WEIGHTS_FILE = '02_model_weights.csv';
export const EMBEDDINGS_FILE = '03_token_embeddings.csv';
export const TRAIN_LOG_FILE = 'train_log.csv';
/** The held-out figures of each epoch, beside train_log.csv, written only when a run holds text out. */
export const HELD_OUT_LOG_FILE = 'held_out_log.csv';
export const ARTIFACT_FILES = [META_FILE, VOCABULARY_FILE, WEIGHTS_FILE, EMBEDDINGS_FILE] as const;

export const REPO_NAME = 'toy-gpt-tui';

/**
 * `--weights-format auto` (the default) writes the full table while it has at
 * most this many weights (V^(n+1)), as the toy-gpt series commits its models:
 * every one it commits dense fits (the largest, V = 158 at context 2, is
 * 3,944,312 weights, about 44 MB here at about 11 bytes a weight); above it,
 * the sparse form, which the series' own readers cannot load.
 */
export const DENSE_WEIGHTS_LIMIT = 4_000_000;

/**
 * The most weights a dense file may hold for toy-gpt-tui's own reader to read
 * it back: the reader takes the file whole, as one string (at most 2^29 - 24
 * characters in Node 20), and 39,304,000 weights (V = 340 at context 2) are a
 * 435 MB file, read in 17 s with 2.1 GB resident on a 2-core machine.
 * `train --weights-format dense` refuses a larger table before training, and
 * the reader refuses a dense set above it.
 */
export const DENSE_READ_LIMIT = 40_000_000;

/**
 * The largest artifact file toy-gpt-tui's readers take, in bytes: each file
 * is read whole as one string, and Node holds strings of at most 2^29 - 24
 * UTF-16 units (536,870,888; a file of at most that many bytes of UTF-8
 * decodes to no more). The readers refuse a larger file in one line, and `train` refuses up front a
 * run whose weights file would be larger (checkReadBack). A dense file within
 * DENSE_READ_LIMIT is well within it.
 */
export const MAX_ARTIFACT_BYTES = constants.MAX_STRING_LENGTH;

export type WeightsFormat = 'dense' | 'sparse';
/** What the learner asks for: `auto` is dense up to DENSE_WEIGHTS_LIMIT weights. */
export type WeightsFormatChoice = 'auto' | WeightsFormat;
export const WEIGHTS_FORMAT_CHOICES: readonly WeightsFormatChoice[] = ['auto', 'dense', 'sparse'];

/** Weights of the full table: V^(n+1). */
export function denseWeightCount(V: number, n: number): number {
	return V ** (n + 1);
}

/**
 * About how many bytes the dense weights file of a table over these tokens
 * would have: its header, and V^n lines of a label and V weights of 11 bytes
 * (`,0.00000000`; a negative weight has one more).
 */
export function denseBytesEstimate(tokens: readonly string[], n: number): number {
	const V = tokens.length;
	let tokenBytes = 0;
	for (const token of tokens) tokenBytes += Buffer.byteLength(token);
	const header = 'input_token'.length + V + tokenBytes + 1;
	const labels = n === 0 ? '(no context)'.length : n * V ** (n - 1) * tokenBytes + (n - 1) * V ** n;
	return header + labels + V ** n * (11 * V + 1);
}

export function weightsFormatFor(model: Pick<Model, 'V' | 'n'>, choice: WeightsFormatChoice = 'auto'): WeightsFormat {
	if (choice !== 'auto') return choice;
	return denseWeightCount(model.V, model.n) <= DENSE_WEIGHTS_LIMIT ? 'dense' : 'sparse';
}

/** Megabytes, as a learner reads them: `44 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1e9) return `${(bytes / 1e9).toPrecision(2)} GB`;
	if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
	return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/**
 * Refuse, before any training, a dense table our own reader could not read
 * back (one line: its size, and what to use instead).
 */
export function checkWeightsFormat(choice: WeightsFormatChoice, tokens: readonly string[], n: number): void {
	if (choice !== 'dense') return;
	const weights = denseWeightCount(tokens.length, n);
	if (weights <= DENSE_READ_LIMIT) return;
	throw new UsageError(
		`--weights-format dense would write ${tokens.length}^${n + 1} = ${weights.toLocaleString('en-US')} weights (about ${formatBytes(denseBytesEstimate(tokens, n))}), more than toy-gpt-tui reads back (${DENSE_READ_LIMIT.toLocaleString('en-US')}); use --weights-format auto or sparse`,
	);
}

/** Header of the sparse weights file; a dense file starts with `input_token`. */
export const SPARSE_WEIGHTS_HEADER = ['row', 'input_token', 'token_id', 'token', 'weight'] as const;
/** The token field of a row's shared-value line (its token_id is empty). */
export const SHARED_MARK = '(every other token)';

/**
 * At least how many bytes the sparse weights file of this model will have,
 * whatever its weights (each written with 8 decimals, at least 10
 * characters): per seen context, its shared-value line, and a line for each
 * token with its own weight. Known before training: which weights are the
 * model's own is fixed by the corpus.
 */
export function sparseBytesLowerBound(model: Model): number {
	const {n} = model;
	const {contexts, colStart, cols} = model.rows;
	const tokenBytes = new Float64Array(model.V);
	model.vocabulary.tokens.forEach((token, id) => (tokenBytes[id] = Buffer.byteLength(token)));
	const idDigits = (id: number) => (id < 10 ? 1 : Math.floor(Math.log10(id)) + 1);
	let bytes = SPARSE_WEIGHTS_HEADER.join(',').length + 1;
	for (let slot = 0; slot < model.rowCount; slot++) {
		let label = n === 0 ? '(no context)'.length : n - 1;
		let index = 0;
		for (let t = 0; t < n; t++) {
			const id = contexts[slot * n + t]!;
			label += tokenBytes[id]!;
			index = index * model.V + id;
		}
		// row,label, then `,(every other token),w` or `id,token,w`, each weight at least 10 bytes.
		const head = idDigits(index) + 1 + label + 1;
		bytes += head + 1 + SHARED_MARK.length + 1 + 10 + 1;
		for (let e = colStart[slot]!; e < colStart[slot + 1]!; e++) bytes += head + idDigits(cols[e]!) + 1 + tokenBytes[cols[e]!]! + 1 + 10 + 1;
	}
	return bytes;
}

/**
 * Refuse, before any training, a run whose weights file toy-gpt-tui could not
 * read back: larger than MAX_ARTIFACT_BYTES in the form it would be written
 * in (one line: the size, why, and what to change).
 */
export function checkReadBack(model: Model, format: WeightsFormat, limit = MAX_ARTIFACT_BYTES): void {
	const bytes = format === 'dense' ? denseBytesEstimate(model.vocabulary.tokens, model.n) : sparseBytesLowerBound(model);
	if (bytes <= limit) return;
	const what =
		format === 'dense'
			? `${model.V}^${model.n + 1} = ${model.V ** (model.n + 1)} weights, dense`
			: `sparse: ${model.rowCount.toLocaleString('en-US')} contexts seen, ${model.explicitCount.toLocaleString('en-US')} weights of their own`;
	throw new UserError(
		`a ${model.kind} model of this corpus would write a weights file of ${format === 'dense' ? 'about' : 'at least'} ${formatBytes(bytes)} (${what}), more than toy-gpt-tui reads back (${limit.toLocaleString('en-US')} bytes); train a smaller context or a part of the corpus`,
	);
}

/** What the meta file records of the corpus (a Corpus has all of it). */
export type CorpusFacts = Pick<Corpus, 'path' | 'sha256' | 'numLines' | 'numChars'> & {readonly ids: {readonly length: number}};

export interface TrainingSettings {
	/** The learning rate the run started with (the series' `training.learning_rate`). */
	readonly learningRate: number;
	readonly epochs: number;
	/**
	 * Where the explorer's learner changed the learning rate during the run:
	 * written as the added key `learning_rate_schedule` when it holds more
	 * than one rate (the series' keys keep their meaning: the first rate).
	 */
	readonly learningRateSchedule?: ReadonlyArray<{readonly epoch: number; readonly pair: number; readonly learningRate: number}>;
	/** The held-out text of the run (models/held-out.ts), written as the added key `held_out`. */
	readonly heldOut?: HeldOutFacts;
	/** With --shuffle, the training seed: the pairs' order each epoch is random.shuffle's (added key `training_order`). */
	readonly shuffleSeed?: number;
	/** An embeddings model's settings (added key `embeddings`). */
	readonly embeddings?: EmbeddingsFacts;
	/** An attention model's settings (added key `attention`). */
	readonly attention?: AttentionFacts;
}

/** What 00_meta.json records of an attention model's training, under the added key `attention`. */
export interface AttentionFacts {
	readonly seed: number;
	readonly initScale: number;
	readonly clip: number;
	readonly exactGradient: boolean;
}

/** Any model a set of files holds. */
export type StoredModel = AnyModel;

/** What 00_meta.json records of an embeddings model's training, under the added key `embeddings`. */
export interface EmbeddingsFacts {
	readonly dim: number;
	readonly seed: number;
	readonly initScale: number;
	readonly exactGradient: boolean;
}

/**
 * The meta file's content, as Python's `json.dump(..., indent=2, sort_keys=True)`
 * writes it; with `manifest` (manifest.ts), the set's files and run id under
 * the added key `manifest`.
 */
export function metaJson(
	model: StoredModel,
	corpus: CorpusFacts,
	settings: TrainingSettings,
	pairCount: number,
	format: WeightsFormat = model instanceof Model ? weightsFormatFor(model) : 'dense',
	manifest?: PyJson,
): string {
	if (model instanceof EmbeddingsModel) return embeddingsMetaJson(model, corpus, settings, pairCount, manifest);
	if (model instanceof AttentionModel) return attentionMetaJson(model, corpus, settings, pairCount, manifest);
	const meta: {[key: string]: PyJson} = {
		artifacts: Object.fromEntries(ARTIFACT_FILES.map((name) => [name, name])),
		concepts: {
			token: 'A token is one piece of the text the model reads and predicts; here, a run of characters between whitespace.',
			vocabulary: 'The vocabulary is the list of distinct tokens, sorted, each given an integer id from 0.',
			context: 'The context is the previous n tokens, which select the row of scores used to predict the next token.',
			softmax: 'Softmax turns a row of scores into probabilities by exponentiating each score and dividing by their sum.',
			cross_entropy_loss: 'Cross-entropy loss is minus the log of the probability the model gave to the token that really came next.',
			gradient_descent: 'Gradient descent nudges each weight a small step against the slope of the loss, here after every training pair.',
		},
		context_size: model.n,
		corpus: corpusMeta(corpus),
		model_kind: model.kind,
		notes: [
			'Trained by toy-gpt-tui: softmax regression over the previous n tokens with cross-entropy loss.',
			'All weights start at zero and plain SGD updates only the row of the current context, once per training pair.',
			'Rows of contexts that never occur stay all zero, which makes their next-token distribution uniform.',
			'Token embeddings here are a 2-D projection for plotting: the first two weights of each row.',
		],
		num_seen_contexts: model.rowCount,
		num_tokens: corpus.ids.length,
		num_training_pairs: pairCount,
		repo_name: REPO_NAME,
		training: trainingMeta(settings),
		vocab_size: model.V,
		weights_format: format,
	};
	return finishMeta(meta, settings, manifest);
}

/** The meta file's `corpus`, in every family's. */
function corpusMeta(corpus: CorpusFacts): PyJson {
	return {
		path: corpusPathForMeta(corpus.path),
		filename: basename(corpus.path),
		sha256: corpus.sha256,
		num_lines: corpus.numLines,
		num_chars: corpus.numChars,
		description:
			'The corpus is read as UTF-8, split on whitespace into tokens, and the token stream runs on across lines; each training pair is a window of n tokens and the token after it.',
	};
}

/** The meta file's `training`, in every family's. */
function trainingMeta(settings: TrainingSettings): PyJson {
	return {
		learning_rate: new PyFloat(settings.learningRate),
		epochs: settings.epochs,
		epoch_definition:
			settings.shuffleSeed === undefined
				? 'One epoch visits every training pair once, in corpus order, and makes one gradient step per pair.'
				: `One epoch visits every training pair once, in the order Python's random.shuffle gives on random.Random(${settings.shuffleSeed}) (one generator for the run, the pairs shuffled in place before each epoch), and makes one gradient step per pair.`,
	};
}

/** The keys every family's meta file ends with: the learning-rate schedule, the order, the held-out text, the manifest. */
function finishMeta(meta: {[key: string]: PyJson}, settings: TrainingSettings, manifest: PyJson | undefined): string {
	const schedule = settings.learningRateSchedule;
	if (schedule && schedule.length > 1) {
		meta['learning_rate_schedule'] = schedule.map((change) => ({
			from_epoch: change.epoch,
			from_pair: change.pair + 1,
			learning_rate: new PyFloat(change.learningRate),
		}));
	}
	if (settings.shuffleSeed !== undefined) meta['training_order'] = {shuffle: true, seed: settings.shuffleSeed};
	if (settings.heldOut !== undefined) {
		// The fraction as Python writes a float (0.2, 1.0), the rest as they are.
		meta['held_out'] = 'fraction' in settings.heldOut ? {...settings.heldOut, fraction: new PyFloat(settings.heldOut.fraction)} : {...settings.heldOut};
	}
	if (manifest !== undefined) meta[MANIFEST_KEY] = manifest;
	return pyJsonDump(meta);
}

/** The meta file of an embeddings model: the series' keys (its 500 repository's), and ours. */
function embeddingsMetaJson(model: EmbeddingsModel, corpus: CorpusFacts, settings: TrainingSettings, pairCount: number, manifest: PyJson | undefined): string {
	const facts = settings.embeddings ?? {dim: model.d, seed: 0, initScale: 0.01, exactGradient: false};
	const meta: {[key: string]: PyJson} = {
		artifacts: Object.fromEntries(ARTIFACT_FILES.map((name) => [name, name])),
		concepts: {
			token: 'A token is one piece of the text the model reads and predicts; here, a run of characters between whitespace.',
			vocabulary: 'The vocabulary is the list of distinct tokens, sorted, each given an integer id from 0.',
			embedding: 'An embedding is a learned vector of numbers for each token; tokens used alike end up with similar vectors.',
			context: 'The context is the previous n tokens; their embeddings, side by side, are the input of a linear layer that scores every next token.',
			softmax: 'Softmax turns the scores into probabilities by exponentiating each score and dividing by their sum.',
			cross_entropy_loss: 'Cross-entropy loss is minus the log of the probability the model gave to the token that really came next.',
			gradient_descent: 'Gradient descent nudges every weight a small step against the slope of the loss, here after every training pair.',
		},
		context_size: model.n,
		corpus: corpusMeta(corpus),
		embeddings: {
			dim: model.d,
			seed: facts.seed,
			init_scale: new PyFloat(facts.initScale),
			initialisation: `random.seed(${facts.seed}), then random.gauss(0.0, ${new PyFloat(facts.initScale).value}) for every weight of E, then of W, row by row; b = 0`,
			gradient: facts.exactGradient ? 'true: every gradient from the parameters before the step' : "the series' order: E's gradient read from W after W's update in the same step",
			parameters: model.parameterCount,
			exact_file: EXACT_PARAMETERS_FILE,
		},
		model_kind: model.kind,
		notes: [
			'Trained by toy-gpt-tui: learned token embeddings, concatenated over the previous n tokens, then a linear layer and softmax, with cross-entropy loss.',
			'The weights start small and random (seeded), the bias at zero; plain SGD updates W, b and the context tokens\' embeddings once per training pair.',
			'02_model_weights.csv is the linear layer W and 03_token_embeddings.csv the embedding table E, rounded as the series writes them; the bias and the full-precision values are in ' + EXACT_PARAMETERS_FILE + '.',
		],
		num_tokens: corpus.ids.length,
		num_training_pairs: pairCount,
		repo_name: REPO_NAME,
		training: trainingMeta(settings),
		vocab_size: model.V,
	};
	return finishMeta(meta, settings, manifest);
}

/** The meta file of an attention model: the series' keys (its 600 repository's), and ours. */
function attentionMetaJson(model: AttentionModel, corpus: CorpusFacts, settings: TrainingSettings, pairCount: number, manifest: PyJson | undefined): string {
	const facts = settings.attention ?? {seed: 0, initScale: 0.01, clip: 1, exactGradient: false};
	const scale = new PyFloat(facts.initScale).value;
	const meta: {[key: string]: PyJson} = {
		artifacts: Object.fromEntries([...ARTIFACT_FILES, ...ATTENTION_FILES].map((name) => [name, name])),
		attention: {
			dim: model.d,
			head_dim: model.h,
			seed: facts.seed,
			init_scale: new PyFloat(facts.initScale),
			initialisation: `random.seed(${facts.seed}), then random.gauss(0.0, ${scale}) for every weight of E, P, W_Q, W_K, W_V, W_out in that order, row by row; b = 0`,
			clip: new PyFloat(facts.clip),
			gradient: facts.exactGradient
				? 'true: every gradient from the parameters before the step, each entry clipped once'
				: "the series' order: W_out and b, then W_V, W_K, W_Q position by position, the embeddings' gradient read from the matrices just updated; each entry clipped",
			parameters: model.parameterCount,
			exact_file: EXACT_PARAMETERS_FILE,
		},
		concepts: {
			token: 'A token is one piece of the text the model reads and predicts; here, a run of characters between whitespace.',
			vocabulary: 'The vocabulary is the list of distinct tokens, sorted, each given an integer id from 0.',
			context: 'The context is the previous n tokens; each is a learned token vector plus a learned position vector.',
			attention: 'The last position asks (its query) how well each position matches (their keys); the softmax of those scores weighs what each position contributes (their values).',
			softmax: 'Softmax turns scores into probabilities by exponentiating each score and dividing by their sum.',
			cross_entropy_loss: 'Cross-entropy loss is minus the log of the probability the model gave to the token that really came next.',
			gradient_descent: 'Gradient descent nudges every weight a small step against the slope of the loss, here after every training pair, each step entry clipped.',
		},
		context_size: model.n,
		corpus: corpusMeta(corpus),
		model_kind: model.kind,
		notes: [
			'Trained by toy-gpt-tui: single-head attention over the previous n tokens (token plus position vectors, Q, K, V projections, the last position as the query), then an output layer and softmax, with cross-entropy loss.',
			'The weights start small and random (seeded), the bias at zero; plain SGD with each gradient entry clipped updates every group once per training pair.',
			'02_model_weights.csv is W_out, 03 the token vectors E, 04 the position vectors P, 05-07 W_Q, W_K, W_V, rounded as the series writes them; the bias and the full-precision values are in ' + EXACT_PARAMETERS_FILE + '.',
		],
		num_tokens: corpus.ids.length,
		num_training_pairs: pairCount,
		repo_name: REPO_NAME,
		training: trainingMeta(settings),
		vocab_size: model.V,
	};
	return finishMeta(meta, settings, manifest);
}

/** The corpus path relative to the current folder, with `/` separators. */
export function corpusPathForMeta(path: string): string {
	const rel = isAbsolute(path) ? relative(process.cwd(), path) : relative(process.cwd(), join(process.cwd(), path));
	return rel.split(sep).join('/');
}

export function* vocabularyCsv(vocabulary: Vocabulary): Generator<string> {
	yield csvRow(['token_id', 'token', 'frequency']);
	for (let id = 0; id < vocabulary.tokens.length; id++) {
		yield csvRow([String(id), vocabulary.tokens[id]!, String(vocabulary.frequencies[id])]);
	}
}

/** Size of the byte chunks the dense files are written in. */
const CHUNK_BYTES = 1 << 20;

/**
 * The rows of a dense file, one line per context of the full table, as
 * bytes. The contexts come in blocks of V that share all but their last
 * token; in a block, a never-seen context whose label needs no CSV quotes
 * is copied from prepared bytes: its row index and a comma when `indexed`,
 * the block's label prefix (`a|b|`), then `tails[last]`, the last token's
 * bytes and the rest of the line. Any other row (seen, or with a quoted
 * label) is `line(label, slot, index)`, slot -1 for a never-seen context.
 * Few operations a row: the files of a large table are millions of lines.
 */
function* denseLines(
	model: Model,
	tails: readonly Buffer[],
	indexed: boolean,
	line: (label: string, slot: number, index: number) => string,
): Generator<Uint8Array> {
	const {V, n} = model;
	const {contexts} = model.rows;
	const tokens = model.vocabulary.tokens;
	const quoted = tokens.map((token) => csvField(token) !== token);
	let widestTail = 0;
	for (const tail of tails) widestTail = Math.max(widestTail, tail.length);
	const stored = model.rowCount;
	const blocks = V ** (n - 1);
	const prefixIds = new Int32Array(Math.max(1, n - 1));
	const indexBytes = indexed ? String(model.fullRowCount).length + 1 : 0;
	let out = Buffer.allocUnsafe(CHUNK_BYTES);
	let used = 0;
	let slot = 0;
	for (let block = 0; block < blocks; block++) {
		const prefixText = n === 1 ? '' : Array.from(prefixIds.subarray(0, n - 1), (id) => tokens[id]!).join('|') + '|';
		const prefix = Buffer.from(prefixText, 'utf8');
		const prefixQuoted = prefixIds.subarray(0, n - 1).some((id) => quoted[id]!);
		const rowBytes = indexBytes + prefix.length + widestTail;
		for (let last = 0; last < V; last++) {
			if (used + rowBytes > out.length) {
				yield out.subarray(0, used);
				out = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, rowBytes));
				used = 0;
			}
			let seen = slot < stored && contexts[slot * n + n - 1] === last;
			for (let t = 0; seen && t < n - 1; t++) if (contexts[slot * n + t] !== prefixIds[t]) seen = false;
			const index = block * V + last;
			if (!seen && !prefixQuoted && !quoted[last]) {
				if (indexed) used += out.write(`${index},`, used, 'latin1');
				out.set(prefix, used);
				used += prefix.length;
				const tail = tails[last]!;
				out.set(tail, used);
				used += tail.length;
				continue;
			}
			const text = line(prefixText + tokens[last]!, seen ? slot++ : -1, index);
			const bytes = Buffer.byteLength(text);
			if (used + bytes > out.length) {
				yield out.subarray(0, used);
				out = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
				used = 0;
			}
			used += out.write(text, used, 'utf8');
		}
		for (let t = n - 2; t >= 0; t--) {
			if (++prefixIds[t]! < V) break;
			prefixIds[t] = 0;
		}
	}
	yield out.subarray(0, used);
}

/** Each token's bytes followed by `rest`: the ends of never-seen contexts' lines. */
function tokenTails(model: Model, rest: string): Buffer[] {
	const bytes = Buffer.from(rest, 'latin1');
	return model.vocabulary.tokens.map((token) => Buffer.concat([Buffer.from(token, 'utf8'), bytes]));
}

/**
 * The full weights table: a header, then one line per context, V^n of them
 * (denseLines); a seen row formats its shared value once.
 */
export function* denseWeightsCsv(model: Model): Generator<string | Uint8Array> {
	yield csvRow(['input_token', ...model.vocabulary.tokens]);
	const {V} = model;
	const {colStart, cols, weights, shared} = model.rows;
	const zeros = ',0.00000000'.repeat(V) + '\n';
	const line = (label: string, slot: number): string => {
		if (slot < 0) return csvField(label) + zeros;
		const sharedText = ',' + pyFixed(shared[slot]!, 8);
		const end = colStart[slot + 1]!;
		let e = colStart[slot]!;
		let text = csvField(label);
		for (let column = 0; column < V; column++) text += e < end && cols[e] === column ? ',' + pyFixed(weights[e++]!, 8) : sharedText;
		return text + '\n';
	};
	if (model.n === 0) yield line(contextLabel([]), model.rowCount > 0 ? 0 : -1);
	else yield* denseLines(model, tokenTails(model, zeros), false, line);
}

/** The first two weights of each row of the full table (0 for a context never seen). */
export function* denseEmbeddingsCsv(model: Model): Generator<string | Uint8Array> {
	yield csvRow(['row', 'label', 'x', 'y']);
	const zeros = ',0.00000000,0.00000000\n';
	const line = (label: string, slot: number, index: number): string => {
		if (slot < 0) return `${index},${csvField(label)}${zeros}`;
		const x = weightAt(model, slot, 0);
		const y = model.V > 1 ? weightAt(model, slot, 1) : 0;
		return `${index},${csvField(label)},${pyFixed(x, 8)},${pyFixed(y, 8)}\n`;
	};
	if (model.n === 0) yield line(contextLabel([]), model.rowCount > 0 ? 0 : -1, 0);
	else yield* denseLines(model, tokenTails(model, zeros), true, line);
}

/** Row index of a stored row in the full table, exact at any size. */
function rowIndexText(model: Model, slot: number): string {
	const index = model.rowIndex(slot);
	if (Number.isSafeInteger(index) && model.V ** model.n <= Number.MAX_SAFE_INTEGER) return String(index);
	let big = 0n;
	for (const id of model.contextIds(slot)) big = big * BigInt(model.V) + BigInt(id);
	return big.toString();
}

/**
 * The sparse weights form, for tables too large to write whole: for each
 * context seen in training (in row-index order), one line with its shared
 * value (token_id empty: the weight of every token not listed), then one line
 * per token that has its own weight. Contexts not listed have all-zero rows.
 */
export function* sparseWeightsCsv(model: Model): Generator<string> {
	yield csvRow([...SPARSE_WEIGHTS_HEADER]);
	const {colStart, cols, weights, shared} = model.rows;
	const tokens = model.vocabulary.tokens;
	let chunk = '';
	for (let slot = 0; slot < model.rowCount; slot++) {
		const head = `${rowIndexText(model, slot)},${csvRow([model.label(slot)]).slice(0, -1)},`;
		chunk += `${head},${csvRow([SHARED_MARK]).slice(0, -1)},${pyFixed(shared[slot]!, 8)}\n`;
		for (let e = colStart[slot]!; e < colStart[slot + 1]!; e++) {
			chunk += `${head}${cols[e]},${csvRow([tokens[cols[e]!]!]).slice(0, -1)},${pyFixed(weights[e]!, 8)}\n`;
		}
		if (chunk.length > 1 << 16) {
			yield chunk;
			chunk = '';
		}
	}
	yield chunk;
}

/** Embeddings of the seen contexts only (the sparse form's companion). */
export function* sparseEmbeddingsCsv(model: Model): Generator<string> {
	yield csvRow(['row', 'label', 'x', 'y']);
	let chunk = '';
	for (let slot = 0; slot < model.rowCount; slot++) {
		const x = weightAt(model, slot, 0);
		const y = model.V > 1 ? weightAt(model, slot, 1) : 0;
		chunk += csvRow([rowIndexText(model, slot), model.label(slot), pyFixed(x, 8), pyFixed(y, 8)]);
		if (chunk.length > 1 << 16) {
			yield chunk;
			chunk = '';
		}
	}
	yield chunk;
}

/** One weight of a stored row. */
export function weightAt(model: Model, slot: number, column: number): number {
	const {colStart, cols, weights, shared} = model.rows;
	for (let e = colStart[slot]!; e < colStart[slot + 1]!; e++) {
		if (cols[e] === column) return weights[e]!;
		if (cols[e]! > column) break;
	}
	return shared[slot]!;
}

/** The held-out log: per epoch the held-out loss (nats), perplexity, accuracy and coverage. */
export function* heldOutLogCsv(log: readonly HeldOutEpoch[]): Generator<string> {
	yield 'epoch,held_out_loss,held_out_perplexity,held_out_accuracy,coverage\n';
	for (const {epoch, loss, perplexity, accuracy, coverage} of log) {
		yield `${epoch},${pyFixed(loss, 8)},${pyFixed(perplexity, 8)},${pyFixed(accuracy, 6)},${pyFixed(coverage, 6)}\n`;
	}
}

export function* trainLogCsv(log: readonly EpochResult[]): Generator<string> {
	yield 'epoch,avg_loss,accuracy\n';
	for (const {epoch, avgLoss, accuracy} of log) yield `${epoch},${pyFixed(avgLoss, 8)},${pyFixed(accuracy, 6)}\n`;
}

export interface WriteArtifactsOptions {
	readonly artifactsDir: string;
	readonly outputsDir: string;
	readonly model: StoredModel;
	readonly corpus: CorpusFacts;
	readonly settings: TrainingSettings;
	readonly pairCount: number;
	readonly log: readonly EpochResult[];
	/** The held-out figures of each epoch, when the run holds text out: held_out_log.csv. */
	readonly heldOutLog?: readonly HeldOutEpoch[];
	/** The weights form (default auto: dense up to DENSE_WEIGHTS_LIMIT weights). */
	readonly format?: WeightsFormatChoice;
}

/**
 * Write the four artifacts and the train log as one set; returns the paths
 * written. Each file goes to a temporary name first; when all are written
 * they are renamed into place, the meta file last, which holds their sizes
 * and SHA-256 (manifest.ts). A failure before that leaves the previous set
 * as it was. The folders are locked meanwhile (file-set.ts): a second run
 * writing there is refused.
 */
export function writeArtifacts(options: WriteArtifactsOptions): string[] {
	const {artifactsDir, outputsDir, model, corpus, settings, pairCount, log} = options;
	const embeddings = model instanceof EmbeddingsModel ? model : undefined;
	const attention = model instanceof AttentionModel ? model : undefined;
	// A diverged model is refused before anything is written: its files would not read back.
	const vectors = embeddings ?? attention;
	if (vectors && !vectors.finite()) throw new UserError(`the ${vectors.kind} model diverged: its weights are no longer finite numbers (a smaller learning rate trains it; the series uses 0.01); nothing was written`);
	const format = model instanceof Model ? weightsFormatFor(model, options.format) : 'dense';
	ensureWritableDirectory(artifactsDir, 'artifacts');
	ensureWritableDirectory(outputsDir, 'outputs');
	const release = lockFolders([artifactsDir, outputsDir]);
	try {
		removeLeftovers(artifactsDir, [...ARTIFACT_FILES, ...ATTENTION_FILES, EXACT_PARAMETERS_FILE]);
		removeLeftovers(outputsDir, [TRAIN_LOG_FILE, HELD_OUT_LOG_FILE]);
		const dense = format === 'dense';
		const table = model as Model;
		type FileToWrite = readonly [string, string, Iterable<string | Uint8Array>];
		const files: FileToWrite[] = [
			[VOCABULARY_FILE, join(artifactsDir, VOCABULARY_FILE), vocabularyCsv(model.vocabulary)],
			...(attention
				? ([
						[WEIGHTS_FILE, join(artifactsDir, WEIGHTS_FILE), outputWeightsCsv(attention)],
						[EMBEDDINGS_FILE, join(artifactsDir, EMBEDDINGS_FILE), tokenEmbeddingsCsv(attention)],
						[POSITIONAL_FILE, join(artifactsDir, POSITIONAL_FILE), indexedRowsCsv('position', attention.P, attention.d)],
						[WQ_FILE, join(artifactsDir, WQ_FILE), indexedRowsCsv('row', attention.WQ, attention.h)],
						[WK_FILE, join(artifactsDir, WK_FILE), indexedRowsCsv('row', attention.WK, attention.h)],
						[WV_FILE, join(artifactsDir, WV_FILE), indexedRowsCsv('row', attention.WV, attention.h)],
						[EXACT_PARAMETERS_FILE, join(artifactsDir, EXACT_PARAMETERS_FILE), exactAttentionJson(attention)],
					] satisfies FileToWrite[])
				: embeddings
				? ([
						[WEIGHTS_FILE, join(artifactsDir, WEIGHTS_FILE), linearWeightsCsv(embeddings)],
						[EMBEDDINGS_FILE, join(artifactsDir, EMBEDDINGS_FILE), tokenEmbeddingsCsv(embeddings)],
						[EXACT_PARAMETERS_FILE, join(artifactsDir, EXACT_PARAMETERS_FILE), exactParametersJson(embeddings)],
					] satisfies FileToWrite[])
				: ([
						[WEIGHTS_FILE, join(artifactsDir, WEIGHTS_FILE), dense ? denseWeightsCsv(table) : sparseWeightsCsv(table)],
						[EMBEDDINGS_FILE, join(artifactsDir, EMBEDDINGS_FILE), dense ? denseEmbeddingsCsv(table) : sparseEmbeddingsCsv(table)],
					] satisfies FileToWrite[])),
			[TRAIN_LOG_FILE, join(outputsDir, TRAIN_LOG_FILE), trainLogCsv(log)],
		];
		if (options.heldOutLog) files.push([HELD_OUT_LOG_FILE, join(outputsDir, HELD_OUT_LOG_FILE), heldOutLogCsv(options.heldOutLog)]);
		const staged: StagedFile[] = [];
		try {
			for (const [, path, chunks] of files) staged.push(stageFile(path, chunks));
			// The meta file goes last: it names what the others hold.
			const base = metaJson(model, corpus, settings, pairCount, format);
			const manifest = makeManifest(
				files.map(([name], k) => ({name, bytes: staged[k]!.bytes, sha256: staged[k]!.sha256})),
				base,
			);
			staged.push(stageFile(join(artifactsDir, META_FILE), [metaJson(model, corpus, settings, pairCount, format, manifest)]));
		} catch (error) {
			discardStaged(staged);
			throw error;
		}
		commitStaged(staged);
		// A held-out log or exact file of an earlier run no longer belongs to the set in place.
		if (!options.heldOutLog) rmSync(join(outputsDir, HELD_OUT_LOG_FILE), {force: true});
		if (!vectors) rmSync(join(artifactsDir, EXACT_PARAMETERS_FILE), {force: true});
		if (!attention) for (const name of ATTENTION_FILES) rmSync(join(artifactsDir, name), {force: true});
		return staged.map((file) => file.path);
	} finally {
		release();
	}
}
