import {describe, expect, it} from 'vitest';
import {convergence} from '../../source/models/convergence.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {corpusFromBytes} from '../../source/text/corpus.js';

describe('convergence: the last tenth of the epochs lowered the loss by at most 1%', () => {
	it('50 epochs whose last 5 took the loss from 1.00 to 0.95 (5%): still training', () => {
		const losses = [...Array.from({length: 45}, (_, e) => 2 - e / 44), 0.99, 0.98, 0.97, 0.96, 0.95];
		expect(losses[44]).toBe(1);
		expect(losses[49]).toBe(0.95);
		const c = convergence(losses);
		expect(c.settled).toBe(false);
		expect(c.over).toBe(5);
		expect(c.drop).toBeCloseTo(0.05);
	});

	it('the same run with the last 5 epochs at 1.000 → 0.995 (0.5%): settled', () => {
		const losses = [...Array.from({length: 45}, (_, e) => 2 - e / 44), 0.999, 0.998, 0.997, 0.996, 0.995];
		expect(convergence(losses).settled).toBe(true);
		expect(convergence(losses).drop).toBeCloseTo(0.005);
	});

	it('a loss that rose counts as settled; one epoch (or none) cannot tell', () => {
		expect(convergence([1, 1.2]).settled).toBe(true);
		expect(convergence([1]).settled).toBeUndefined();
		expect(convergence([]).settled).toBeUndefined();
	});

	it('at least one epoch is compared: 3 epochs look at the last one, 3.0 → 2.0 is not settled', () => {
		expect(convergence([4, 3, 2])).toEqual({settled: false, drop: 1 / 3, over: 1});
	});

	it('on a small text repeated 3 times, 50 epochs at lr 0.1: the unigram has settled, context-3 has not', () => {
		const text = 'the cat sat on the mat\nthe dog sat on the log\nthe cat saw the dog\n';
		const corpus = corpusFromBytes('t.txt', Buffer.from(text.repeat(3)));
		const losses = (n: 0 | 3) => {
			const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, 0.1);
			for (let e = 0; e < 50; e++) run.epoch();
			return run.log.map((r) => r.avgLoss);
		};
		expect(convergence(losses(0)).settled).toBe(true);
		expect(convergence(losses(3)).settled).toBe(false);
	});
});
