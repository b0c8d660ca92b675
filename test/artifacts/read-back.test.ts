/**
 * A run whose weights file toy-gpt-tui could not read back is refused before
 * it trains: the sparse file's size has a lower bound known from the corpus
 * alone (which weights are a row's own), checked here against files written.
 */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {checkReadBack, MAX_ARTIFACT_BYTES, sparseBytesLowerBound, sparseWeightsCsv} from '../../source/artifacts/write.js';
import type {ContextSize} from '../../source/models/table/model.js';
import {UserError} from '../../source/runtime/errors.js';

/** The bytes of the sparse weights file of this run as it is now. */
function sparseFileBytes(run: TrainingRun): number {
	let bytes = 0;
	for (const chunk of sparseWeightsCsv(run.model)) bytes += Buffer.byteLength(chunk);
	return bytes;
}

/** A corpus of `count` words drawn (seeded) from `distinct` words, some with commas, quotes or non-ASCII letters. */
function corpusText(count: number, distinct: number, seed: number): string {
	const words = Array.from({length: distinct}, (_, k) => ['w', 'ü', 'a,b', 'say"x', '猫'][k % 5] + k);
	let x = seed;
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		out.push(words[x % distinct]!);
	}
	return out.join(' ') + '\n';
}

describe('sparseBytesLowerBound', () => {
	it('is at most the bytes of the sparse file written, before and after training, at every context size', () => {
		for (const n of [0, 1, 2, 3] as ContextSize[]) {
			for (const [count, distinct, seed] of [
				[40, 5, 1],
				[400, 60, 2],
				[3000, 900, 3],
			] as const) {
				const corpus = corpusFromBytes('c.txt', Buffer.from(corpusText(count, distinct, seed)));
				const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, 0.5);
				const bound = sparseBytesLowerBound(run.model);
				expect(bound, `n=${n} untrained`).toBeLessThanOrEqual(sparseFileBytes(run));
				run.epoch();
				run.epoch();
				const written = sparseFileBytes(run);
				expect(bound, `n=${n} trained`).toBeLessThanOrEqual(written);
				// A close bound: within the weights' extra digits and signs.
				expect(bound / written, `n=${n}`).toBeGreaterThan(0.85);
			}
		}
	});
});

describe('checkReadBack', () => {
	const corpus = corpusFromBytes('c.txt', Buffer.from(corpusText(3000, 900, 4)));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, 3, 0.5);
	const bound = sparseBytesLowerBound(run.model);

	it('lets through a run whose weights file is within the limit (the readers\' 536,870,888 bytes)', () => {
		expect(MAX_ARTIFACT_BYTES).toBe(536_870_888);
		expect(() => checkReadBack(run.model, 'sparse')).not.toThrow();
		expect(() => checkReadBack(run.model, 'sparse', bound)).not.toThrow();
	});

	it('refuses one over it in one line: the size, the model, the limit and what to change', () => {
		expect(() => checkReadBack(run.model, 'sparse', bound - 1)).toThrow(UserError);
		expect(() => checkReadBack(run.model, 'sparse', bound - 1)).toThrow(
			new RegExp(
				`^a context3 model of this corpus would write a weights file of at least [\\d.]+ [KMG]B \\(sparse: 2,997 contexts seen, [\\d,]+ weights of their own\\), more than toy-gpt-tui reads back \\(${(bound - 1).toLocaleString('en-US')} bytes\\); train a smaller context or a part of the corpus$`,
			),
		);
	});
});
