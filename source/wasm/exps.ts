// AssemblyScript: the column passes of a training step on wide rows, two
// lanes at a time (SIMD).
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
// placed by the caller, each thread's scratch and the model's columns and
// weights.

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

// sum(cols, terms, from, count, state) goes on with a softmax denominator in
// column order, as the hot loop of columnOrderSum in repeated-sum.ts does,
// for columns from..count: column cols[i] holds terms[i], the columns between
// hold the shared term, whose runs add (run length) * unit while the result
// stays below high. state holds [total, next, unit, high]; total and next are
// written back. Returns the first column whose run leaves the window (count
// when none does). The four bytes before cols[from] must be readable.
//
// Blocks of BLOCK columns are added out of order when that cannot change a
// bit. Inside the window [high / 2, high) every sum is a multiple of its ulp
// u, so sum + x rounds to sum + y, y = x rounded to a multiple of u (unless
// x is a tie, exactly half way), as long as the result stays below high;
// (x + high/2) - high/2 computes y for x < high/2, and for a larger x the
// block ends at or above high anyway. A block's increments run * unit + y
// are then multiples of u whose sum is exact in any order: they are added
// two lanes and two accumulators at a time, and the block counts only when
// it has no tie and ends below high (the increments are >= 0, so no partial
// sum got there first). Otherwise the block is added one column at a time.
const BLOCK = 16;

export function sum(cols: usize, terms: usize, from: i32, count: i32, state: usize): i32 {
	let total = load<f64>(state);
	let next = <i32>load<f64>(state, 8);
	const unit = load<f64>(state, 16);
	const high = load<f64>(state, 24);
	const low = f64x2.splat(high * 0.5);
	const halfUlp = f64x2.splat(high * 0.5 * 1.1102230246251565e-16); // u / 2 = low * 2^-53
	const units = f64x2.splat(unit);
	const ones = i32x4.splat(1);
	let i = from;
	while (i < count) {
		while (i + BLOCK <= count) {
			let acc0 = f64x2.splat(0.0);
			let acc1 = f64x2.splat(0.0);
			let tie = i32x4.splat(0);
			// The column before each: cols[j - 1], and for the block's first, next - 1.
			let before = i32x4.replace_lane(v128.load(cols + (<usize>i << 2) - 4), 0, next - 1);
			for (let j = i; j < i + BLOCK; j += 4) {
				const at = cols + (<usize>j << 2);
				if (j > i) before = v128.load(at - 4);
				const runs = i32x4.sub(i32x4.sub(v128.load(at), before), ones);
				const runs01 = f64x2.convert_low_i32x4_s(runs);
				const runs23 = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(runs, runs, 2, 3, 0, 1));
				const x01 = v128.load(terms + (<usize>j << 3));
				const x23 = v128.load(terms + (<usize>j << 3), 16);
				const y01 = f64x2.sub(f64x2.add(x01, low), low);
				const y23 = f64x2.sub(f64x2.add(x23, low), low);
				tie = v128.or(tie, v128.or(f64x2.eq(f64x2.abs(f64x2.sub(y01, x01)), halfUlp), f64x2.eq(f64x2.abs(f64x2.sub(y23, x23)), halfUlp)));
				acc0 = f64x2.add(acc0, f64x2.add(f64x2.mul(runs01, units), y01));
				acc1 = f64x2.add(acc1, f64x2.add(f64x2.mul(runs23, units), y23));
			}
			const d = f64x2.add(acc0, acc1);
			const s = total + (f64x2.extract_lane(d, 0) + f64x2.extract_lane(d, 1));
			if (v128.any_true(tie) || !(s < high)) break;
			total = s;
			i += BLOCK;
			next = load<i32>(cols + (<usize>(i - 1) << 2)) + 1;
		}
		// One column at a time, for a block's worth, or until the window ends.
		const stop = min(i + BLOCK, count);
		for (; i < stop; i++) {
			const col = load<i32>(cols + (<usize>i << 2));
			const s = total + <f64>(col - next) * unit;
			if (!(s < high)) {
				store<f64>(state, total);
				store<f64>(state, <f64>next, 8);
				return i;
			}
			total = s + load<f64>(terms + (<usize>i << 3));
			next = col + 1;
		}
	}
	store<f64>(state, total);
	store<f64>(state, <f64>next, 8);
	return i;
}
