/**
 * The dense weights and embeddings files are made as bytes in 1 MiB chunks;
 * they must hold exactly the text a plain line-by-line writer gives: every
 * context of the full table in row order, its label quoted for CSV where
 * needed, and its V weights (or its first two) with 8 decimals (0 for a
 * context never seen).
 */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {denseEmbeddingsCsv, denseWeightsCsv} from '../../source/artifacts/write.js';
import {csvField, csvRow} from '../../source/artifacts/csv.js';
import {pyFixed} from '../../source/artifacts/pyformat.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {contextLabel, type ContextSize, type Model} from '../../source/models/table/model.js';

/** Each row of the full table: its index, context, label (quoted) and weights. */
function* fullRows(model: Model) {
	const {V, n} = model;
	const tokens = model.vocabulary.tokens;
	for (let row = 0; row < V ** n; row++) {
		const context: number[] = [];
		for (let t = n - 1, r = row; t >= 0; t--, r = Math.floor(r / V)) context[t] = r % V;
		const slot = model.slotOf(context);
		yield {row, label: csvField(contextLabel(context.map((id) => tokens[id]!))), weights: slot >= 0 ? model.scores(slot) : new Float64Array(V)};
	}
}

/** The embeddings file as a plain writer would make it. */
function plainEmbeddingsCsv(model: Model): string {
	let text = csvRow(['row', 'label', 'x', 'y']);
	for (const {row, label, weights} of fullRows(model)) text += `${row},${label},${pyFixed(weights[0]!, 8)},${pyFixed(model.V > 1 ? weights[1]! : 0, 8)}\n`;
	return text;
}

/** The weights file as a plain writer would make it, one string. */
function plainDenseCsv(model: Model): string {
	const {V, n} = model;
	const tokens = model.vocabulary.tokens;
	let text = csvRow(['input_token', ...tokens]);
	for (let row = 0; row < V ** n; row++) {
		const context: number[] = [];
		for (let t = n - 1, r = row; t >= 0; t--, r = Math.floor(r / V)) context[t] = r % V;
		const slot = model.slotOf(context);
		const weights = slot >= 0 ? model.scores(slot) : new Float64Array(V);
		text += csvField(contextLabel(context.map((id) => tokens[id]!)));
		for (const w of weights) text += ',' + pyFixed(w, 8);
		text += '\n';
	}
	return text;
}

function trained(text: string, n: ContextSize, epochs: number): Model {
	const corpus = corpusFromBytes('corpus.txt', Buffer.from(text));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, 0.5);
	for (let e = 0; e < epochs; e++) run.epoch();
	return run.model;
}

function written(model: Model, file = denseWeightsCsv): {bytes: Buffer; chunks: number} {
	const chunks = [...file(model)].map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
	return {bytes: Buffer.concat(chunks), chunks: chunks.length};
}

describe('the dense weights file', () => {
	it('quotes labels and writes non-ASCII tokens as UTF-8', () => {
		const model = trained('the "cat" sat on a,b mat\nthe café sat 🐈 on the mat\nthe "cat" ran\n', 2, 6);
		expect(model.vocabulary.tokens).toContain('"cat"');
		const {bytes} = written(model);
		expect(bytes.toString('utf8')).toBe(plainDenseCsv(model));
		expect(bytes.toString('utf8')).toContain('"""cat""|sat",');
		expect(bytes.includes(Buffer.from('café|sat,'))).toBe(true);
		expect(written(model, denseEmbeddingsCsv).bytes.toString('utf8')).toBe(plainEmbeddingsCsv(model));
	});

	it('is the same across its 1 MiB chunks', () => {
		const words = Array.from({length: 70}, (_, i) => `w${i}`);
		let x = 3;
		const text = Array.from({length: 900}, () => {
			x = (Math.imul(x, 1103515245) + 12345) >>> 0;
			return words[x % 70];
		}).join(' ');
		const model = trained(text, 2, 3);
		const {bytes, chunks} = written(model);
		expect(chunks).toBeGreaterThan(3);
		expect(bytes.toString('utf8')).toBe(plainDenseCsv(model));
		expect(written(model, denseEmbeddingsCsv).bytes.toString('utf8')).toBe(plainEmbeddingsCsv(model));
	});

	it('writes each context size, unigram included', () => {
		for (const n of [0, 1, 3] as const) {
			const model = trained('a b c a b d a c b a\nd d a b\n', n, 4);
			expect(written(model).bytes.toString('utf8')).toBe(plainDenseCsv(model));
			expect(written(model, denseEmbeddingsCsv).bytes.toString('utf8')).toBe(plainEmbeddingsCsv(model));
		}
	});
});
