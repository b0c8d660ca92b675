// AssemblyScript: the column passes of a training step on wide rows, two
// lanes at a time (SIMD): the exponentials, their sum, the update.
// Built by scripts/build-wasm.mjs into source/core/exps-wasm.ts.
//
// exps(input, output, count, max) writes exp(input[i] - max) for i < count,
// by exactly the operations of exp() in source/core/exp.ts, lane by lane
// (WebAssembly has no fused multiply-add and keeps IEEE rounding, so the
// results are the same bits). It returns how many it wrote: it stops at the
// first pair holding an argument exp() treats as an edge (below -708, or NaN)
// and at an odd last element, and the caller does the rest.
//
// Memory, imported and shared between threads, filled by the caller: the
// table 2^(j/512) as head [0, 4096) and tail [4096, 8192), the powers of two
// 2^-1074..2^1024 (the last one Infinity) at [8192, 8192 + 8 * 2099); then,
// placed by the caller, each thread's scratch and the model's weights.

const N_OVER_LN2: f64 = 738.6598609351493;
const LN2_OVER_N_HIGH: f64 = 0.001353803086658445;
const LN2_OVER_N_LOW: f64 = 3.7269822837316166e-13;
const ROUND: f64 = 6755399441055744.0;
const C3: f64 = 1.0 / 6.0;
const C4: f64 = 1.0 / 24.0;
const TAIL: usize = 4096;
const POW2: usize = 8192;

export function exps(input: usize, output: usize, count: i32, max: f64): i32 {
	const m = f64x2.splat(max);
	let i = 0;
	for (; i + 2 <= count; i += 2) {
		const x = f64x2.sub(v128.load(input + (<usize>i << 3)), m);
		if (v128.any_true(v128.not(f64x2.gt(x, f64x2.splat(-708.0))))) return i;
		const kd = f64x2.sub(f64x2.add(f64x2.mul(x, f64x2.splat(N_OVER_LN2)), f64x2.splat(ROUND)), f64x2.splat(ROUND));
		const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kd, f64x2.splat(LN2_OVER_N_HIGH))), f64x2.mul(kd, f64x2.splat(LN2_OVER_N_LOW)));
		const k = i32x4.trunc_sat_f64x2_s_zero(kd);
		const k0 = i32x4.extract_lane(k, 0);
		const k1 = i32x4.extract_lane(k, 1);
		const j0 = <usize>(k0 & 511) << 3;
		const j1 = <usize>(k1 & 511) << 3;
		const head = f64x2.replace_lane(f64x2.splat(load<f64>(j0)), 1, load<f64>(j1));
		const tail = f64x2.replace_lane(f64x2.splat(load<f64>(TAIL + j0)), 1, load<f64>(TAIL + j1));
		const scale = f64x2.replace_lane(
			f64x2.splat(load<f64>(POW2 + (<usize>((k0 >> 9) + 1074) << 3))),
			1,
			load<f64>(POW2 + (<usize>((k1 >> 9) + 1074) << 3)),
		);
		const one = f64x2.splat(1.0);
		const p = f64x2.mul(r, f64x2.add(one, f64x2.mul(r, f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.add(f64x2.splat(C3), f64x2.mul(r, f64x2.splat(C4))))))));
		v128.store(output + (<usize>i << 3), f64x2.mul(scale, f64x2.add(head, f64x2.add(tail, f64x2.mul(head, p)))));
	}
	return i;
}

// update(weights, exps, count, total, lr, target, newTarget, result) is the
// SGD step on a row whose exponentials `exps` holds and whose weights
// `weights` holds a copy of, in place, by the operations of trainStretch:
//   p = exps[i] / total;  weights[i] -= lr * p  (weights[target] = newTarget)
// It returns the first index of the largest p, and stores at `result` the
// largest new weight, as `if (w > max) max = w` finds it from -Infinity.
export function update(weights: usize, exps: usize, count: i32, total: f64, lr: f64, target: i32, newTarget: f64, result: usize): i32 {
	const t = f64x2.splat(total);
	const l = f64x2.splat(lr);
	let bestP = f64x2.splat(-Infinity);
	let bestI = i64x2(-1, -1);
	let index = i64x2(0, 1);
	const two = i64x2.splat(2);
	let i = 0;
	for (; i + 2 <= count; i += 2) {
		const at = <usize>i << 3;
		const p = f64x2.div(v128.load(exps + at), t);
		const larger = f64x2.gt(p, bestP);
		bestP = v128.bitselect(p, bestP, larger);
		bestI = v128.bitselect(index, bestI, larger);
		v128.store(weights + at, f64x2.sub(v128.load(weights + at), f64x2.mul(l, p)));
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
	if (i < count) {
		const at = <usize>i << 3;
		const p = load<f64>(exps + at) / total;
		if (p > p0) best = i;
		store<f64>(weights + at, load<f64>(weights + at) - lr * p);
	}
	store<f64>(weights + (<usize>target << 3), newTarget);
	let max = f64x2.splat(-Infinity);
	i = 0;
	for (; i + 2 <= count; i += 2) max = f64x2.pmax(max, v128.load(weights + (<usize>i << 3)));
	let m = f64x2.extract_lane(max, 0);
	const m1 = f64x2.extract_lane(max, 1);
	if (m1 > m) m = m1;
	if (i < count) {
		const w = load<f64>(weights + (<usize>i << 3));
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
