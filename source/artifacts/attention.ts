/**
 * The attention model's files: the toy-gpt series' rung-600 formats, and
 * one file of ours that makes a reload exact.
 *
 *   02_model_weights.csv          W_out: input_token,<every token>; rows
 *                                 head_dim_0 … head_dim_{h−1}; values %.4f
 *   03_token_embeddings.csv       E: token_id,token,dim_0 … dim_{d−1}; %.6f
 *   04_positional_embeddings.csv  P: position,dim_0 … dim_{d−1}; rows 0 … n−1; %.6f
 *   05_W_Q.csv, 06_W_K.csv,       row,dim_0 … dim_{h−1}; rows 0 … d−1 (the
 *   07_W_V.csv                    input dimensions); %.6f
 *   exact_parameters.json         b, E, P, W_Q, W_K, W_V, W_out at full
 *                                 precision (Python's repr of each float)
 *
 * An exact ±0.0 is written `0`. The series leaves the bias out and rounds
 * the rest, so a model read from its files alone is not the trained model;
 * toy-gpt-tui reads exact_parameters.json when the set has it, and the
 * series' files (bias 0) when not.
 */
import {join} from 'node:path';
import {csvRow, parseCsv} from './csv.js';
import {pyFloatRepr} from './pyformat.js';
import {FileFormatError} from '../runtime/errors.js';
import {AttentionModel} from '../models/attention/model.js';
import type {Vocabulary} from '../text/vocabulary.js';
import {EXACT_PARAMETERS_FILE, checkPrinted, csvNumber, exactTables, readTokenEmbeddings, seriesNumber} from './embeddings.js';

export const POSITIONAL_FILE = '04_positional_embeddings.csv';
export const WQ_FILE = '05_W_Q.csv';
export const WK_FILE = '06_W_K.csv';
export const WV_FILE = '07_W_V.csv';
/** The files an attention set has beyond the four every set has. */
export const ATTENTION_FILES = [POSITIONAL_FILE, WQ_FILE, WK_FILE, WV_FILE] as const;

/** 02_model_weights.csv of an attention model: W_out, one row per head dimension. */
export function* outputWeightsCsv(model: AttentionModel): Generator<string> {
	const {V, Wout} = model;
	yield csvRow(['input_token', ...model.vocabulary.tokens]);
	for (let k = 0; k < model.h; k++) {
		const fields = [`head_dim_${k}`];
		for (let j = 0; j < V; j++) fields.push(seriesNumber(Wout[k * V + j]!, 4));
		yield fields.join(',') + '\n';
	}
}

/** A table of `rows` rows of `width` numbers at %.6f, each row led by its index (04 to 07). */
export function* indexedRowsCsv(first: string, values: Float64Array, width: number): Generator<string> {
	yield [first, ...Array.from({length: width}, (_, k) => `dim_${k}`)].join(',') + '\n';
	for (let r = 0; r < values.length / width; r++) {
		const fields = [String(r)];
		for (let k = 0; k < width; k++) fields.push(seriesNumber(values[r * width + k]!, 6));
		yield fields.join(',') + '\n';
	}
}

/** exact_parameters.json of an attention model: every table, every float as Python's repr. */
export function* exactAttentionJson(model: AttentionModel): Generator<string> {
	const list = (values: Float64Array) => `[${Array.from(values, pyFloatRepr).join(', ')}]`;
	const table = function* (key: string, values: Float64Array, width: number, last = false): Generator<string> {
		const rows = values.length / width;
		yield `  "${key}": [\n`;
		for (let r = 0; r < rows; r++) yield `    ${list(values.subarray(r * width, r * width + width))}${r + 1 < rows ? ',' : ''}\n`;
		yield `  ]${last ? '' : ','}\n`;
	};
	yield `{\n  "format": "toy-gpt-tui exact parameters of an attention model: E (V rows of d), P (n rows of d), W_Q, W_K, W_V (d rows of h), W_out (h rows of V), b (V), every float as Python's repr",\n`;
	yield `  "b": ${list(model.b)},\n`;
	yield* table('E', model.E, model.d);
	yield* table('P', model.P, model.d);
	yield* table('W_Q', model.WQ, model.h);
	yield* table('W_K', model.WK, model.h);
	yield* table('W_V', model.WV, model.h);
	yield* table('W_out', model.Wout, model.V, true);
	yield '}\n';
}

export interface AttentionFiles {
	/** Text of 02 … 07, by file name. */
	readonly texts: Readonly<Record<string, string>>;
	/** Text of exact_parameters.json, when the set has one. */
	readonly exact?: string;
}

/** A `row,dim_0,…` or `position,dim_0,…` table: its rows of numbers, each led by its index. */
function readIndexedRows(path: string, text: string, first: string): {values: Float64Array; rows: number; width: number} {
	const records = parseCsv(text, path);
	const header = records[0];
	const width = header ? header.fields.length - 1 : 0;
	if (!header || width < 1 || header.fields[0] !== first || header.fields.slice(1).some((f, k) => f !== `dim_${k}`)) {
		throw new FileFormatError(path, 1, `expected the header ${first},dim_0,dim_1,…`);
	}
	const body = records.slice(1);
	if (body.length === 0) throw new FileFormatError(path, undefined, 'no rows');
	const values = new Float64Array(body.length * width);
	body.forEach((record, r) => {
		if (record.fields[0] !== String(r)) throw new FileFormatError(path, record.line, `row "${record.fields[0]}" should be ${r}`);
		if (record.fields.length !== width + 1) throw new FileFormatError(path, record.line, `${record.fields.length} fields, expected ${width + 1}`);
		for (let k = 0; k < width; k++) values[r * width + k] = csvNumber(path, record.line, `dim_${k}`, record.fields[k + 1]!);
	});
	return {values, rows: body.length, width};
}

/**
 * The model from its files, every shape read from them and checked against
 * the others: d from 03, n from 04's rows, h from 02's rows and 05-07's
 * columns, V from the vocabulary. With the exact file, its values, which
 * must print as the CSVs do; without it the bias is 0.
 */
export function readAttention(dir: string, vocabulary: Vocabulary, files: AttentionFiles, contextSize?: number): AttentionModel {
	const V = vocabulary.tokens.length;
	const pathOf = (name: string) => join(dir, name);
	const weightsPath = pathOf('02_model_weights.csv');
	const records = parseCsv(files.texts['02_model_weights.csv']!, weightsPath);
	const header = records[0];
	if (!header || header.fields[0] !== 'input_token') throw new FileFormatError(weightsPath, 1, 'expected the header input_token,<every token>');
	if (header.fields.length !== V + 1 || header.fields.some((f, j) => j > 0 && f !== vocabulary.tokens[j - 1])) {
		throw new FileFormatError(weightsPath, header.line, `the header's tokens are not the vocabulary's ${V}, in order`);
	}
	const h = records.length - 1;
	if (h < 1) throw new FileFormatError(weightsPath, undefined, 'no head_dim rows');
	const Wout = new Float64Array(h * V);
	records.slice(1).forEach((record, k) => {
		if (record.fields[0] !== `head_dim_${k}`) throw new FileFormatError(weightsPath, record.line, `row "${record.fields[0]}" should be head_dim_${k}`);
		if (record.fields.length !== V + 1) throw new FileFormatError(weightsPath, record.line, `${record.fields.length} fields, expected ${V + 1}`);
		for (let j = 0; j < V; j++) Wout[k * V + j] = csvNumber(weightsPath, record.line, vocabulary.tokens[j]!, record.fields[j + 1]!);
	});
	const {E, d} = readTokenEmbeddings(pathOf('03_token_embeddings.csv'), files.texts['03_token_embeddings.csv']!, vocabulary);
	const positions = readIndexedRows(pathOf(POSITIONAL_FILE), files.texts[POSITIONAL_FILE]!, 'position');
	if (positions.width !== d) throw new FileFormatError(pathOf(POSITIONAL_FILE), undefined, `${positions.width} dimensions, but 03_token_embeddings.csv has ${d}`);
	const n = positions.rows;
	if (n > 8) throw new FileFormatError(pathOf(POSITIONAL_FILE), undefined, `${n} positions; toy-gpt-tui reads contexts of 1 to 8`);
	if (contextSize !== undefined && contextSize !== n) throw new FileFormatError(pathOf(POSITIONAL_FILE), undefined, `${n} positions, but 00_meta.json says context_size ${contextSize}`);
	const projection = (name: string) => {
		const table = readIndexedRows(pathOf(name), files.texts[name]!, 'row');
		if (table.rows !== d) throw new FileFormatError(pathOf(name), undefined, `${table.rows} rows, but the embeddings have ${d} dimensions`);
		if (table.width !== h) throw new FileFormatError(pathOf(name), undefined, `${table.width} columns, but 02_model_weights.csv has ${h} head dimensions`);
		return table.values;
	};
	const printed = {E, P: positions.values, WQ: projection(WQ_FILE), WK: projection(WK_FILE), WV: projection(WV_FILE), Wout};
	if (files.exact === undefined) return new AttentionModel(vocabulary, {n, d, h}, {...printed, b: new Float64Array(V)});
	const path = join(dir, EXACT_PARAMETERS_FILE);
	const flat = exactTables(path, files.exact);
	const exact = {E: flat('E', V, d), P: flat('P', n, d), WQ: flat('W_Q', d, h), WK: flat('W_K', d, h), WV: flat('W_V', d, h), Wout: flat('W_out', h, V), b: flat('b', V, 0)};
	// Named as the file names them (W_Q, not the field WQ).
	for (const [key, name, digits] of [['E', 'E', 6], ['P', 'P', 6], ['WQ', 'W_Q', 6], ['WK', 'W_K', 6], ['WV', 'W_V', 6], ['Wout', 'W_out', 4]] as const) checkPrinted(path, name, exact[key], printed[key], digits);
	return new AttentionModel(vocabulary, {n, d, h}, exact);
}
