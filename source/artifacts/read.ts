/**
 * Loading artifacts back: every file is validated and anything wrong is
 * reported with its file and line, so no probability is ever shown from a
 * model that did not load cleanly.
 */
import type {AnyModel} from '../models/families.js';
import {existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {parseCsv, type CsvRecord} from './csv.js';
import {FileFormatError, UserError} from '../runtime/errors.js';
import {contextLabel, contextSizeOfKind, Model, type ContextSize} from '../models/table/model.js';
import {makeVocabulary, type Vocabulary} from '../text/vocabulary.js';
import {describeFsError, formatBytes} from '../text/corpus.js';
import {readRegularFile} from '../runtime/read-file.js';
import {DENSE_READ_LIMIT, denseWeightCount, EMBEDDINGS_FILE, MAX_ARTIFACT_BYTES, META_FILE, SPARSE_WEIGHTS_HEADER, TRAIN_LOG_FILE, VOCABULARY_FILE, WEIGHTS_FILE} from './write.js';
import {corpusPathOfMeta, hasOurMetaKeys, ourMetaKeys} from './series.js';
import {EXACT_PARAMETERS_FILE, readEmbeddings} from './embeddings.js';
import {ATTENTION_FILES, readAttention} from './attention.js';
import type {AttentionModel} from '../models/attention/model.js';
import type {EmbeddingsModel} from '../models/embeddings/model.js';
import {checkManifestEntry, checkMetaIntact, MANIFEST_KEY, readManifest, sha256Hex, type Manifest} from './manifest.js';
import type {EpochResult} from '../models/table/train.js';

export interface LoadedMeta {
	readonly modelKind: string;
	/** The context size (an embeddings set of the series' does not record it: undefined until its weights are read). */
	readonly n: number;
	readonly vocabSize: number;
	readonly weightsFormat: 'dense' | 'sparse';
	readonly learningRate?: number;
	readonly epochs?: number;
	/** `corpus.path` with `/` separators (the series writes `corpus\\file.txt`). */
	readonly corpusPath?: string;
	/**
	 * Whether the meta file has toy-gpt-tui's manifest (manifest.ts), which
	 * matched the meta file's own text, and every key toy-gpt-tui adds
	 * (OUR_META_KEYS): a set we wrote, checked fully (loadArtifacts refuses
	 * any file the manifest does not match). Any other set, the series' own
	 * and ours from before the manifest included, is read by the series'
	 * rules (see unverifiedNote).
	 */
	readonly ours: boolean;
	/** The files of the set and the run id, when the meta file has them (ours). */
	readonly manifest?: Manifest;
	readonly raw: Record<string, unknown>;
}

export interface LoadedArtifacts {
	readonly dir: string;
	readonly meta: LoadedMeta;
	readonly model: AnyModel;
	/** What a reader should know about the model that was loaded (the series' embeddings set lacks its bias). */
	readonly note?: string;
}

/**
 * A whole artifact file: a regular file of at most MAX_ARTIFACT_BYTES
 * (anything else is refused in one line, before it is read).
 */
function readBytes(path: string, what: string): Buffer {
	return readRegularFile(path, {
		what,
		limit: MAX_ARTIFACT_BYTES,
		tooLarge: (size) =>
			`${what} ${path} is ${size === undefined ? 'larger than that' : formatBytes(size)}, more than toy-gpt-tui reads: an artifact file of at most ${MAX_ARTIFACT_BYTES.toLocaleString('en-US')} bytes (the longest text Node holds)`,
	});
}

function readText(path: string, what: string): string {
	return readBytes(path, what).toString('utf8');
}

/** How deep a meta file may nest (ours: 4); deeper is refused before anything walks it. */
const MAX_META_DEPTH = 32;

/** The deepest nesting of arrays and objects in a JSON text (strings skipped). */
function jsonDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 34 /* " */) {
			for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
		} else if (c === 91 || c === 123) {
			if (++depth > deepest) deepest = depth;
		} else if (c === 93 || c === 125) depth--;
	}
	return deepest;
}

export function loadMeta(dir: string): LoadedMeta {
	const path = join(dir, META_FILE);
	const text = readText(path, 'the meta file');
	if (jsonDepth(text) > MAX_META_DEPTH) throw new FileFormatError(path, undefined, `nested more than ${MAX_META_DEPTH} levels deep: not a meta file`);
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new FileFormatError(path, undefined, `not valid JSON (${(error as Error).message})`);
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FileFormatError(path, undefined, 'expected a JSON object');
	const meta = raw as Record<string, unknown>;
	const lineOf = (key: string) => {
		// The key at the start of a line, not the same word inside a value.
		const match = new RegExp(`^[ \\t]*"${key}"[ \\t]*:`, 'm').exec(text);
		return match ? text.slice(0, match.index).split('\n').length : undefined;
	};
	const manifest = MANIFEST_KEY in meta ? readManifest(meta[MANIFEST_KEY], text, path, lineOf(MANIFEST_KEY)) : undefined;
	if (manifest) {
		const missing = ourMetaKeys(meta).filter((key) => !(key in meta));
		if (missing.length > 0) throw new FileFormatError(path, undefined, `has toy-gpt-tui's manifest but not its keys ${missing.join(', ')}`);
	}
	const kind = meta['model_kind'];
	// A vector model's context size: ours records it, the series' files show it (W's rows, P's rows).
	const embeddings = kind === 'embeddings' || kind === 'attention';
	const recorded = meta['context_size'];
	const n = typeof kind === 'string' ? (embeddings ? (typeof recorded === 'number' ? recorded : 0) : contextSizeOfKind(kind)) : undefined;
	if (n === undefined) {
		throw new FileFormatError(path, lineOf('model_kind'), `model_kind ${JSON.stringify(kind)} is not one of unigram, bigram, context2, context3, embeddings, attention`);
	}
	if (embeddings && recorded !== undefined && !(Number.isInteger(recorded) && (recorded as number) >= 1 && (recorded as number) <= 8)) {
		throw new FileFormatError(path, lineOf('context_size'), `context_size ${short(recorded)} is not a context of 1 to 8 tokens`);
	}
	const vocabSize = meta['vocab_size'];
	if (typeof vocabSize !== 'number' || !Number.isInteger(vocabSize) || vocabSize < 1) {
		throw new FileFormatError(path, lineOf('vocab_size'), `vocab_size ${JSON.stringify(vocabSize)} is not a positive integer`);
	}
	const format = embeddings ? 'dense' : (meta['weights_format'] ?? 'dense');
	if (format !== 'dense' && format !== 'sparse') {
		throw new FileFormatError(path, lineOf('weights_format'), `weights_format ${JSON.stringify(format)} is not "dense" or "sparse"`);
	}
	// Our added keys, wherever they are: what they claim must hold.
	const count = (key: string): number | undefined => {
		if (!(key in meta)) return undefined;
		const value = meta[key];
		if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
			throw new FileFormatError(path, lineOf(key), `${key} ${short(value)} is not a whole number`);
		}
		return value;
	};
	const contextSize = count('context_size');
	if (contextSize !== undefined && contextSize !== n) {
		throw new FileFormatError(path, lineOf('context_size'), `context_size ${contextSize} contradicts model_kind "${kind}" (context ${n})`);
	}
	const tokens = count('num_tokens');
	const pairs = count('num_training_pairs');
	// With the corpus's last lines held out, the model trained on the tokens before held_out.first_token.
	const heldOut = meta['held_out'];
	const firstHeldOut = typeof heldOut === 'object' && heldOut !== null ? (heldOut as Record<string, unknown>)['first_token'] : undefined;
	if (firstHeldOut !== undefined && !(typeof firstHeldOut === 'number' && Number.isSafeInteger(firstHeldOut) && firstHeldOut >= 0 && (tokens === undefined || firstHeldOut <= tokens))) {
		throw new FileFormatError(path, lineOf('held_out'), `held_out.first_token ${short(firstHeldOut)} is not a token of the corpus`);
	}
	const trainedTokens = typeof firstHeldOut === 'number' ? firstHeldOut : tokens;
	if (trainedTokens !== undefined && pairs !== undefined && pairs !== Math.max(0, trainedTokens - n)) {
		throw new FileFormatError(
			path,
			lineOf('num_training_pairs'),
			`num_training_pairs ${pairs} should be ${Math.max(0, trainedTokens - n)}: ${typeof firstHeldOut === 'number' ? `held_out.first_token ${firstHeldOut}` : `num_tokens ${tokens}`} less the context size ${n}`,
		);
	}
	const seen = count('num_seen_contexts');
	if (seen !== undefined && (seen > vocabSize ** n || (pairs !== undefined && seen > pairs))) {
		throw new FileFormatError(path, lineOf('num_seen_contexts'), `num_seen_contexts ${seen} is more than the ${pairs !== undefined && pairs < vocabSize ** n ? `${pairs} training pairs` : `${vocabSize}^${n} contexts`}`);
	}
	const training = (meta['training'] ?? {}) as Record<string, unknown>;
	const corpus = (meta['corpus'] ?? {}) as Record<string, unknown>;
	return {
		modelKind: kind as string,
		n,
		vocabSize,
		weightsFormat: format,
		learningRate: typeof training['learning_rate'] === 'number' ? training['learning_rate'] : undefined,
		epochs: typeof training['epochs'] === 'number' ? training['epochs'] : undefined,
		corpusPath: typeof corpus['path'] === 'string' ? corpusPathOfMeta(corpus['path']) : undefined,
		ours: manifest !== undefined && hasOurMetaKeys(meta),
		...(manifest ? {manifest} : {}),
		raw: meta,
	};
}

/** A meta value as a message shows it: JSON, cut to 40 characters. */
function short(value: unknown): string {
	const text = value === undefined ? 'undefined' : JSON.stringify(value);
	return text.length > 40 ? text.slice(0, 39) + '…' : text;
}

function expectHeader(path: string, records: CsvRecord[], expected: readonly string[]): void {
	const header = records[0];
	if (!header) throw new FileFormatError(path, 1, `the file is empty; expected the header ${expected.join(',')}`);
	if (header.fields.length !== expected.length || header.fields.some((f, i) => f !== expected[i])) {
		const shown = header.fields.length > 8 ? header.fields.slice(0, 8).join(',') + ',...' : header.fields.join(',');
		throw new FileFormatError(path, header.line, `wrong header "${shown}"; expected ${expected.length > 8 ? expected.slice(0, 8).join(',') + ',...' : expected.join(',')}`);
	}
}

function expectFieldCount(path: string, record: CsvRecord, count: number): void {
	if (record.fields.length !== count) {
		throw new FileFormatError(path, record.line, `${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, expected ${count}`);
	}
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a CSV field, or an error naming file, line and column. */
export function parseWeight(path: string, line: number, column: string, field: string): number {
	const value = DECIMAL.test(field) ? Number(field) : NaN;
	if (!Number.isFinite(value)) throw new FileFormatError(path, line, `${column}: "${field}" is not a finite number`);
	return value;
}

export function loadVocabulary(dir: string, expectedSize?: number, manifest?: Manifest): Vocabulary {
	const path = join(dir, VOCABULARY_FILE);
	const bytes = readBytes(path, 'the vocabulary');
	if (manifest) checkManifestEntry(manifest, VOCABULARY_FILE, path, bytes.length, () => sha256Hex(bytes));
	const records = parseCsv(bytes.toString('utf8'), path);
	expectHeader(path, records, ['token_id', 'token', 'frequency']);
	const tokens: string[] = [];
	const frequencies: number[] = [];
	const seen = new Map<string, number>();
	for (const record of records.slice(1)) {
		expectFieldCount(path, record, 3);
		const [id, token, frequency] = record.fields as [string, string, string];
		if (id !== String(tokens.length)) throw new FileFormatError(path, record.line, `token_id "${id}" should be ${tokens.length}: ids must run 0, 1, 2, ... in order`);
		if (token === '') throw new FileFormatError(path, record.line, 'an empty token');
		const earlier = seen.get(token);
		if (earlier !== undefined) throw new FileFormatError(path, record.line, `token "${token}" repeats the token of line ${earlier}`);
		if (!/^\d+$/.test(frequency)) throw new FileFormatError(path, record.line, `frequency "${frequency}" is not a whole number`);
		seen.set(token, record.line);
		tokens.push(token);
		frequencies.push(Number(frequency));
	}
	if (tokens.length === 0) throw new FileFormatError(path, 2, 'no tokens');
	if (expectedSize !== undefined && tokens.length !== expectedSize) {
		throw new FileFormatError(path, undefined, `${tokens.length} tokens, but ${META_FILE} says vocab_size ${expectedSize}`);
	}
	return makeVocabulary(tokens, Int32Array.from(frequencies));
}

/** Read a dense weights file (one row per context of the full table) into sparse rows. */
function loadDenseWeights(path: string, text: string, vocabulary: Vocabulary, n: ContextSize): Model {
	const V = vocabulary.tokens.length;
	const records = parseCsv(text, path);
	expectHeader(path, records, ['input_token', ...vocabulary.tokens]);
	const expectedRows = V ** n;
	if (records.length - 1 !== expectedRows) {
		throw new FileFormatError(path, undefined, `${records.length - 1} rows, but a ${n}-token context over ${V} tokens needs ${expectedRows} (V^${n})`);
	}
	const contexts: number[] = [];
	const colStart: number[] = [0];
	const cols: number[] = [];
	const weights: number[] = [];
	const shared: number[] = [];
	const context = new Array<number>(n).fill(0);
	const row = new Float64Array(V);
	for (let r = 0; r < expectedRows; r++) {
		const record = records[r + 1]!;
		expectFieldCount(path, record, V + 1);
		const label = contextLabel(context.map((id) => vocabulary.tokens[id]!));
		if (record.fields[0] !== label) throw new FileFormatError(path, record.line, `row label "${record.fields[0]}" should be "${label}" (row ${r})`);
		let allZero = true;
		for (let j = 0; j < V; j++) {
			row[j] = parseWeight(path, record.line, `column ${vocabulary.tokens[j]}`, record.fields[j + 1]!);
			if (row[j] !== 0) allZero = false;
		}
		if (!allZero) {
			// The most common value becomes the shared one; the others are explicit.
			const counts = new Map<number, number>();
			for (const w of row) counts.set(w, (counts.get(w) ?? 0) + 1);
			let common = row[0]!;
			for (const [w, c] of counts) if (c > counts.get(common)!) common = w;
			contexts.push(...context);
			shared.push(common);
			for (let j = 0; j < V; j++) {
				if (row[j] !== common) {
					cols.push(j);
					weights.push(row[j]!);
				}
			}
			colStart.push(cols.length);
		}
		for (let t = n - 1; t >= 0; t--) {
			if (++context[t]! < V) break;
			context[t] = 0;
		}
	}
	return modelFromLists(vocabulary, n, {contexts, colStart, cols, weights, shared});
}

/**
 * Read a sparse weights file: per seen context, a shared-value line (empty
 * token_id) and then its own weights, token ids ascending; contexts in
 * row-index order.
 */
function loadSparseWeights(path: string, text: string, vocabulary: Vocabulary, n: ContextSize): Model {
	const V = vocabulary.tokens.length;
	const records = parseCsv(text, path);
	expectHeader(path, records, [...SPARSE_WEIGHTS_HEADER]);
	const contexts: number[] = [];
	const colStart: number[] = [0];
	const cols: number[] = [];
	const weights: number[] = [];
	const shared: number[] = [];
	let previousRow = -1n;
	let lastColumn = -1;
	const bigV = BigInt(V);
	for (const record of records.slice(1)) {
		expectFieldCount(path, record, 5);
		const [rowText, label, idText, token, weightText] = record.fields as [string, string, string, string, string];
		if (!/^\d+$/.test(rowText)) throw new FileFormatError(path, record.line, `row "${rowText}" is not a whole number`);
		const row = BigInt(rowText);
		const weight = parseWeight(path, record.line, 'weight', weightText);
		if (idText === '') {
			// A new context: its shared value.
			if (row <= previousRow) throw new FileFormatError(path, record.line, `row ${rowText} is out of order: rows must ascend, each once`);
			if (row >= bigV ** BigInt(n)) throw new FileFormatError(path, record.line, `row ${rowText} is beyond the table's ${V}^${n} rows`);
			const context: number[] = [];
			for (let t = n - 1, r = row; t >= 0; t--, r /= bigV) context[t] = Number(r % bigV);
			const expected = contextLabel(context.map((id) => vocabulary.tokens[id]!));
			if (label !== expected) throw new FileFormatError(path, record.line, `label "${label}" should be "${expected}" (row ${rowText})`);
			if (previousRow >= 0n) colStart.push(cols.length);
			contexts.push(...context);
			shared.push(weight);
			previousRow = row;
			lastColumn = -1;
			continue;
		}
		if (row !== previousRow) throw new FileFormatError(path, record.line, `row ${rowText} has no shared-value line before it (a line with an empty token_id)`);
		if (!/^\d+$/.test(idText) || Number(idText) >= V) throw new FileFormatError(path, record.line, `token_id "${idText}" is not an id of the vocabulary (0..${V - 1})`);
		const id = Number(idText);
		if (id <= lastColumn) throw new FileFormatError(path, record.line, `token_id ${id} is out of order: ids must ascend within a row`);
		if (token !== vocabulary.tokens[id]) throw new FileFormatError(path, record.line, `token "${token}" does not match the vocabulary's token ${id} "${vocabulary.tokens[id]}"`);
		cols.push(id);
		weights.push(weight);
		lastColumn = id;
	}
	if (previousRow >= 0n) colStart.push(cols.length);
	return modelFromLists(vocabulary, n, {contexts, colStart, cols, weights, shared});
}

/** A model from the plain lists a reader gathers row by row. */
function modelFromLists(
	vocabulary: Vocabulary,
	n: ContextSize,
	lists: {contexts: number[]; colStart: number[]; cols: number[]; weights: number[]; shared: number[]},
): Model {
	return new Model(vocabulary, n, {
		contexts: Int32Array.from(lists.contexts),
		colStart: Int32Array.from(lists.colStart),
		cols: Int32Array.from(lists.cols),
		weights: Float64Array.from(lists.weights),
		shared: Float64Array.from(lists.shared),
	});
}

export function loadArtifacts(dir: string): LoadedArtifacts {
	const meta = loadMeta(dir);
	const {manifest} = meta;
	// A set with our manifest is checked before any of it is parsed: the meta
	// file's own text, then each file against its size and SHA-256, so a file
	// of another run, or one cut short, is named as such.
	if (manifest) checkMetaIntact(manifest, join(dir, META_FILE));
	const vocabulary = loadVocabulary(dir, meta.vocabSize, meta.manifest);
	const path = join(dir, WEIGHTS_FILE);
	if (!existsSync(path)) throw new UserError(missingWeightsMessage(dir, meta));
	if (meta.modelKind === 'embeddings') return loadEmbeddingsSet(dir, meta, vocabulary);
	if (meta.modelKind === 'attention') return loadAttentionSet(dir, meta, vocabulary);
	if (meta.weightsFormat === 'dense') {
		const weights = denseWeightCount(meta.vocabSize, meta.n);
		if (weights > DENSE_READ_LIMIT) {
			throw new FileFormatError(
				path,
				undefined,
				`a dense table of ${meta.vocabSize}^${meta.n + 1} = ${weights.toLocaleString('en-US')} weights is more than toy-gpt-tui reads (${DENSE_READ_LIMIT.toLocaleString('en-US')}); ${retrainHint(dir, meta)} writes it in the sparse form`,
			);
		}
	}
	const bytes = readBytes(path, 'the weights');
	if (manifest) {
		checkManifestEntry(manifest, WEIGHTS_FILE, path, bytes.length, () => sha256Hex(bytes));
		// The embeddings file is not read for the model, but it is of the set.
		const embeddings = join(dir, EMBEDDINGS_FILE);
		const size = fileSize(embeddings, 'the embeddings');
		checkManifestEntry(manifest, EMBEDDINGS_FILE, embeddings, size, () => sha256Hex(readBytes(embeddings, 'the embeddings')));
	}
	const text = bytes.toString('utf8');
	const n = meta.n as ContextSize;
	const model = meta.weightsFormat === 'sparse' ? loadSparseWeights(path, text, vocabulary, n) : loadDenseWeights(path, text, vocabulary, n);
	const seen = meta.raw['num_seen_contexts'];
	if (typeof seen === 'number' && seen !== model.rowCount) {
		throw new FileFormatError(
			join(dir, META_FILE),
			undefined,
			`num_seen_contexts ${seen}, but ${WEIGHTS_FILE} holds ${model.rowCount} context${model.rowCount === 1 ? '' : 's'} with weights`,
		);
	}
	return {dir, meta, model};
}

/**
 * An embeddings set: the series' 02 and 03, and with our manifest the exact
 * file too (each checked against the manifest before it is parsed).
 */
function loadEmbeddingsSet(dir: string, meta: LoadedMeta, vocabulary: Vocabulary): LoadedArtifacts {
	const {manifest} = meta;
	const read = (name: string, what: string) => {
		const path = join(dir, name);
		const bytes = readBytes(path, what);
		if (manifest) checkManifestEntry(manifest, name, path, bytes.length, () => sha256Hex(bytes));
		return bytes.toString('utf8');
	};
	const weights = read(WEIGHTS_FILE, 'the weights');
	const embeddings = read(EMBEDDINGS_FILE, 'the embeddings');
	const exactListed = manifest?.files.some((file) => file.name === EXACT_PARAMETERS_FILE) ?? false;
	const exact = exactListed ? read(EXACT_PARAMETERS_FILE, 'the exact parameters') : undefined;
	const model = readEmbeddings(dir, vocabulary, {weights, embeddings, ...(exact === undefined ? {} : {exact})}, meta.raw['context_size'] === undefined ? undefined : meta.n);
	const note =
		exact === undefined
			? `${join(dir, META_FILE)}: the toy-gpt series does not save the embeddings model's bias, and rounds W and E: this is that model with bias 0, nearly uniform (most of what it learned, the token frequencies, was in the bias)`
			: undefined;
	return {dir, meta: {...meta, n: model.n}, model, ...(note ? {note} : {})};
}

/** An attention set: the series' 02 to 07, and with our manifest the exact file too. */
function loadAttentionSet(dir: string, meta: LoadedMeta, vocabulary: Vocabulary): LoadedArtifacts {
	const {manifest} = meta;
	const read = (name: string, what: string) => {
		const path = join(dir, name);
		const bytes = readBytes(path, what);
		if (manifest) checkManifestEntry(manifest, name, path, bytes.length, () => sha256Hex(bytes));
		return bytes.toString('utf8');
	};
	const texts: Record<string, string> = {[WEIGHTS_FILE]: read(WEIGHTS_FILE, 'the weights'), [EMBEDDINGS_FILE]: read(EMBEDDINGS_FILE, 'the embeddings')};
	for (const name of ATTENTION_FILES) texts[name] = read(name, `the ${name.slice(3, -4).replaceAll('_', ' ')}`);
	const exactListed = manifest?.files.some((file) => file.name === EXACT_PARAMETERS_FILE) ?? false;
	const exact = exactListed ? read(EXACT_PARAMETERS_FILE, 'the exact parameters') : undefined;
	const model = readAttention(dir, vocabulary, {texts, ...(exact === undefined ? {} : {exact})}, meta.raw['context_size'] === undefined ? undefined : meta.n);
	const note =
		exact === undefined
			? `${join(dir, META_FILE)}: the toy-gpt series does not save the attention model's bias, and rounds its weights: this is that model with bias 0, nearly uniform (most of what it learned, the token frequencies, was in the bias)`
			: undefined;
	return {dir, meta: {...meta, n: model.n}, model, ...(note ? {note} : {})};
}

function fileSize(path: string, what: string): number {
	try {
		return statSync(path).size;
	} catch (error) {
		throw new UserError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
	}
}

/** The `train` command that makes this set's model again, from what its meta file records. */
function retrainHint(dir: string, meta: LoadedMeta): string {
	const corpus = meta.corpusPath ?? 'CORPUS';
	const quote = (text: string) => (/^[\w./:@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);
	const settings = [meta.epochs === undefined ? '' : ` --epochs ${meta.epochs}`, meta.learningRate === undefined ? '' : ` --lr ${meta.learningRate}`].join('');
	if (meta.modelKind === 'embeddings' || meta.modelKind === 'attention') {
		// The model's own settings where the meta file records them (ours), else the series' (context 2).
		const facts = (meta.raw['embeddings'] ?? {}) as Record<string, unknown>;
		const flag = (name: string, value: unknown) => (typeof value === 'number' ? ` --${name} ${value}` : '');
		const context = typeof meta.raw['context_size'] === 'number' ? meta.n : 2;
		if (meta.modelKind === 'attention') {
			const a = (meta.raw['attention'] ?? {}) as Record<string, unknown>;
			return `toy-gpt-tui train --model attention --corpus ${quote(corpus)} --context ${context}${flag('dim', a['dim'])}${flag('head-dim', a['head_dim'])}${flag('seed', a['seed'])}${flag('init-scale', a['init_scale'])}${flag('clip', a['clip'])}${settings} --artifacts ${quote(dir)}`;
		}
		return `toy-gpt-tui train --model embeddings --corpus ${quote(corpus)} --context ${context}${flag('dim', facts['dim'])}${flag('seed', facts['seed'])}${flag('init-scale', facts['init_scale'])}${settings} --artifacts ${quote(dir)}`;
	}
	return `toy-gpt-tui train --corpus ${quote(corpus)} --context ${meta.n}${settings} --artifacts ${quote(dir)}`;
}

/**
 * A set whose weights file is missing: the series leaves out of its
 * repositories a weights file too large to commit (its context-3 glossary
 * model's would be 428 MB).
 */
function missingWeightsMessage(dir: string, meta: LoadedMeta): string {
	const why = meta.ours ? '' : ' (the toy-gpt series does not commit a weights file too large for GitHub)';
	return `${join(dir, WEIGHTS_FILE)} is missing${why}; make it with: ${retrainHint(dir, meta)}`;
}

/** The train log in `dir`; with the set's manifest, refused unless it is that run's. */
export function loadTrainLog(dir: string, manifest?: Manifest): EpochResult[] {
	const path = join(dir, TRAIN_LOG_FILE);
	const bytes = readBytes(path, 'the train log');
	if (manifest) checkManifestEntry(manifest, TRAIN_LOG_FILE, path, bytes.length, () => sha256Hex(bytes));
	const records = parseCsv(bytes.toString('utf8'), path);
	expectHeader(path, records, ['epoch', 'avg_loss', 'accuracy']);
	return records.slice(1).map((record, i) => {
		expectFieldCount(path, record, 3);
		const [epoch, loss, accuracy] = record.fields as [string, string, string];
		if (epoch !== String(i + 1)) throw new FileFormatError(path, record.line, `epoch "${epoch}" should be ${i + 1}: epochs must run 1, 2, 3, ... without gaps`);
		const avgLoss = parseWeight(path, record.line, 'avg_loss', loss);
		const acc = parseWeight(path, record.line, 'accuracy', accuracy);
		if (avgLoss < 0) throw new FileFormatError(path, record.line, `avg_loss ${loss} is negative`);
		if (acc < 0 || acc > 1) throw new FileFormatError(path, record.line, `accuracy ${accuracy} is outside 0..1`);
		return {epoch: i + 1, avgLoss, accuracy: acc};
	});
}
