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

// Exact powers of two 2^-1074 .. 2^1023, by index k + 1074.
const POW2 = new Float64Array(2099); // the last entry, 2^1024, is Infinity
POW2[0] = 2 ** -1074;
for (let k = 1; k < POW2.length; k++) POW2[k] = POW2[k - 1]! * 2;

const bits = new DataView(new ArrayBuffer(8));

/** The exponent field (0 for zero and subnormals) of a finite positive double. */
function exponentField(x: number): number {
	bits.setFloat64(0, x);
	return (bits.getUint16(0) >> 4) & 0x7ff;
}

/** Runs of at most this many additions are cheaper as a plain loop. */
const SHORT_RUN = 4;

/**
 * The result of `for (let i = 0; i < count; i++) sum += term;` for
 * sum >= 0 and term >= 0 (as in a softmax denominator), bit for bit.
 */
export function addRepeated(sum: number, term: number, count: number): number {
	if (count <= SHORT_RUN) {
		for (let i = 0; i < count; i++) sum += term;
		return sum;
	}
	if (term === 0) return sum + 0;
	if (!Number.isFinite(sum) || !Number.isFinite(term)) return sum + term; // Inf and NaN absorb further additions
	let left = count;
	while (left > 0) {
		if (sum < term || sum === 0) {
			// The result leaves the binade of sum at once: one real addition.
			sum += term;
			left--;
			continue;
		}
		const field = exponentField(sum);
		// ulp of the binade and its upper end; field 0 and 1 share the subnormal grid.
		const ulp = POW2[Math.max(field, 1) - 1]!;
		const top = POW2[Math.max(field, 1) + 52]!;
		const q = term / ulp; // exact: division by a power of two
		const whole = Math.floor(q);
		const frac = q - whole;
		let step: number;
		if (frac === 0.5) {
			// A tie: one real addition leaves the sum's last bit even; after that
			// each addition moves by the even neighbour of whole + 0.5.
			sum += term;
			left--;
			if (left === 0 || sum >= top) continue;
			step = whole % 2 === 0 ? whole : whole + 1;
		} else {
			step = frac > 0.5 ? whole + 1 : whole;
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
