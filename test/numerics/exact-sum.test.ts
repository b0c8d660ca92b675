import {describe, expect, it} from 'vitest';
import {exactSum, finishSum, roundedSum} from '../../source/numerics/exact-sum.js';
import {lcg} from '../support/random.js';

/**
 * Shewchuk's exact partials and the final rounding of Python's math.fsum
 * (Modules/mathmodule.c), written independently of the engine: the oracle.
 */
function fsum(values: Iterable<number>): number {
	const partials: number[] = [];
	for (let x of values) {
		let i = 0;
		for (let y of partials) {
			if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
			const high = x + y;
			const low = y - (high - x);
			if (low !== 0) partials[i++] = low;
			x = high;
		}
		partials.length = i;
		partials.push(x);
	}
	let n = partials.length;
	if (n === 0) return 0;
	let high = partials[--n]!;
	let low = 0;
	while (n > 0) {
		const x = high;
		const y = partials[--n]!;
		high = x + y;
		low = y - (high - x);
		if (low !== 0) break;
	}
	if (n > 0 && ((low < 0 && partials[n - 1]! < 0) || (low > 0 && partials[n - 1]! > 0))) {
		const y = low * 2;
		const x = high + y;
		if (y === x - high) high = x;
	}
	return high;
}

const same = (got: number, want: number, what: string) => {
	if (!Object.is(got, want)) expect.fail(`${what}: ${got} != ${want}`);
};

/** Values like a softmax's exponentials: in (0, 1], one of them often exactly 1, magnitudes spread over many binades. */
function exponentials(random: () => number, count: number): Float64Array {
	const spread = 2 ** Math.floor(random() * 12);
	const values = Float64Array.from({length: count}, () => Math.exp(-random() * spread));
	if (count > 0 && random() < 0.5) values[Math.floor(random() * count)] = 1;
	return values;
}

describe('correctly rounded sums', () => {
	it('equal math.fsum on random exponentials, whatever their number', () => {
		const random = lcg(11);
		for (let trial = 0; trial < 600; trial++) {
			const values = exponentials(random, Math.floor(random() ** 2 * 3000));
			const want = fsum(values);
			same(roundedSum(values), want, `trial ${trial}`);
			same(exactSum(values, 0, values.length), want, `trial ${trial}, exact`);
		}
	});

	it('add copies of a term as the exact product, the same as adding each copy', () => {
		const random = lcg(12);
		for (let trial = 0; trial < 400; trial++) {
			const values = exponentials(random, Math.floor(random() * 200));
			// A term of 24 significant bits times fewer than 2^29 copies is exact in a double, so the oracle can take the product as one value.
			const term = Math.fround(Math.exp(-random() * 30));
			const copies = Math.floor(random() ** 3 * 2 ** 20);
			const want = fsum([...values, copies * term]);
			same(roundedSum(values, 0, values.length, copies, term), want, `trial ${trial}`);
			same(exactSum(values, 0, values.length, copies, term), want, `trial ${trial}, exact`);
		}
		// Any term: the fast path against the exact sum.
		for (let trial = 0; trial < 400; trial++) {
			const values = exponentials(random, Math.floor(random() * 100));
			const term = Math.exp(-random() * 30);
			const copies = Math.floor(random() * 60_000);
			same(roundedSum(values, 0, values.length, copies, term), exactSum(values, 0, values.length, copies, term), `any term ${trial}`);
		}
	});

	it('do not depend on the order of the terms, unlike a loop', () => {
		const values = [1, 2 ** -53, 2 ** -53];
		expect(values[0]! + values[1]! + values[2]!).toBe(1); // the loop loses both halves
		expect(values[1]! + values[2]! + values[0]!).toBe(1 + 2 ** -52);
		expect(roundedSum(values)).toBe(1 + 2 ** -52);
		expect(roundedSum([values[2]!, values[0]!, values[1]!])).toBe(1 + 2 ** -52);
	});

	it('round a sum exactly half way between two doubles to the even one', () => {
		// 1 + 2^-53 is half way between 1 (even) and 1 + 2^-52 (odd).
		expect(roundedSum([1, 2 ** -53])).toBe(1);
		// Just above half way: up.
		expect(roundedSum([1, 2 ** -53, 2 ** -200])).toBe(1 + 2 ** -52);
		// 1 + 3 * 2^-53 is half way between 1 + 2^-52 (odd) and 1 + 2^-51 (even).
		expect(roundedSum([1, 2 ** -52, 2 ** -53])).toBe(1 + 2 ** -51);
		// The same ties made of many copies.
		expect(roundedSum([1], 0, 1, 2 ** 20, 2 ** -73)).toBe(1);
		expect(roundedSum([1], 0, 1, 3, 2 ** -52 / 2)).toBe(1 + 2 ** -51);
		// Below a power of two the gap down is half as wide.
		expect(exactSum([2, -(2 ** -52)], 0, 2)).toBe(2 - 2 ** -52);
		expect(exactSum([2, -(2 ** -53)], 0, 2)).toBe(2); // half way between 2 - 2^-52 and 2: to 2, the even one
		expect(exactSum([2, -(2 ** -53), -(2 ** -100)], 0, 2 + 1)).toBe(2 - 2 ** -52);
	});

	it('take a double-double built in any order, such as by lanes', () => {
		const random = lcg(13);
		for (let trial = 0; trial < 200; trial++) {
			const values = exponentials(random, 1 + Math.floor(random() * 500));
			// Four lanes, each its own (hi, lo), then the lanes added together.
			const lanes = [0, 1, 2, 3].map((lane) => {
				let hi = 0;
				let lo = 0;
				for (let i = lane; i < values.length; i += 4) {
					const s = hi + values[i]!;
					const z = s - hi;
					lo += hi - (s - z) + (values[i]! - z);
					hi = s;
				}
				return [hi, lo] as const;
			});
			let hi = 0;
			let lo = 0;
			for (const [laneHi, laneLo] of lanes) {
				const s = hi + laneHi;
				const z = s - hi;
				lo += hi - (s - z) + (laneHi - z) + laneLo;
				hi = s;
			}
			same(finishSum(hi, lo, values, 0, values.length), fsum(values), `trial ${trial}`);
		}
	});

	it('sum huge, tiny and subnormal terms exactly', () => {
		expect(roundedSum([2 ** -1074, 2 ** -1074, 2 ** -1060])).toBe(2 ** -1073 + 2 ** -1060);
		expect(roundedSum([1], 0, 1, 3, 2 ** -1074)).toBe(1);
		expect(roundedSum([2 ** -1000], 0, 1, 1000, 2 ** -1000)).toBe(1001 * 2 ** -1000);
		expect(roundedSum([2 ** 1000, 2 ** 1000])).toBe(2 ** 1001);
		expect(roundedSum([2 ** 1023, 2 ** 1023])).toBe(Infinity);
		expect(roundedSum([Number.MAX_VALUE, 2 ** 970])).toBe(Infinity); // half an ulp above the largest double
		expect(roundedSum([Number.MAX_VALUE, 2 ** 969])).toBe(Number.MAX_VALUE);
		expect(roundedSum([])).toBe(0);
		expect(roundedSum([0, 0], 0, 2, 5, 0)).toBe(0);
	});

	it('give what plain additions give for NaN and infinities', () => {
		expect(roundedSum([1, NaN, 2])).toBeNaN();
		expect(roundedSum([1, Infinity])).toBe(Infinity);
		expect(roundedSum([1, 2], 0, 2, 3, NaN)).toBeNaN();
		expect(roundedSum([1, 2], 0, 2, 0, NaN)).toBe(3); // no copies: the term is never added
		expect(exactSum([Infinity, -Infinity], 0, 2)).toBeNaN();
		expect(exactSum([-Infinity, 1], 0, 2)).toBe(-Infinity);
	});

	it('count only values[from..to)', () => {
		expect(roundedSum([100, 1, 2, 100], 1, 3)).toBe(3);
		expect(roundedSum([100, 1, 2, 100], 1, 3, 2, 0.5)).toBe(4);
	});
});
