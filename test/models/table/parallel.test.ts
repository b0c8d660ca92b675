import {describe, expect, it} from 'vitest';
import {encode, vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {TrainingRun} from '../../../source/models/table/run.js';
import {partitionRows} from '../../../source/models/table/parallel.js';

function corpus(length: number, words: number, seed: number): string[] {
	let x = seed;
	const tokens: string[] = [];
	for (let i = 0; i < length; i++) {
		x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
		tokens.push(`w${Math.floor((x / 2 ** 32) ** 2 * words)}`);
	}
	return tokens;
}

/** The bytes of an array's own elements (a model's weights may share their buffer with other data). */
const bytesOf = (array: Float64Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

describe('training on several threads', () => {
	for (const [threads, n] of [
		[2, 2],
		[3, 1],
		[2, 3],
	] as const) {
		it(`${threads} threads, context ${n}: the same weights and the same train log, bit for bit`, async () => {
			const tokens = corpus(30_000, 800, 7 + threads + n);
			const vocabulary = vocabularyFromTokens(tokens);
			const ids = encode(vocabulary, tokens);
			const one = new TrainingRun(vocabulary, ids, n, 0.1);
			const many = new TrainingRun(vocabulary, ids, n, 0.1);
			await one.trainEpochs(3, 1);
			await many.trainEpochs(3, threads);
			expect(many.log).toEqual(one.log);
			expect(bytesOf(many.model.rows.weights).equals(bytesOf(one.model.rows.weights))).toBe(true);
			expect(bytesOf(many.model.rows.shared).equals(bytesOf(one.model.rows.shared))).toBe(true);
			// And training goes on from there on one thread exactly as well.
			one.epoch();
			many.epoch();
			expect(many.log).toEqual(one.log);
		});
	}

	it('splits the rows into parts of about equal work', () => {
		const tokens = corpus(20_000, 300, 3);
		const vocabulary = vocabularyFromTokens(tokens);
		const run = new TrainingRun(vocabulary, encode(vocabulary, tokens), 2, 0.1);
		const part = partitionRows(run.model, run.pairs, 2);
		const load = [0, 0];
		const {colStart} = run.model.rows;
		for (const row of run.pairs.pairRow) load[part[row]!]! += colStart[row + 1]! - colStart[row]! + 8;
		expect(Math.abs(load[0]! - load[1]!) / (load[0]! + load[1]!)).toBeLessThan(0.02);
	});
});
