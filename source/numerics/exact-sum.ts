/**
 * Correctly rounded sums: the exact sum of some doubles, rounded once to the
 * nearest double (ties to even), as Python's math.fsum returns it.
 *
 * Why: a softmax divides by the sum of its V exponentials. A plain loop's
 * result depends on the order of its additions; the correctly rounded sum
 * does not. So a sparse row, whose never-seen columns all hold one shared
 * term, adds them as one exact product (copies * term) instead of V - k
 * additions in column order, the WebAssembly kernel adds two lanes at a
 * time, and a plain full-table trainer gets the same bits by summing its V
 * columns in any order.
 *
 * How: the terms are added as a double-double (hi, lo): each addition to hi
 * by TwoSum, which is exact, its rounding error added to lo. hi + lo then
 * holds the exact sum up to lo's own rounding errors, which are far below
 * an ulp of the result, and a bound on them decides whether rounding hi + lo
 * is certainly the correctly rounded sum. When the sum lies too close to a
 * half-way point between two doubles to tell (in practice: exactly on one),
 * the sum is recomputed exactly in integers (BigInt).
 *
 * The fast path needs terms >= 0, as exponentials are; exactSum takes any.
 */
import {POW2} from './exp.js';

const double = new Float64Array(1);
const words = new Uint32Array(double.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the high word's index on this machine
const LOW = 1 - HIGH;

/** Veltkamp's splitting constant, 2^27 + 1. */
const SPLIT = 134217729;
/** Terms outside [SMALLEST, LARGEST] go to the exact sum (their products could leave the normal range). */
const SMALLEST = 2 ** -900;
const LARGEST = 2 ** 900;
/** Additions to lo the callers may make beyond one a term (products, lanes). */
const SLACK = 32;
const TWO_TO_MINUS_105 = 2 ** -105;

/**
 * The correctly rounded value of (hi + lo) + copies * term, where hi and lo
 * came from adding values[from..to), all >= 0, by TwoSum into hi and the
 * errors into lo (in any order and any number of lanes, with at most SLACK
 * additions to lo beyond one a term). copies is a whole number >= 0 and
 * term >= 0. When the double-double cannot decide the rounding, the values
 * are summed again exactly.
 */
export function finishSum(
	hi: number,
	lo: number,
	values: ArrayLike<number>,
	from: number,
	to: number,
	copies = 0,
	term = 0,
): number {
	if (copies > 0 && term !== 0) {
		if (!(term >= SMALLEST && term <= LARGEST) || copies > Number.MAX_SAFE_INTEGER) return exactSum(values, from, to, copies, term);
		// copies * term = product + error exactly (Dekker's TwoProduct).
		const product = copies * term;
		const t = SPLIT * term;
		const termHigh = t - (t - term);
		const termLow = term - termHigh;
		const c = SPLIT * copies;
		const copiesHigh = c - (c - copies);
		const copiesLow = copies - copiesHigh;
		const error = copiesHigh * termHigh - product + copiesHigh * termLow + copiesLow * termHigh + copiesLow * termLow;
		const s = hi + product;
		const z = s - hi;
		lo += hi - (s - z) + (product - z) + error;
		hi = s;
	}
	// hi + lo = rounded + residual, exactly (TwoSum).
	const rounded = hi + lo;
	const z = rounded - hi;
	const residual = hi - (rounded - z) + (lo - z);
	double[0] = rounded;
	const high = words[HIGH]!;
	const field = (high >>> 20) & 0x7ff;
	// Positive, finite and normal (as a softmax denominator, at least 1, is).
	if (high >>> 31 === 0 && field > 1 && field < 0x7ff) {
		// The exact sum is rounded + residual + d, |d| <= bound (lo's errors).
		const n = to - from + SLACK;
		const bound = n * n * TWO_TO_MINUS_105 * rounded;
		const halfUlp = POW2[field - 2]!; // half the gap to the next double up
		// The gap down is half as wide at a power of two.
		const halfGapDown = (high & 0xfffff) === 0 && words[LOW] === 0 ? halfUlp / 2 : halfUlp;
		if (residual + bound < halfUlp && residual - bound > -halfGapDown) return rounded;
	}
	return exactSum(values, from, to, copies, term);
}

/** The correctly rounded sum of values[from..to) (all >= 0 for the fast path) plus copies * term. */
export function roundedSum(values: ArrayLike<number>, from = 0, to = values.length, copies = 0, term = 0): number {
	let hi = 0;
	let lo = 0;
	for (let i = from; i < to; i++) {
		const x = values[i]!;
		const s = hi + x;
		const z = s - hi;
		lo += hi - (s - z) + (x - z);
		hi = s;
	}
	return finishSum(hi, lo, values, from, to, copies, term);
}

/** A finite double times 2^1074: an integer. */
function scaled(x: number): bigint {
	double[0] = x;
	const high = words[HIGH]!;
	const field = (high >>> 20) & 0x7ff;
	const fraction = BigInt((high & 0xfffff) * 2 ** 32 + words[LOW]!);
	const magnitude = field === 0 ? fraction : (fraction + (1n << 52n)) << BigInt(field - 1);
	return high >>> 31 ? -magnitude : magnitude;
}

/** The double nearest to m * 2^-1074 (ties to even). */
function fromScaled(m: bigint): number {
	const negative = m < 0n;
	const magnitude = negative ? -m : m;
	const bits = magnitude.toString(2).length;
	let value: number;
	if (bits <= 53) {
		value = Number(magnitude) * 2 ** -1074; // exact: a multiple of the smallest subnormal below 2^-1021
	} else {
		const shift = bits - 53;
		let q = magnitude >> BigInt(shift);
		const rest = magnitude - (q << BigInt(shift));
		const half = 1n << BigInt(shift - 1);
		if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
		// q <= 2^53 and the result is normal: scaling by powers of two is
		// exact (or overflows to Infinity), in two halves to keep each in range.
		const k = shift - 1074;
		const half1 = Math.floor(k / 2);
		value = Number(q) * 2 ** half1 * 2 ** (k - half1);
	}
	return negative ? -value : value;
}

/**
 * The correctly rounded sum of values[from..to) plus copies * term, computed
 * exactly in integers; any signs. Infinities and NaN give what any order of
 * plain additions gives.
 */
export function exactSum(values: ArrayLike<number>, from: number, to: number, copies = 0, term = 0): number {
	let special = 0; // the sum of the non-finite values, as plain additions give it
	let sum = 0n;
	const add = (x: number, times: bigint) => {
		if (Number.isFinite(x)) sum += times * scaled(x);
		else special += x;
	};
	for (let i = from; i < to; i++) add(values[i]!, 1n);
	if (copies > 0) add(term, BigInt(copies));
	if (special !== 0 || Number.isNaN(special)) return special;
	return sum === 0n ? 0 : fromScaled(sum);
}
