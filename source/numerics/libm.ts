/**
 * ln, sin and cos rounded as C's libm rounds them: correctly, to the nearest
 * double (glibc is within a hair of that). Math.log, Math.sin and Math.cos
 * may be one ulp off in a few percent of cases, which is enough to change
 * the seeded initial weights of the embeddings model: CPython's
 * random.gauss calls libm's log, cos and sin (python-random.ts).
 *
 * How: the value is computed in double-double arithmetic (a number held as
 * an unevaluated sum hi + lo of two doubles, about 106 bits), then rounded
 * once. Being wrong would need the true value to lie within 2^-100 of a
 * half-way point between two doubles.
 *   ln u = k·ln 2 + 2·atanh(f),  u = m·2^k, m in [√½, √2), f = (m − 1)/(m + 1)
 *   sin, cos: x − j·π/2 with π/2 to 160 bits, then their Taylor series.
 * Only used where a few thousand values are drawn, so clarity beats speed.
 */

/** A double-double: the number hi + lo, |lo| ≤ ulp(hi)/2. */
type DD = readonly [hi: number, lo: number];

/** a + b exactly, as the rounded sum and its error (Knuth's TwoSum). */
function twoSum(a: number, b: number): DD {
	const s = a + b;
	const bb = s - a;
	return [s, a - (s - bb) + (b - bb)];
}

/** a + b exactly when |a| ≥ |b| (Dekker's FastTwoSum). */
function fastTwoSum(a: number, b: number): DD {
	const s = a + b;
	return [s, b - (s - a)];
}

/** Veltkamp's split of a into two halves of 26 bits. */
function split(a: number): DD {
	const t = 134217729 * a;
	const hi = t - (t - a);
	return [hi, a - hi];
}

/** a·b exactly, as the rounded product and its error (Dekker's TwoProduct). */
function twoProduct(a: number, b: number): DD {
	const p = a * b;
	const [ah, al] = split(a);
	const [bh, bl] = split(b);
	return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
	const [s, e] = twoSum(a[0], b[0]);
	const [t, f] = twoSum(a[1], b[1]);
	const [s2, e2] = fastTwoSum(s, e + t);
	return fastTwoSum(s2, e2 + f);
}

function neg(a: DD): DD {
	return [-a[0], -a[1]];
}

function mul(a: DD, b: DD): DD {
	const [p, e] = twoProduct(a[0], b[0]);
	return fastTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
	const q1 = a[0] / b[0];
	let r = add(a, neg(mul([q1, 0], b)));
	const q2 = r[0] / b[0];
	r = add(r, neg(mul([q2, 0], b)));
	const q3 = r[0] / b[0];
	return add(fastTwoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
/** π/2 as three doubles, 160 bits. */
const HALF_PI = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33] as const;

/** 1/(2i+1) for the atanh series, i = 0..24. */
const ODD_RECIPROCALS: DD[] = Array.from({length: 25}, (_, i) => div([1, 0], [2 * i + 1, 0]));
/** 1/k! for k = 0..31. */
const INVERSE_FACTORIALS: DD[] = [[1, 0]];
for (let k = 1; k <= 31; k++) INVERSE_FACTORIALS.push(div(INVERSE_FACTORIALS[k - 1]!, [k, 0]));

/** x = m·2^k with m in [√½, √2): the scaling by powers of two is exact. */
function reduceLog(x: number): {m: number; k: number} {
	let k = Math.floor(Math.log2(x));
	let m = x / 2 ** k;
	while (m >= 2) (m /= 2), k++;
	while (m < 1) (m *= 2), k--;
	if (m > Math.SQRT2) (m /= 2), k++;
	return {m, k};
}

/** 2·atanh(f) = ln((1 + f)/(1 − f)) = 2f·(1 + f²/3 + f⁴/5 + …), Horner in f², with `terms` terms. */
function twoAtanh(f: DD, terms: number): DD {
	const f2 = mul(f, f);
	let sum: DD = ODD_RECIPROCALS[terms - 1]!;
	for (let i = terms - 2; i >= 0; i--) sum = add(mul(sum, f2), ODD_RECIPROCALS[i]!);
	return mul(mul(f, sum), [2, 0]);
}

/** ln m for m in [√½, √2], as a double-double: 2·atanh((m − 1)/(m + 1)), m − 1 exact. */
function lnReduced(m: number): DD {
	return twoAtanh(div([m - 1, 0], twoSum(m, 1)), ODD_RECIPROCALS.length);
}

/**
 * ln x for a finite x > 0, correctly rounded, the plain way: the series of
 * ln m with 25 terms. `log` computes the same with a table and 7 terms.
 */
export function plainLog(x: number): number {
	if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
	if (x === 1) return 0;
	const {m, k} = reduceLog(x);
	const result = add(mul(LN2, [k, 0]), lnReduced(m));
	return result[0] + result[1];
}

/** The log table's step: ln c for c = 1 + j/128, j = −38 … 53 (c in [√½, √2]). */
const LOG_STEPS = 128;
const LOG_FIRST = -38;
let logTable: DD[] | undefined;

/**
 * ln x, correctly rounded: plainLog, faster. With c the nearest 1 + j/128 to
 * m, ln m = ln c + 2·atanh((m − c)/(m + c)); |(m − c)/(m + c)| ≤ 1/512, so 7
 * terms of the series reach 2^-106, and ln c comes from a table made once
 * with lnReduced. m − c is exact (c/2 ≤ m ≤ 2c). test/numerics/libm.test.ts
 * holds it to plainLog.
 */
export function log(x: number): number {
	if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
	if (x === 1) return 0;
	logTable ??= Array.from({length: 92}, (_, i) => lnReduced(1 + (i + LOG_FIRST) / LOG_STEPS));
	const {m, k} = reduceLog(x);
	const j = Math.round((m - 1) * LOG_STEPS);
	const c = 1 + j / LOG_STEPS;
	const f = div([m - c, 0], twoSum(m, c));
	const lnM = j === 0 ? twoAtanh(f, 7) : add(logTable[j - LOG_FIRST]!, twoAtanh(f, 7));
	const result = k === 0 ? lnM : add(mul(LN2, [k, 0]), lnM);
	return result[0] + result[1];
}

/** sin and cos of r, |r| ≤ π/4, by their Taylor series in r² (16 terms each). */
function sinCosSmall(r: DD): {sin: DD; cos: DD} {
	return sinCosTerms(r, 16);
}

/** sin r = r·Σ (−r²)^i / (2i+1)!,  cos r = Σ (−r²)^i / (2i)!, i < terms. */
function sinCosTerms(r: DD, terms: number): {sin: DD; cos: DD} {
	const r2 = mul(r, r);
	let s: DD = [0, 0];
	let c: DD = [0, 0];
	for (let i = terms - 1; i >= 0; i--) {
		const sign = i % 2 === 0 ? 1 : -1;
		const fs = INVERSE_FACTORIALS[2 * i + 1]!;
		const fc = INVERSE_FACTORIALS[2 * i]!;
		s = add(mul(s, r2), [sign * fs[0], sign * fs[1]]);
		c = add(mul(c, r2), [sign * fc[0], sign * fc[1]]);
	}
	return {sin: mul(s, r), cos: c};
}

/** sin x and cos x from those of r = x − j·π/2 (j mod 4 = quadrant), each rounded once. */
function byQuadrant(sin: DD, cos: DD, quadrant: number): {sin: number; cos: number} {
	const value = (v: DD, sign: number) => sign * (v[0] + v[1]);
	switch (quadrant) {
		case 0:
			return {sin: value(sin, 1), cos: value(cos, 1)};
		case 1:
			return {sin: value(cos, 1), cos: value(sin, -1)};
		case 2:
			return {sin: value(sin, -1), cos: value(cos, -1)};
		default:
			return {sin: value(cos, -1), cos: value(sin, 1)};
	}
}

/** x − j·π/2 for the nearest whole j, and j mod 4. */
function reduce(x: number): {r: DD; quadrant: number} {
	const j = Math.round(x / HALF_PI[0]);
	let r: DD = add([x, 0], neg(twoProduct(j, HALF_PI[0])));
	r = add(r, neg(twoProduct(j, HALF_PI[1])));
	r = add(r, [-j * HALF_PI[2], 0]);
	return {r, quadrant: ((j % 4) + 4) % 4};
}

/**
 * sin x and cos x, correctly rounded, for |x| ≤ 2^20 (random.gauss asks for
 * 0 ≤ x < 2π), the plain way: 16 terms of each series on the reduced
 * argument. `sinCos` computes the same with a table and 7 terms.
 */
export function plainSinCos(x: number): {sin: number; cos: number} {
	if (!Number.isFinite(x) || Math.abs(x) > 2 ** 20) return {sin: Math.sin(x), cos: Math.cos(x)};
	if (x === 0) return {sin: x, cos: 1};
	const {r, quadrant} = reduce(x);
	const {sin, cos} = sinCosSmall(r);
	return byQuadrant(sin, cos, quadrant);
}

/** The sin/cos table's step: sin c and cos c for c = i/64, i = −51 … 51 (|c| ≤ π/4 + 1/128). */
const TRIG_STEPS = 64;
const TRIG_LAST = 51;
let trigTable: Array<{sin: DD; cos: DD}> | undefined;

/**
 * sin x and cos x, correctly rounded: plainSinCos, faster. With c the nearest
 * i/64 to the reduced r and u = r − c (|u| ≤ 1/128, 7 terms of each series
 * reach 2^-106): sin r = sin c·cos u + cos c·sin u, cos r = cos c·cos u −
 * sin c·sin u, sin c and cos c from a table made once with sinCosSmall.
 * test/numerics/libm.test.ts holds it to plainSinCos.
 */
export function sinCos(x: number): {sin: number; cos: number} {
	if (!Number.isFinite(x) || Math.abs(x) > 2 ** 20) return {sin: Math.sin(x), cos: Math.cos(x)};
	if (x === 0) return {sin: x, cos: 1};
	trigTable ??= Array.from({length: 2 * TRIG_LAST + 1}, (_, k) => sinCosSmall([(k - TRIG_LAST) / TRIG_STEPS, 0]));
	const {r, quadrant} = reduce(x);
	const i = Math.round(r[0] * TRIG_STEPS);
	const u = add(r, [-i / TRIG_STEPS, 0]);
	const small = sinCosTerms(u, 7);
	let sin: DD;
	let cos: DD;
	if (i === 0) {
		sin = small.sin;
		cos = small.cos;
	} else {
		const c = trigTable[i + TRIG_LAST]!;
		sin = add(mul(c.sin, small.cos), mul(c.cos, small.sin));
		cos = add(mul(c.cos, small.cos), neg(mul(c.sin, small.sin)));
	}
	return byQuadrant(sin, cos, quadrant);
}
