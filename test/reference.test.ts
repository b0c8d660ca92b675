/**
 * The readable reference (source/reference.ts) on figures small enough to
 * check by hand. That the fast engine equals it bit for bit is
 * test/models/table/full-table.test.ts; the original pipeline's own run is
 * test/artifacts/original-run.test.ts.
 */
import {describe, expect, it} from 'vitest';
import {
	argmax,
	crossEntropy,
	gradient,
	nextTokenProbabilities,
	rowIndex,
	rowOf,
	sgdStep,
	softmax,
	trainEpoch,
	trainFullTable,
	trainingPairs,
	zeroTable,
} from '../source/reference.js';

describe('the readable reference', () => {
	it('makes a pair of every window of n tokens and the token after it', () => {
		expect(trainingPairs([4, 5, 6, 7], 2)).toEqual([
			{context: [4, 5], target: 6},
			{context: [5, 6], target: 7},
		]);
		expect(trainingPairs([4, 5], 0)).toEqual([
			{context: [], target: 4},
			{context: [], target: 5},
		]);
		expect(trainingPairs([4, 5], 2)).toEqual([]);
	});

	it('numbers rows by reading the context as a number in base V', () => {
		expect(rowIndex([], 47)).toBe(0);
		expect(rowIndex([2, 3], 10)).toBe(23);
		expect(rowIndex([1, 0, 2], 3)).toBe(11);
	});

	it('turns equal scores into equal probabilities, and e^1 : 1 into 73% : 27%', () => {
		expect([...softmax([0, 0, 0, 0])]).toEqual([0.25, 0.25, 0.25, 0.25]);
		const [a, b] = softmax([1, 0]);
		expect(a).toBeCloseTo(Math.E / (Math.E + 1), 15);
		expect(b).toBeCloseTo(1 / (Math.E + 1), 15);
		// Shifting every score changes nothing, even far beyond exp's range.
		expect([...softmax([1001, 1000])]).toEqual([...softmax([1, 0])]);
	});

	it('takes the loss as −ln p(target), clipped at 1e-12', () => {
		expect(crossEntropy([0.25, 0.75], 1)).toBeCloseTo(Math.log(4 / 3), 15);
		expect(crossEntropy([0.5, 0.5], 0)).toBe(Math.log(2));
		expect(crossEntropy([1, 0], 1)).toBeCloseTo(12 * Math.log(10), 12);
	});

	it('breaks ties to the lowest token id', () => {
		expect(argmax([0.2, 0.4, 0.4])).toBe(1);
		expect(argmax([0.25, 0.25, 0.25, 0.25])).toBe(0);
	});

	it('steps a row against p − y: the target up, every other token down', () => {
		const p = [0.25, 0.25, 0.5];
		expect([...gradient(p, 2)]).toEqual([0.25, 0.25, -0.5]);
		const row = new Float64Array(3);
		sgdStep(row, gradient(p, 2), 0.1);
		expect([...row]).toEqual([-0.025, -0.025, 0.05]);
	});

	it('changes only the row of the pair it trains', () => {
		// V = 2, n = 1: rows "after 0" and "after 1". The corpus 0 1 has one pair, (0) → 1.
		const table = zeroTable(2, 1);
		const log = trainEpoch(table, trainingPairs([0, 1], 1), 0.5);
		// Before the step p = (0.5, 0.5): the loss is ln 2, and the tie picks id 0, not the target.
		expect(log).toEqual({avgLoss: Math.log(2), accuracy: 0});
		expect([...rowOf(table, [0])]).toEqual([-0.25, 0.25]);
		expect([...rowOf(table, [1])]).toEqual([0, 0]);
		// Now p(1 | 0) = e^0.25 / (e^0.25 + e^-0.25), about 62%.
		expect(nextTokenProbabilities(table, [0])[1]).toBeCloseTo(Math.exp(0.25) / (Math.exp(0.25) + Math.exp(-0.25)), 15);
	});

	it('learns a deterministic sequence: the loss falls every epoch and the accuracy reaches 1', () => {
		// 0 1 2 0 1 2 …: after each token the next one is certain.
		const ids = Array.from({length: 30}, (_, i) => i % 3);
		const {log, weights} = trainFullTable(ids, 3, 1, 0.5, 20);
		for (let e = 1; e < log.length; e++) expect(log[e]!.avgLoss).toBeLessThan(log[e - 1]!.avgLoss);
		expect(log.at(-1)!.accuracy).toBe(1);
		// Row "after 0" holds its largest weight at token 1.
		expect(argmax(weights.subarray(0, 3))).toBe(1);
	});
});
