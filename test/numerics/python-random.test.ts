/**
 * PythonRandom against CPython 3.11, values printed by:
 *   r = random.Random(0); x = list(range(10)); r.shuffle(x); print(x); r.shuffle(x); print(x)
 * and the like (each case below names its Python).
 */
import {describe, expect, it} from 'vitest';
import {PythonRandom} from '../../source/numerics/python-random.js';

const range = (n: number) => Array.from({length: n}, (_, i) => i);

describe('PythonRandom', () => {
	it('getrandbits as random.Random(0).getrandbits(32) ×3, then getrandbits(5)', () => {
		const r = new PythonRandom(0);
		expect([r.getrandbits(32), r.getrandbits(32), r.getrandbits(32), r.getrandbits(5)]).toEqual([3626764237, 1654615998, 3255389356, 28]);
	});

	it('shuffle as random.Random(0): range(10) shuffled twice, the second from the first', () => {
		const r = new PythonRandom(0);
		const x = range(10);
		r.shuffle(x);
		expect(x).toEqual([7, 8, 1, 5, 3, 4, 2, 0, 9, 6]);
		r.shuffle(x);
		expect(x).toEqual([6, 3, 9, 2, 7, 8, 0, 1, 5, 4]);
	});

	it('seeds of one and of two 32-bit words: Random(1) on range(20), Random(2**40 + 5) on range(12)', () => {
		const one = range(20);
		new PythonRandom(1).shuffle(one);
		expect(one).toEqual([11, 5, 17, 19, 9, 0, 16, 1, 15, 6, 10, 13, 14, 12, 7, 3, 8, 2, 18, 4]);
		const two = range(12);
		new PythonRandom(2 ** 40 + 5).shuffle(two);
		expect(two).toEqual([3, 5, 2, 9, 6, 7, 1, 10, 0, 4, 11, 8]);
	});

	it('a long shuffle: Random(123456789) on range(100000), on an Int32Array', () => {
		const x = Int32Array.from(range(100_000));
		new PythonRandom(123456789).shuffle(x);
		expect(Array.from(x.subarray(0, 5))).toEqual([91256, 17943, 74317, 14835, 56947]);
		expect(Array.from(x.subarray(-5))).toEqual([78909, 93055, 71065, 57968, 84069]);
		let weighted = 0;
		for (let i = 0; i < 1000; i++) weighted += i * x[i]!;
		expect(weighted).toBe(26236399479);
	});

	it('refuses a seed that is not a whole number from 0 to 2^53 - 1', () => {
		expect(() => new PythonRandom(-1)).toThrow(RangeError);
		expect(() => new PythonRandom(0.5)).toThrow(RangeError);
	});
});
