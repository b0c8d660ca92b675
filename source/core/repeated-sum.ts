/**
 * Adding the same number many times, exactly as a loop of floating-point
 * additions would, without running the loop.
 *
 * Why: the softmax of a row sums exp(w[j] - max) over every column j in order.
 * In a row held sparsely, the columns that were never a target all share one
 * value, so the sum meets runs of one repeated term between the explicit
 * columns. Summing `count * term` would round differently from the plain
 * loop; this reproduces the loop bit for bit in a handful of operations a run.
 *
 * How: while the running sum s stays within one binade [2^e, 2^(e+1)), every
 * result is a multiple of the binade's ulp u, and s + c rounds to
 * s + round(c/u)*u, the same increment every time (when c/u is exactly half
 * way, round-to-even makes the first result even and the increment constant
 * from then on). So the additions up to the binade's end are one
 * multiplication; the step that crosses into the next binade is done as a
 * real addition, and the next binade starts over. A sum of n terms crosses
 * at most log2(n) + 2 binades.
 */
import {POW2} from './exp.js';
import type {ExpKernel} from './exp-kernel.js';

const double = new Float64Array(1);
const words = new Uint32Array(double.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the high word's index on this machine

/** The exponent field (0 for zero and subnormals) of a finite positive double. */
function exponentField(x: number): number {
	double[0] = x;
	return (words[HIGH]! >>> 20) & 0x7ff;
}

/**
 * The binade the last slow call found, for its term: while a sum stays in
 * [bottom, top), adding the term `count` times adds exactly count * unit.
 * Successive runs of one softmax denominator share their term and mostly
 * their binade, so most calls take the fast path: one multiply-add.
 * [term, bottom, top, unit]; unit is NaN when the term is a tie (no fast path).
 */
const cache = new Float64Array([NaN, 0, 0, NaN]);

/**
 * The result of `for (let i = 0; i < count; i++) sum += term;` for
 * sum >= 0 and term >= 0 (as in a softmax denominator), bit for bit.
 */
export function addRepeated(sum: number, term: number, count: number): number {
	if (term === cache[0] && sum >= cache[1]!) {
		const next = sum + count * cache[3]!;
		if (next < cache[2]!) return next;
	}
	return addRepeatedSlow(sum, term, count);
}

function addRepeatedSlow(sum: number, term: number, count: number): number {
	if (term === 0) return count > 0 ? sum + 0 : sum;
	if (!Number.isFinite(sum) || !Number.isFinite(term)) return count > 0 ? sum + term : sum; // Inf and NaN absorb further additions
	let left = count;
	while (left > 0) {
		if (sum < term || sum === 0) {
			// The result leaves the binade of sum at once: one real addition.
			sum += term;
			left--;
			continue;
		}
		const field = exponentField(sum);
		// ulp of the binade and its ends; fields 0 and 1 share the subnormal grid.
		const ulp = POW2[Math.max(field, 1) - 1]!;
		const top = POW2[Math.max(field, 1) + 52]!;
		const q = term / ulp; // exact: division by a power of two
		const whole = Math.floor(q);
		const frac = q - whole;
		let step: number;
		if (frac === 0.5) {
			// A tie: one real addition leaves the sum's last bit even; after that
			// each addition moves by the even neighbour of whole + 0.5.
			cache[0] = NaN;
			sum += term;
			left--;
			if (left === 0 || sum >= top) continue;
			step = whole % 2 === 0 ? whole : whole + 1;
		} else {
			step = frac > 0.5 ? whole + 1 : whole;
			cache[0] = term;
			cache[1] = field <= 1 ? 0 : top / 2;
			cache[2] = top;
			cache[3] = step * ulp;
		}
		if (step === 0) return sum; // term is below half an ulp: the sum no longer moves
		// Additions that keep the sum strictly below `top`, each adding step*ulp exactly.
		const room = (top - sum) / ulp - 1; // exact integer
		let n = Math.floor(room / step);
		if (n * step > room) n--;
		else if ((n + 1) * step <= room) n++;
		if (n > left) n = left;
		sum += n * step * ulp;
		left -= n;
		if (left > 0) {
			sum += term; // crosses into the next binade
			left--;
		}
	}
	return sum;
}

const TWO_TO_52 = 2 ** 52;
const TWO_TO_MINUS_52 = 2 ** -52;
/** Below this a term may meet subnormal sums; such rows go through addRepeated. */
const SMALLEST_FAST_TERM = 2 ** -1000;

/**
 * The sum, in column order, of V terms: column cols[e] (for e in start..end,
 * ascending) holds terms[e - start], every other column holds `term`. Bit
 * for bit the plain loop `for (j = 0; j < V; j++) total += column j`, for
 * terms in [0, 1] (softmax numerators) and term in [0, 1].
 *
 * The runs of `term` between explicit columns use the rule of addRepeated,
 * written out here without calls or memory traffic for a softmax's hot loop:
 * the window [low, high) is the binade of the running sum, `unit` what one
 * addition of `term` adds there (NaN when unknown or a tie). The sum only
 * grows, so the binade is found by doubling from the term's own binade.
 */
export function columnOrderSum(
	V: number,
	cols: Int32Array,
	start: number,
	end: number,
	terms: Float64Array,
	term: number,
	/** When given, holds this row (after fill) and runs the hot loop. */
	kernel?: ExpKernel,
): number {
	if (!(term >= SMALLEST_FAST_TERM) || !(term <= 1)) return columnOrderSumSlow(V, cols, start, end, terms, term);
	let total = 0;
	let next = 0;
	let low = POW2[exponentField(term) + 51]!; // the binade of term: [low, 2 low)
	let high = low + low;
	let inverseLow = 1 / low; // exact: low is a power of two
	let unit = NaN;
	let e = start;
	for (;;) {
		// The hot loop: no call and no branch on the data in it (the columns
		// come in no predictable pattern; an empty run adds 0 * unit). While
		// `unit` is known the sum is in [low, high), and it only grows, so the
		// window holds as long as the run's result stays below `high`. The loop
		// leaves when a run needs the window moved.
		if (kernel !== undefined) {
			const state = kernel.state;
			state[0] = total;
			state[1] = next;
			state[2] = unit;
			state[3] = high;
			e = start + kernel.sum(e - start, end - start);
			total = state[0]!;
			next = state[1]!;
		} else {
			for (; e < end; e++) {
				const col = cols[e]!;
				const sum = total + (col - next) * unit;
				if (!(sum < high)) break;
				total = sum + terms[e - start]!;
				next = col + 1;
			}
		}
		const col = e < end ? cols[e]! : V;
		let count = col - next;
		// The run, and the window for the runs after it: even an empty run
		// finds the sum's binade and unit, so the hot loop can go on.
		for (;;) {
			if (total < term) {
				if (count === 0) break;
				total += term; // leaves the binade of total at once: one real addition
				count--;
				continue;
			}
			while (total >= high) {
				low = high;
				high += high;
				inverseLow *= 0.5;
			}
			const ulp = low * TWO_TO_MINUS_52;
			const q = term * inverseLow * TWO_TO_52; // term / ulp, exact
			const whole = Math.floor(q);
			const frac = q - whole;
			let step: number;
			if (frac === 0.5) {
				// A tie: one real addition leaves the sum's last bit even; after that
				// each addition moves by the even neighbour of whole + 0.5.
				unit = NaN;
				if (count === 0) break;
				total += term;
				count--;
				if (count === 0 || total >= high) continue;
				step = whole % 2 === 0 ? whole : whole + 1;
			} else {
				step = whole + +(frac > 0.5); // no branch: which way it goes is a coin toss
				unit = step * ulp;
			}
			if (count === 0 || step === 0) break; // step 0: term is below half an ulp, the sum no longer moves
			// Additions that keep the sum strictly below `high`, each adding step*ulp exactly.
			const room = (high - total) * inverseLow * TWO_TO_52 - 1; // exact integer
			let n = Math.floor(room / step);
			if (n * step > room) n--;
			else if ((n + 1) * step <= room) n++;
			if (n > count) n = count;
			total += n * step * ulp;
			count -= n;
			if (count === 0) break;
			total += term; // crosses into the next binade
			count--;
			unit = NaN;
		}
		if (e === end) return total;
		total += terms[e - start]!;
		next = col + 1;
		e++;
	}
}

/** columnOrderSum for any term (tiny, subnormal or not finite), through addRepeated. */
function columnOrderSumSlow(V: number, cols: Int32Array, start: number, end: number, terms: Float64Array, term: number): number {
	let total = 0;
	let next = 0;
	for (let e = start; e < end; e++) {
		const col = cols[e]!;
		total = addRepeated(total, term, col - next) + terms[e - start]!;
		next = col + 1;
	}
	return addRepeated(total, term, V - next);
}
