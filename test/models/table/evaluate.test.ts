/**
 * Held-out scoring: the engine's scorePairsOf on sparse rows equals the
 * reference's scorePairs on the full table, bit for bit, on held-out tails
 * of seeded corpora at every context size; and a tail whose contexts never
 * occur before it scores what a table model must: coverage 0, loss ln V.
 */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../../source/text/corpus.js';
import {holdoutSplit} from '../../../source/text/split.js';
import {TrainingRun} from '../../../source/models/table/run.js';
import {OOV_LOSS, scorePairsOf} from '../../../source/models/table/evaluate.js';
import {scorePairs, trainFullTable, trainingPairs} from '../../../source/reference.js';
import type {ContextSize} from '../../../source/models/table/model.js';

/** Lines of seeded words from a small vocabulary (so the full table stays small). */
function text(seed: number, lines: number, distinct: number): string {
	let x = seed;
	const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const out: string[] = [];
	for (let l = 0; l < lines; l++) {
		const words = Array.from({length: 2 + Math.floor(next() * 6)}, () => `w${Math.floor(next() ** 2 * distinct)}`);
		out.push(words.join(' '));
		if (next() < 0.1) out.push('');
	}
	return out.join('\n') + '\n';
}

describe('scorePairsOf equals the reference scorePairs, bit for bit', () => {
	for (const n of [0, 1, 2, 3] as ContextSize[]) {
		it(`context ${n}: held-out loss, accuracy and coverage after 0, 1 and 3 epochs`, () => {
			for (const [seed, fraction] of [
				[1, 0.2],
				[2, 0.5],
				[3, 0.1],
			] as const) {
				const corpus = corpusFromBytes('c.txt', Buffer.from(text(seed, 30, 9)));
				const split = holdoutSplit(corpus, fraction, n);
				const V = corpus.vocabulary.tokens.length;
				const trainIds = corpus.ids.subarray(0, split.cut);
				const heldOut = trainingPairs(corpus.ids.subarray(split.cut), n);
				const trainPairs = trainingPairs(trainIds, n);
				for (const epochs of [0, 1, 3]) {
					const run = new TrainingRun(corpus.vocabulary, trainIds, n, 0.5);
					for (let e = 0; e < epochs; e++) run.epoch();
					const full = trainFullTable(trainIds, V, n, 0.5, epochs);
					const expected = scorePairs({V, n, weights: full.weights}, heldOut, trainPairs);
					const got = scorePairsOf(run.model, corpus.ids, split.cut + n, corpus.ids.length);
					const label = `seed ${seed}, ${epochs} epochs`;
					expect(got.pairs, label).toBe(heldOut.length);
					expect(got.lossSum / got.pairs, label).toBe(expected.avgLoss);
					expect(got.correct / got.pairs, label).toBe(expected.accuracy);
					expect(got.covered / got.pairs, label).toBe(expected.coverage);
					expect(got.oovTargets).toBe(0);
				}
			}
		});
	}
});

describe('a held-out tail whose contexts never occur before it', () => {
	it('has coverage 0 and loss ln V exactly, whatever the training did', () => {
		// The last line's words never occur before it, so no context of the tail was seen.
		const corpus = corpusFromBytes('c.txt', Buffer.from('a b a b a b a c\nb a b a c a b\nx y z x y z\n'));
		const split = holdoutSplit(corpus, 0.3, 2);
		expect(split.heldOutLines).toBe(1);
		const run = new TrainingRun(corpus.vocabulary, corpus.ids.subarray(0, split.cut), 2, 0.5);
		for (let e = 0; e < 20; e++) run.epoch();
		const got = scorePairsOf(run.model, corpus.ids, split.cut + 2, corpus.ids.length);
		expect(got.pairs).toBe(4);
		expect(got.covered).toBe(0);
		expect(got.lossSum / got.pairs).toBeCloseTo(Math.log(6), 14);
		// Every guess is token 0 (the uniform row's argmax), and no target is token 0 ("a").
		expect(got.correct).toBe(0);
	});

	it('scores a target the vocabulary lacks (id -1) at 1e-12, 27.63 nats, apart from the known ones', () => {
		const corpus = corpusFromBytes('c.txt', Buffer.from('a b a b a b\n'));
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 1, 0.5);
		run.epoch();
		const ids = Int32Array.from([0, 1, -1, 0, 1]); // a b ? a b
		const got = scorePairsOf(run.model, ids, 1, ids.length);
		expect(OOV_LOSS).toBeCloseTo(27.631021115928547, 12);
		expect(got).toMatchObject({pairs: 4, oovTargets: 1, covered: 3});
		expect(got.lossSum - got.knownLossSum).toBe(OOV_LOSS);
	});
});
