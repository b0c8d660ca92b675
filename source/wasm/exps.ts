// AssemblyScript: the column passes of a training step on wide rows, two
// lanes at a time (SIMD): the exponentials, their sum, the update.
// Built by scripts/build-wasm.mjs into source/core/exps-wasm.ts.
//
// exps(input, output, count, max) writes exp(input[i] - max) for i < count,
// by exactly the operations of exp() in source/core/exp.ts, lane by lane
// (WebAssembly has no fused multiply-add and keeps IEEE rounding, so the
// results are the same bits), except its last element when count is odd.
// It returns how many it wrote, or 0 when some argument is one exp() treats
// as an edge (|x| >= 708, or NaN): then the caller does the whole row.
//
// Memory, imported and shared between threads, filled by the caller: the
// table 2^(j/512) as head [0, 4096) and tail [4096, 8192), then the
// constants below as doubles from 8192 (loaded once a call, so they stay in
// registers: constants written inline are rebuilt on every use); then,
// placed by the caller, each thread's scratch and the model's weights.
//
// k = round(x * N / ln 2) is read from the bits of x * N / ln 2 + ROUND,
// whose low 32 bits hold it, and 2^(k >> 9) is built from its bits 9..20
// as an exponent field (exact for |x| < 708, like exp.ts's table of powers).

const TAIL: usize = 4096;
const CONSTANTS: usize = 8192;
// The order of the doubles at CONSTANTS (exp-kernel.ts writes them).
const N_OVER_LN2 = 0;
const ROUND = 1;
const LN2_OVER_N_HIGH = 2;
const LN2_OVER_N_LOW = 3;
const C4 = 4;
const C3 = 5;
const HALF = 6;
const ONE = 7;
const EDGE = 8;
const EXPONENT_BIAS = 9; // 1023 << 52, as bits
const TWO = 10; // the integer 2, as bits

// @ts-ignore: decorator
@inline
function constant(index: i32): v128 {
	return v128.load64_splat(CONSTANTS + (<usize>index << 3));
}

export function exps(input: usize, output: usize, count: i32, max: f64): i32 {
	const m = f64x2.splat(max);
	const nOverLn2 = constant(N_OVER_LN2);
	const round = constant(ROUND);
	const ln2High = constant(LN2_OVER_N_HIGH);
	const ln2Low = constant(LN2_OVER_N_LOW);
	const c4 = constant(C4);
	const c3 = constant(C3);
	const half = constant(HALF);
	const one = constant(ONE);
	const edge = constant(EDGE);
	const bias = constant(EXPONENT_BIAS);
	let inside = i64x2.splat(-1);
	let i = 0;
	for (; i + 2 <= count; i += 2) {
		const x = f64x2.sub(v128.load(input + (<usize>i << 3)), m);
		inside = v128.and(inside, f64x2.lt(f64x2.abs(x), edge));
		const t = f64x2.add(f64x2.mul(x, nOverLn2), round);
		const kd = f64x2.sub(t, round);
		const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kd, ln2High)), f64x2.mul(kd, ln2Low));
		const j0 = <usize>(i32x4.extract_lane(t, 0) & 511) << 3;
		const j1 = <usize>(i32x4.extract_lane(t, 2) & 511) << 3;
		const head = v128.load64_lane(j1, v128.load64_zero(j0), 1);
		const tail = v128.load64_lane(TAIL + j1, v128.load64_zero(TAIL + j0), 1);
		const scale = i64x2.add(i64x2.shl(i64x2.shr_u(t, 9), 52), bias);
		const p = f64x2.mul(r, f64x2.add(one, f64x2.mul(r, f64x2.add(half, f64x2.mul(r, f64x2.add(c3, f64x2.mul(r, c4)))))));
		v128.store(output + (<usize>i << 3), f64x2.mul(scale, f64x2.add(head, f64x2.add(tail, f64x2.mul(head, p)))));
	}
	return i64x2.all_true(inside) ? i : 0;
}

// update(weights, exps, count, total, lr, target, newTarget, result) is the
// SGD step on a row whose exponentials `exps` holds and whose weights
// `weights` holds a copy of, in place, by the operations of trainStretch:
//   p = exps[i] / total;  weights[i] -= lr * p  (weights[target] = newTarget)
// It returns the first index of the largest p, and stores at `result` the
// largest new weight, as `if (w > max) max = w` finds it from -Infinity
// (up to the sign of a zero max, which changes no exp(w - max)).
export function update(weights: usize, exps: usize, count: i32, total: f64, lr: f64, target: i32, newTarget: f64, result: usize): i32 {
	const t = f64x2.splat(total);
	const l = f64x2.splat(lr);
	const targets = i64x2.splat(<i64>target);
	const newTargets = f64x2.splat(newTarget);
	const two = constant(TWO);
	let bestP = f64x2.splat(-Infinity);
	let bestI = i64x2(-1, -1);
	let index = i64x2(0, 1);
	let max = f64x2.splat(-Infinity);
	let i = 0;
	for (; i + 2 <= count; i += 2) {
		const at = <usize>i << 3;
		const p = f64x2.div(v128.load(exps + at), t);
		bestI = v128.bitselect(index, bestI, f64x2.gt(p, bestP));
		bestP = f64x2.pmax(bestP, p); // bestP < p ? p : bestP, as the select would
		const w = v128.bitselect(newTargets, f64x2.sub(v128.load(weights + at), f64x2.mul(l, p)), i64x2.eq(index, targets));
		v128.store(weights + at, w);
		max = f64x2.pmax(max, w);
		index = i64x2.add(index, two);
	}
	// Lane 0 holds the even indices, lane 1 the odd: the first index of the
	// largest p is the lane with the larger p, or on a tie the smaller index.
	let best = <i32>i64x2.extract_lane(bestI, 0);
	let p0 = f64x2.extract_lane(bestP, 0);
	const p1 = f64x2.extract_lane(bestP, 1);
	const best1 = <i32>i64x2.extract_lane(bestI, 1);
	if (p1 > p0 || (p1 == p0 && best1 >= 0 && best1 < best)) {
		p0 = p1;
		best = best1;
	}
	let m = f64x2.extract_lane(max, 0);
	const m1 = f64x2.extract_lane(max, 1);
	if (m1 > m) m = m1;
	if (i < count) {
		const at = <usize>i << 3;
		const p = load<f64>(exps + at) / total;
		if (p > p0) best = i;
		const w = i == target ? newTarget : load<f64>(weights + at) - lr * p;
		store<f64>(weights + at, w);
		if (w > m) m = w;
	}
	store<f64>(result, m);
	return best;
}

// sum(terms, count, result) adds terms[0..count), all >= 0, as the
// double-double of exact-sum.ts: each term added to a running hi by TwoSum
// (exact), its rounding error to a running lo. Two lanes and two
// accumulators a lane, so four independent chains; at the end the four his
// are added by TwoSum too and the errors and los into one lo. Stores hi at
// result and lo at result + 8. The order of the additions does not matter:
// hi + lo is the exact sum up to lo's own rounding errors, which
// exact-sum.ts bounds for any order.
export function sum(terms: usize, count: i32, result: usize): void {
	let hi0 = f64x2.splat(0.0);
	let lo0 = f64x2.splat(0.0);
	let hi1 = f64x2.splat(0.0);
	let lo1 = f64x2.splat(0.0);
	let i = 0;
	for (; i + 4 <= count; i += 4) {
		const x0 = v128.load(terms + (<usize>i << 3));
		const x1 = v128.load(terms + (<usize>i << 3), 16);
		const s0 = f64x2.add(hi0, x0);
		const s1 = f64x2.add(hi1, x1);
		const z0 = f64x2.sub(s0, hi0);
		const z1 = f64x2.sub(s1, hi1);
		lo0 = f64x2.add(lo0, f64x2.add(f64x2.sub(hi0, f64x2.sub(s0, z0)), f64x2.sub(x0, z0)));
		lo1 = f64x2.add(lo1, f64x2.add(f64x2.sub(hi1, f64x2.sub(s1, z1)), f64x2.sub(x1, z1)));
		hi0 = s0;
		hi1 = s1;
	}
	let lo = f64x2.extract_lane(lo0, 0) + f64x2.extract_lane(lo0, 1) + (f64x2.extract_lane(lo1, 0) + f64x2.extract_lane(lo1, 1));
	// The last terms, then the four his, into one (hi, lo).
	let hi = 0.0;
	for (let k = i; k < count + 4; k++) {
		let x: f64;
		if (k < count) x = load<f64>(terms + (<usize>k << 3));
		else if (k == count) x = f64x2.extract_lane(hi0, 0);
		else if (k == count + 1) x = f64x2.extract_lane(hi0, 1);
		else if (k == count + 2) x = f64x2.extract_lane(hi1, 0);
		else x = f64x2.extract_lane(hi1, 1);
		const s = hi + x;
		const z = s - hi;
		lo += hi - (s - z) + (x - z);
		hi = s;
	}
	store<f64>(result, hi);
	store<f64>(result, lo, 8);
}
