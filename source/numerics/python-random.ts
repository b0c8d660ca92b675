/**
 * CPython's `random` as far as `random.seed(S)`, `random.shuffle(x)`,
 * `random.random()` and `random.gauss(mu, sigma)` go:
 * the Mersenne Twister MT19937 seeded by init_by_array with the seed's 32-bit
 * words, and shuffle's Fisher-Yates walk from the end, each index drawn by
 * _randbelow (getrandbits of n's bit length, drawn again while it is ≥ n).
 * `--shuffle` orders the training pairs with it, so the order of every epoch
 * is the one `random.Random(S).shuffle(pairs)` gives in Python, on every
 * machine (test/numerics/python-random.test.ts holds it to values printed by
 * Python 3.11).
 */

import {log, sinCos} from './libm.js';

const N = 624;
const M = 397;
const TWO_PI = 2.0 * Math.PI;

export class PythonRandom {
	private readonly mt = new Uint32Array(N);
	private index = N + 1;
	/** gauss draws two values at a time and keeps the second for the next call. */
	private gaussNext: number | undefined;

	/** random.seed(seed) for a whole number 0 ≤ seed < 2^53. */
	constructor(seed: number) {
		if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`a seed is a whole number from 0 to 2^53 - 1, not ${seed}`);
		// The seed's 32-bit words, least significant first; 0 is one word [0].
		const key: number[] = [];
		let rest = seed;
		do {
			key.push(rest % 2 ** 32);
			rest = Math.floor(rest / 2 ** 32);
		} while (rest > 0);
		this.initByArray(key);
	}

	private initGenrand(s: number): void {
		const mt = this.mt;
		mt[0] = s >>> 0;
		for (let i = 1; i < N; i++) {
			const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
			// 1812433253 * prev + i, modulo 2^32.
			mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
		}
		this.index = N;
	}

	private initByArray(key: readonly number[]): void {
		const mt = this.mt;
		this.initGenrand(19650218);
		let i = 1;
		let j = 0;
		for (let k = Math.max(N, key.length); k > 0; k--) {
			const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
			mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
			i++;
			j++;
			if (i >= N) {
				mt[0] = mt[N - 1]!;
				i = 1;
			}
			if (j >= key.length) j = 0;
		}
		for (let k = N - 1; k > 0; k--) {
			const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
			mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
			i++;
			if (i >= N) {
				mt[0] = mt[N - 1]!;
				i = 1;
			}
		}
		mt[0] = 0x80000000;
	}

	/** The next 32 random bits (genrand_uint32). */
	nextUint32(): number {
		const mt = this.mt;
		if (this.index >= N) {
			for (let k = 0; k < N; k++) {
				const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
				mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
			}
			this.index = 0;
		}
		let y = mt[this.index++]!;
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y >>> 0;
	}

	/** random.getrandbits(k) for 0 < k ≤ 32. */
	getrandbits(k: number): number {
		return this.nextUint32() >>> (32 - k);
	}

	/** random._randbelow(n) for 1 ≤ n ≤ 2^32: getrandbits(n.bit_length()), drawn again while ≥ n. */
	randbelow(n: number): number {
		const k = 32 - Math.clz32(n);
		let r = this.getrandbits(k);
		while (r >= n) r = this.getrandbits(k);
		return r;
	}

	/** random.shuffle(x), in place. */
	shuffle<T>(x: {length: number; [i: number]: T}): void {
		for (let i = x.length - 1; i > 0; i--) {
			const j = this.randbelow(i + 1);
			const t = x[i]!;
			x[i] = x[j]!;
			x[j] = t;
		}
	}

	/** random.random(): 53 random bits, (a·2^26 + b) / 2^53 with a and b the top 27 and 26 bits of two words. */
	random(): number {
		const a = this.nextUint32() >>> 5;
		const b = this.nextUint32() >>> 6;
		return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
	}

	/**
	 * random.gauss(mu, sigma): the Box-Muller transform, which turns two
	 * uniform draws into two independent normal values; the second is kept for
	 * the next call.
	 *   x2pi = random() · 2π,  g2rad = √(−2 ln(1 − random()))
	 *   z = cos(x2pi) · g2rad,  next = sin(x2pi) · g2rad
	 * CPython takes ln, cos and sin from C's libm, which rounds them correctly
	 * (or nearly); Math.log, Math.cos and Math.sin are one ulp away in a few
	 * percent of cases, which moved 6% of the drawn weights by 1 to 3 ulps, so
	 * these come from libm.ts, correctly rounded. √ is exact in both.
	 * test/numerics/gauss.test.ts holds the values to Python's.
	 */
	gauss(mu: number, sigma: number): number {
		let z = this.gaussNext;
		this.gaussNext = undefined;
		if (z === undefined) {
			const x2pi = this.random() * TWO_PI;
			const g2rad = Math.sqrt(-2.0 * log(1.0 - this.random()));
			const {sin, cos} = sinCos(x2pi);
			z = cos * g2rad;
			this.gaussNext = sin * g2rad;
		}
		return mu + z * sigma;
	}
}
