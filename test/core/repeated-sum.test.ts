import {describe, expect, it} from 'vitest';
import {lcg} from '../support/random.js';
import {addRepeated, columnOrderSum} from '../../source/core/repeated-sum.js';
import {createExpKernel} from '../../source/core/exp-kernel.js';

function loop(sum: number, term: number, count: number): number {
	for (let i = 0; i < count; i++) sum += term;
	return sum;
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

/** The plain loop columnOrderSum stands for: every column in order. */
function denseSum(V: number, cols: Int32Array, terms: Float64Array, term: number): number {
	const column = new Float64Array(V).fill(term);
	for (let e = 0; e < cols.length; e++) column[cols[e]!] = terms[e]!;
	let total = 0;
	for (let j = 0; j < V; j++) total += column[j]!;
	return total;
}

/** `count` distinct sorted column ids below V. */
function someColumns(random: () => number, V: number, count: number): Int32Array {
	const chosen = new Set<number>();
	while (chosen.size < Math.min(count, V)) chosen.add(Math.floor(random() * V));
	return Int32Array.from([...chosen].sort((a, b) => a - b));
}

const kernel = createExpKernel(500)!;

/** columnOrderSum with its hot loop on the WebAssembly kernel, the row placed there as training places it. */
function withKernel(V: number, cols: Int32Array, terms: Float64Array, term: number): number {
	kernel.fill(new Float64Array(cols.length), cols, 0, cols.length, 0);
	kernel.output.set(terms);
	return columnOrderSum(V, cols, 0, cols.length, kernel.output, term, kernel);
}

describe('columnOrderSum', () => {
	it('equals the plain column-order loop on softmax-like rows', () => {
		const random = lcg(23);
		for (let trial = 0; trial < 4000; trial++) {
			const V = 1 + Math.floor(random() * (random() < 0.5 ? 60 : 20000));
			const cols = someColumns(random, V, Math.floor(random() * (random() < 0.7 ? 8 : 400)));
			// One explicit term is the row's max (exactly 1) when there is one; the others and the shared term are below it.
			const terms = Float64Array.from(cols, () => (random() < 0.1 ? 1 : random() * 2 ** -Math.floor(random() * 40)));
			const term = random() < 0.05 ? 1 : random() < 0.1 ? 2 ** -Math.floor(random() * 60) : random() * 2 ** -Math.floor(random() * 30);
			const got = columnOrderSum(V, cols, 0, cols.length, terms, term);
			const want = denseSum(V, cols, terms, term);
			if (!Object.is(got, want)) expect.fail(`trial ${trial}: V ${V}, ${cols.length} columns, term ${term}: ${got} != ${want}`);
			const onKernel = withKernel(V, cols, terms, term);
			if (!Object.is(onKernel, want)) expect.fail(`trial ${trial} on the kernel: V ${V}, ${cols.length} columns, term ${term}: ${onKernel} != ${want}`);
		}
	});

	it('equals the loop when the shared term is a tie (an odd number of half ulps of the sum)', () => {
		const random = lcg(29);
		let ties = 0;
		for (let trial = 0; trial < 600; trial++) {
			const V = 100 + Math.floor(random() * 5000);
			const cols = someColumns(random, V, Math.floor(random() * 30));
			const terms = Float64Array.from(cols, () => (random() < 0.5 ? 1 : Math.floor(random() * 64) * 2 ** -10));
			// Half an ulp of some binade the sum will pass through, times an odd number.
			const binade = Math.floor(random() * 12);
			const term = ((2 * Math.floor(random() * 8) + 1) * 2 ** (binade - 53)) / 1;
			if (term <= 1) ties++;
			expect(columnOrderSum(V, cols, 0, cols.length, terms, term)).toBe(denseSum(V, cols, terms, term));
			expect(withKernel(V, cols, terms, term)).toBe(denseSum(V, cols, terms, term));
		}
		expect(ties).toBeGreaterThan(500);
	});

	it('moves to the next binade when a run or a term lands exactly on a power of two', () => {
		// Coarse terms, and a shared term with one low bit that the wider ulp of
		// the next binade rounds away: the window must not be kept at its top.
		const random = lcg(31);
		for (let trial = 0; trial < 3000; trial++) {
			const V = 8 + Math.floor(random() * 60);
			// Few columns, or many (which the kernel adds in blocks).
			const cols = someColumns(random, V, 1 + Math.floor(random() * (random() < 0.5 ? 6 : V)));
			const terms = Float64Array.from(cols, () => Math.floor(random() * 4) / 4);
			const term = (1 + Math.floor(random() * 7)) / 8 + (random() < 0.5 ? 2 ** -52 : 3 * 2 ** -53);
			const want = denseSum(V, cols, terms, term);
			expect(columnOrderSum(V, cols, 0, cols.length, terms, term), `trial ${trial}`).toBe(want);
			expect(withKernel(V, cols, terms, term), `trial ${trial} on the kernel`).toBe(want);
		}
	});

	it('keeps ties to even among many explicit columns (the kernel adds them in blocks)', () => {
		// Terms that are exactly half an ulp (or an odd number of halves) of the
		// sum: the loop rounds each to even, which no reordering may change.
		const random = lcg(37);
		const halves = [2 ** -53, 3 * 2 ** -53, 5 * 2 ** -53, 2 ** -52, 3 * 2 ** -52, 0.25, 0.5, 1];
		for (let trial = 0; trial < 400; trial++) {
			const V = 100 + Math.floor(random() * 2000);
			const cols = someColumns(random, V, 20 + Math.floor(random() * 80));
			const terms = Float64Array.from(cols, (_, i) => (i === 0 ? 1 : halves[Math.floor(random() * halves.length)]!));
			const term = random() < 0.5 ? 2 ** -20 : 2 ** -60;
			const want = denseSum(V, cols, terms, term);
			expect(columnOrderSum(V, cols, 0, cols.length, terms, term), `trial ${trial}`).toBe(want);
			expect(withKernel(V, cols, terms, term), `trial ${trial} on the kernel`).toBe(want);
		}
	});

	it('reads a row out of the middle of the shared arrays', () => {
		const cols = Int32Array.from([7, 1, 4, 9, 2]);
		const terms = Float64Array.from([0.25, 1, 0.5]);
		expect(columnOrderSum(12, cols, 1, 4, terms, 0.125)).toBe(denseSum(12, Int32Array.from([1, 4, 9]), terms, 0.125));
	});

	it('falls back to exact repeated addition for tiny, zero and non-finite shared terms', () => {
		const cols = Int32Array.from([3, 10, 11]);
		const terms = Float64Array.from([1, 2 ** -30, 0.5]);
		for (const term of [0, 5e-324, 2 ** -1030, 2 ** -1000, NaN]) {
			expect(Object.is(columnOrderSum(5000, cols, 0, 3, terms, term), denseSum(5000, cols, terms, term)), String(term)).toBe(true);
		}
		// Every column explicit: no shared term at all.
		expect(columnOrderSum(3, Int32Array.from([0, 1, 2]), 0, 3, Float64Array.from([1, 0.5, 0.25]), 0)).toBe(1.75);
	});
});
