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

/** ln x for a finite x > 0, correctly rounded. */
export function log(x: number): number {
	if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
	if (x === 1) return 0;
	// x = m·2^k with m in [√½, √2): scale by powers of two (exact).
	let k = Math.floor(Math.log2(x));
	let m = x / 2 ** k;
	while (m >= 2) (m /= 2), k++;
	while (m < 1) (m *= 2), k--;
	if (m > Math.SQRT2) (m /= 2), k++;
	// f = (m − 1)/(m + 1); m − 1 is exact here.
	const f = div([m - 1, 0], twoSum(m, 1));
	const f2 = mul(f, f);
	// atanh f = f·(1 + f²/3 + f⁴/5 + …), Horner in f².
	let sum: DD = ODD_RECIPROCALS[ODD_RECIPROCALS.length - 1]!;
	for (let i = ODD_RECIPROCALS.length - 2; i >= 0; i--) sum = add(mul(sum, f2), ODD_RECIPROCALS[i]!);
	const atanh2 = mul(mul(f, sum), [2, 0]);
	const result = add(mul(LN2, [k, 0]), atanh2);
	return result[0] + result[1];
}

/** sin and cos of r, |r| ≤ π/4, by their Taylor series in r². */
function sinCosSmall(r: DD): {sin: DD; cos: DD} {
	const r2 = mul(r, r);
	// sin r = r·Σ (−r²)^i / (2i+1)!,  cos r = Σ (−r²)^i / (2i)!
	let s: DD = [0, 0];
	let c: DD = [0, 0];
	for (let i = 15; i >= 0; i--) {
		const sign = i % 2 === 0 ? 1 : -1;
		const fs = INVERSE_FACTORIALS[2 * i + 1]!;
		const fc = INVERSE_FACTORIALS[2 * i]!;
		s = add(mul(s, r2), [sign * fs[0], sign * fs[1]]);
		c = add(mul(c, r2), [sign * fc[0], sign * fc[1]]);
	}
	return {sin: mul(s, r), cos: c};
}

/** x − j·π/2 for the nearest whole j, and j mod 4. */
function reduce(x: number): {r: DD; quadrant: number} {
	const j = Math.round(x / HALF_PI[0]);
	let r: DD = add([x, 0], neg(twoProduct(j, HALF_PI[0])));
	r = add(r, neg(twoProduct(j, HALF_PI[1])));
	r = add(r, [-j * HALF_PI[2], 0]);
	return {r, quadrant: ((j % 4) + 4) % 4};
}

/** sin x and cos x, correctly rounded, for |x| ≤ 2^20 (random.gauss asks for 0 ≤ x < 2π). */
export function sinCos(x: number): {sin: number; cos: number} {
	if (!Number.isFinite(x) || Math.abs(x) > 2 ** 20) return {sin: Math.sin(x), cos: Math.cos(x)};
	if (x === 0) return {sin: x, cos: 1};
	const {r, quadrant} = reduce(x);
	const {sin, cos} = sinCosSmall(r);
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
