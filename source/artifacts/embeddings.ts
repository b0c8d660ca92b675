/**
 * The embeddings model's files: the toy-gpt series' rung-500 formats, and
 * one file of ours that makes a reload exact.
 *
 *   02_model_weights.csv     W: input_token,<every token>; rows input_dim_0 …
 *                            input_dim_{n·d−1}; values %.4f
 *   03_token_embeddings.csv  E: token_id,token,dim_0 … dim_{d−1}; values %.6f
 *   exact_parameters.json    E, W and b at full precision (Python's repr of
 *                            each float, which reads back to the same bits)
 *
 * In both CSVs an exact ±0.0 is written `0`, anything else as Python's
 * `f"{x:.4f}"` writes it (so -0.0000 occurs). The series leaves the bias
 * out and rounds W and E, so a model read back from those two files alone
 * is not the trained model; toy-gpt-tui reads exact_parameters.json when
 * the set has it, and the series' files (bias 0) when not.
 */
import {join} from 'node:path';
import {existsSync} from 'node:fs';
import {csvRow, parseCsv} from './csv.js';
import {pyFixed, pyFloatRepr} from './pyformat.js';
import {FileFormatError} from '../runtime/errors.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import type {Vocabulary} from '../text/vocabulary.js';

export const EXACT_PARAMETERS_FILE = 'exact_parameters.json';

/** The series' number format: an exact zero as `0`, else `%.{digits}f`. */
export function seriesNumber(x: number, digits: number): string {
	return x === 0 ? '0' : pyFixed(x, digits);
}

/** 02_model_weights.csv of an embeddings model: W, one row per input position. */
export function* linearWeightsCsv(model: EmbeddingsModel): Generator<string> {
	const {V, W} = model;
	yield csvRow(['input_token', ...model.vocabulary.tokens]);
	for (let i = 0; i < model.n * model.d; i++) {
		const fields = [`input_dim_${i}`];
		for (let j = 0; j < V; j++) fields.push(seriesNumber(W[i * V + j]!, 4));
		yield fields.join(',') + '\n';
	}
}

/** 03_token_embeddings.csv of an embeddings or attention model: E, one row per token. */
export function* tokenEmbeddingsCsv(model: {readonly V: number; readonly d: number; readonly E: Float64Array; readonly vocabulary: Vocabulary}): Generator<string> {
	const {d, E} = model;
	yield csvRow(['token_id', 'token', ...Array.from({length: d}, (_, k) => `dim_${k}`)]);
	for (let t = 0; t < model.V; t++) {
		const values: string[] = [];
		for (let k = 0; k < d; k++) values.push(seriesNumber(E[t * d + k]!, 6));
		yield csvRow([String(t), model.vocabulary.tokens[t]!, ...values]);
	}
}

/** exact_parameters.json: {"b": [...], "E": [[...]], "W": [[...]]}, every float as Python's repr. */
export function* exactParametersJson(model: EmbeddingsModel): Generator<string> {
	const {V, d} = model;
	const list = (values: Float64Array) => `[${Array.from(values, pyFloatRepr).join(', ')}]`;
	yield `{\n  "format": "toy-gpt-tui exact parameters: E (V rows of d), W (n·d rows of V), b (V), every float as Python's repr",\n`;
	yield `  "b": ${list(model.b)},\n  "E": [\n`;
	for (let t = 0; t < V; t++) yield `    ${list(model.E.subarray(t * d, t * d + d))}${t + 1 < V ? ',' : ''}\n`;
	yield '  ],\n  "W": [\n';
	const rows = model.n * d;
	for (let i = 0; i < rows; i++) yield `    ${list(model.W.subarray(i * V, i * V + V))}${i + 1 < rows ? ',' : ''}\n`;
	yield '  ]\n}\n';
}

export interface EmbeddingsFiles {
	/** Text of 02_model_weights.csv and 03_token_embeddings.csv. */
	readonly weights: string;
	readonly embeddings: string;
	/** Text of exact_parameters.json, when the set has one. */
	readonly exact?: string;
}

/**
 * The model from its files: W and E (with their shapes) from the series'
 * CSVs, checked against the vocabulary; then, when given, the exact values,
 * which must print as the CSVs do. Without them the bias is 0 (the series
 * does not save it) and W and E are the rounded values.
 */
export function readEmbeddings(dir: string, vocabulary: Vocabulary, files: EmbeddingsFiles, contextSize?: number): EmbeddingsModel {
	const weightsPath = join(dir, '02_model_weights.csv');
	const embeddingsPath = join(dir, '03_token_embeddings.csv');
	const V = vocabulary.tokens.length;
	const weightRecords = parseCsv(files.weights, weightsPath);
	const header = weightRecords[0];
	if (!header || header.fields[0] !== 'input_token') throw new FileFormatError(weightsPath, 1, 'expected the header input_token,<every token>');
	if (header.fields.length !== V + 1 || header.fields.some((f, j) => j > 0 && f !== vocabulary.tokens[j - 1])) {
		throw new FileFormatError(weightsPath, header.line, `the header's tokens are not the vocabulary's ${V}, in order`);
	}
	const rows = weightRecords.slice(1);
	const W = new Float64Array(rows.length * V);
	rows.forEach((record, i) => {
		if (record.fields[0] !== `input_dim_${i}`) throw new FileFormatError(weightsPath, record.line, `row "${record.fields[0]}" should be input_dim_${i}`);
		if (record.fields.length !== V + 1) throw new FileFormatError(weightsPath, record.line, `${record.fields.length} fields, expected ${V + 1}`);
		for (let j = 0; j < V; j++) W[i * V + j] = csvNumber(weightsPath, record.line, vocabulary.tokens[j]!, record.fields[j + 1]!);
	});
	const {E, d} = readTokenEmbeddings(embeddingsPath, files.embeddings, vocabulary);
	if (rows.length === 0 || rows.length % d !== 0) throw new FileFormatError(weightsPath, undefined, `${rows.length} rows is not a whole number of contexts of ${d} dimensions (03_token_embeddings.csv has ${d})`);
	const n = rows.length / d;
	if (contextSize !== undefined && contextSize !== n) throw new FileFormatError(weightsPath, undefined, `${rows.length} rows make a context of ${n}, but 00_meta.json says context_size ${contextSize}`);
	if (n > 8) throw new FileFormatError(weightsPath, undefined, `${rows.length} rows make a context of ${n} tokens; toy-gpt-tui reads contexts of 1 to 8`);
	const b = new Float64Array(V);
	if (files.exact === undefined) return new EmbeddingsModel(vocabulary, n, d, E, W, b);
	return exactModel(dir, vocabulary, n, d, files.exact, {E, W});
}

/** E from 03_token_embeddings.csv (token_id,token,dim_0,…), its rows the vocabulary's tokens in order. */
export function readTokenEmbeddings(embeddingsPath: string, text: string, vocabulary: Vocabulary): {E: Float64Array; d: number} {
	const V = vocabulary.tokens.length;
	const embeddingRecords = parseCsv(text, embeddingsPath);
	const eHeader = embeddingRecords[0];
	const d = eHeader ? eHeader.fields.length - 2 : 0;
	if (!eHeader || d < 1 || eHeader.fields[0] !== 'token_id' || eHeader.fields[1] !== 'token' || eHeader.fields.slice(2).some((f, k) => f !== `dim_${k}`)) {
		throw new FileFormatError(embeddingsPath, 1, 'expected the header token_id,token,dim_0,dim_1,…');
	}
	if (embeddingRecords.length - 1 !== V) throw new FileFormatError(embeddingsPath, undefined, `${embeddingRecords.length - 1} rows, but the vocabulary has ${V} tokens`);
	const E = new Float64Array(V * d);
	embeddingRecords.slice(1).forEach((record, t) => {
		if (record.fields.length !== d + 2) throw new FileFormatError(embeddingsPath, record.line, `${record.fields.length} fields, expected ${d + 2}`);
		if (record.fields[0] !== String(t) || record.fields[1] !== vocabulary.tokens[t]) throw new FileFormatError(embeddingsPath, record.line, `row ${t} should be token ${t} of the vocabulary`);
		for (let k = 0; k < d; k++) E[t * d + k] = csvNumber(embeddingsPath, record.line, `dim_${k}`, record.fields[k + 2]!);
	});
	return {E, d};
}

/** A finite number in the series' CSV format, or a FileFormatError naming the column. */
export function csvNumber(path: string, line: number, column: string, field: string): number {
	const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(field) ? Number(field) : NaN;
	if (!Number.isFinite(value)) throw new FileFormatError(path, line, `${column}: "${field}" is not a finite number`);
	return value;
}

/** The exact values, checked against the shapes and against what the CSVs print. */
function exactModel(dir: string, vocabulary: Vocabulary, n: number, d: number, text: string, printed: {E: Float64Array; W: Float64Array}): EmbeddingsModel {
	const path = join(dir, EXACT_PARAMETERS_FILE);
	const V = vocabulary.tokens.length;
	const flat = exactTables(path, text);
	const E = flat('E', V, d);
	const W = flat('W', n * d, V);
	const b = flat('b', V, 0);
	checkPrinted(path, 'E', E, printed.E, 6);
	checkPrinted(path, 'W', W, printed.W, 4);
	return new EmbeddingsModel(vocabulary, n, d, E, W, b);
}

/**
 * The tables of an exact-parameters file: flat(key, rows, cols) is the list
 * of `rows` lists of `cols` finite numbers under `key` (cols 0: one list of
 * `rows` numbers), row-major, or a FileFormatError saying what is wrong.
 */
export function exactTables(path: string, text: string): (key: string, rows: number, cols: number) => Float64Array {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new FileFormatError(path, undefined, `not valid JSON (${(error as Error).message})`);
	}
	const object = (raw ?? {}) as Record<string, unknown>;
	const flat = (key: string, rows: number, cols: number): Float64Array => {
		const value = object[key];
		const out = new Float64Array(cols === 0 ? rows : rows * cols);
		const list = cols === 0 ? [value] : value;
		if (!Array.isArray(list) || list.length !== (cols === 0 ? 1 : rows)) throw new FileFormatError(path, undefined, `"${key}" should be ${cols === 0 ? `a list of ${rows} numbers` : `${rows} lists of ${cols} numbers`}`);
		const lists = cols === 0 ? [value as unknown[]] : (list as unknown[][]);
		const width = cols === 0 ? rows : cols;
		lists.forEach((row, r) => {
			if (!Array.isArray(row) || row.length !== width || row.some((x) => typeof x !== 'number')) throw new FileFormatError(path, undefined, `"${key}" row ${r} is not ${width} numbers`);
			const bad = (row as number[]).findIndex((x) => !Number.isFinite(x));
			if (bad >= 0) throw new FileFormatError(path, undefined, `"${key}" row ${r}, value ${bad}: ${row[bad]} is not a finite number`);
			out.set(row as number[], r * width);
		});
		return out;
	};
	return flat;
}

/** Each exact value must print as the CSV shows it (the series' format at `digits`): else the files are of two models. */
export function checkPrinted(path: string, name: string, exact: Float64Array, shown: Float64Array, digits: number): void {
	for (let k = 0; k < exact.length; k++) {
		if (Number(seriesNumber(exact[k]!, digits)) !== shown[k]) throw new FileFormatError(path, undefined, `${name} value ${k} (${exact[k]}) does not print as the CSV's ${shown[k]}: the two files are not of one model`);
	}
}

/** Whether a set has the exact file beside the series' ones. */
export function hasExactParameters(dir: string): boolean {
	return existsSync(join(dir, EXACT_PARAMETERS_FILE));
}
