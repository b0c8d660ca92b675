/** The chart's reference lines equal the reference's conditionalEntropy, bit for bit, and mean what they say. */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {conditionalEntropyOf, unigramEntropyOf} from '../../source/models/entropy.js';
import {conditionalEntropy, trainingPairs} from '../../source/reference.js';
import type {ContextSize} from '../../source/models/table/model.js';

function words(seed: number, count: number, distinct: number): string {
	let x = seed;
	return Array.from({length: count}, () => `w${Math.floor(((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32) ** 2 * distinct)}`).join(' ') + '\n';
}

describe('conditionalEntropyOf and unigramEntropyOf', () => {
	it('equal the reference conditionalEntropy at every context size, bit for bit', () => {
		for (const seed of [1, 2, 3]) {
			const corpus = corpusFromBytes('c.txt', Buffer.from(words(seed, 400, 30)));
			for (const n of [0, 1, 2, 3] as ContextSize[]) {
				const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, 0.1);
				expect(conditionalEntropyOf(run.pairs, run.model.explicitCount, run.model.rowCount), `seed ${seed}, n ${n}`).toBe(conditionalEntropy(trainingPairs(corpus.ids, n)));
			}
			expect(unigramEntropyOf(corpus.ids, corpus.ids.length, corpus.vocabulary.tokens.length)).toBe(conditionalEntropy(trainingPairs(corpus.ids, 0)));
		}
	});

	it('is ln 2 for a fair coin, 0 where the context decides the next token', () => {
		const corpus = corpusFromBytes('c.txt', Buffer.from('a b a b a b a b\n'));
		expect(unigramEntropyOf(corpus.ids, 8, 2)).toBeCloseTo(Math.log(2), 15);
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 1, 0.1);
		expect(conditionalEntropyOf(run.pairs, run.model.explicitCount, run.model.rowCount)).toBe(0);
	});

	it('is where a table\'s training loss heads: above it always, settling above it by a gap that shrinks with the learning rate', () => {
		// Plain SGD at a fixed rate settles where each pair's step undoes the
		// others' (about 0.32 nats above at lr 1, 0.11 at 0.3, 0.04 at 0.1 here).
		const corpus = corpusFromBytes('c.txt', Buffer.from(words(4, 300, 12)));
		const gaps = [1, 0.3, 0.1].map((lr) => {
			const run = new TrainingRun(corpus.vocabulary, corpus.ids, 1, lr);
			for (let e = 0; e < 500; e++) run.epoch();
			const floor = conditionalEntropyOf(run.pairs, run.model.explicitCount, run.model.rowCount);
			for (const entry of run.log) expect(entry.avgLoss).toBeGreaterThan(floor);
			return run.log.at(-1)!.avgLoss - floor;
		});
		expect(gaps[1]).toBeLessThan(gaps[0]! / 2);
		expect(gaps[2]).toBeLessThan(gaps[1]! / 2);
		expect(gaps[2]).toBeLessThan(0.05);
	});
});
