import {describe, expect, it} from 'vitest';
import {addRepeated} from '../../source/core/repeated-sum.js';

function loop(sum: number, term: number, count: number): number {
	for (let i = 0; i < count; i++) sum += term;
	return sum;
}

// A small deterministic generator so a failure can be replayed.
function lcg(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

describe('addRepeated', () => {
	it('equals the addition loop bit for bit on random sums, terms and counts', () => {
		const random = lcg(7);
		for (let trial = 0; trial < 20000; trial++) {
			const sum = random() < 0.2 ? 0 : random() * 2 ** Math.floor(random() * 40 - 20);
			const term = random() * 2 ** Math.floor(random() * 60 - 50);
			const count = Math.floor(random() * 3000);
			expect(Object.is(addRepeated(sum, term, count), loop(sum, term, count)), `${sum} ${term} ${count}`).toBe(true);
		}
	});

	it('equals the loop on softmax-like sequences: runs of one term between other additions', () => {
		// The pattern of a sparse softmax denominator, which reuses the cached binade.
		const random = lcg(11);
		for (let trial = 0; trial < 3000; trial++) {
			const term = random() < 0.1 ? 2 ** -Math.floor(random() * 60) : random() * 2 ** -Math.floor(random() * 30);
			let fast = 0;
			let slow = 0;
			const pieces = 1 + Math.floor(random() * 30);
			for (let k = 0; k < pieces; k++) {
				const count = Math.floor(random() * (random() < 0.5 ? 6 : 5000));
				fast = addRepeated(fast, term, count);
				slow = loop(slow, term, count);
				const other = random() < 0.3 ? 1 : random() * 2 ** -Math.floor(random() * 20);
				fast += other;
				slow += other;
				if (!Object.is(fast, slow)) expect.fail(`trial ${trial} piece ${k}: ${fast} != ${slow}`);
			}
		}
	});

	it('reproduces ties to even (term exactly half an ulp and odd multiples of it)', () => {
		const ulp = 2 ** -52;
		for (const start of [1, 1 + ulp, 1 + 3 * ulp, 1.5, 2 - 8 * ulp]) {
			for (const halves of [1, 3, 5, 7, 2 ** 20 + 1]) {
				const term = (halves * ulp) / 2;
				for (const count of [5, 17, 1000, 100000]) {
					expect(addRepeated(start, term, count)).toBe(loop(start, term, count));
				}
			}
		}
	});

	it('stops moving once the term is below half an ulp of the sum', () => {
		expect(addRepeated(1, 2 ** -60, 1e9)).toBe(1);
		expect(loop(1, 2 ** -60, 1000)).toBe(1);
	});

	it('handles terms that are exactly representable steps across many binades', () => {
		expect(addRepeated(0, 0.1, 100000)).toBe(loop(0, 0.1, 100000));
		expect(addRepeated(0, 1 / 3, 65537)).toBe(loop(0, 1 / 3, 65537));
		expect(addRepeated(0, 5e-324, 1000)).toBe(loop(0, 5e-324, 1000));
		expect(addRepeated(1e-310, 3e-310, 50)).toBe(loop(1e-310, 3e-310, 50));
	});

	it('lets infinity and NaN absorb the run', () => {
		expect(addRepeated(Infinity, 1, 10)).toBe(Infinity);
		expect(addRepeated(1, NaN, 10)).toBeNaN();
	});
});
