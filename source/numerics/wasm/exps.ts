// AssemblyScript: the column passes of a training step on wide rows, two
// lanes at a time (SIMD): the exponentials, their sum, the update; and
// (train, at the end) whole training steps of small models.
// Built by scripts/build-wasm.mjs into source/numerics/exps-wasm.ts.
//
// exps(input, output, count, max) writes exp(input[i] - max) for i < count,
// by exactly the operations of exp() in source/numerics/exp.ts, lane by lane
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

// train(...) trains pairs from..to of a small model, one SGD step each, by
// exactly the operations of trainStretch (source/models/table/train.ts) on its
// narrow rows: exp() of exp.ts written out, the softmax sum finished as
// exact-sum.ts's finishSum does, the update, the row's new max and the
// prediction. It stores each pair's p[target] (before its step) at
// probs[i - from], for the caller to take the loss of (-ln, in JavaScript,
// as trainStretch does), and the number of correct predictions at result.
// It returns the index of the first pair it did not train: `to`, or a pair
// that needs what only JavaScript does (an exponential at an edge of exp(),
// or a shared term outside the range finishSum splits exactly), which it
// leaves untouched for the caller to train. A sum the double-double cannot
// round is summed exactly by fsum, as exact-sum.ts's exactSum would: both
// give the correctly rounded sum.
//
// Arrays (addresses): pairRow, pairColumn, colStart, cols (i32); weights,
// shared, rowMax (f64); exps and partials, scratch for a row's exponentials
// (and two more terms) and for fsum.
// Powers of two from their exponent fields.
const SMALLEST: f64 = reinterpret<f64>(<u64>(1023 - 900) << 52); // 2^-900: finishSum's range for the shared term
const LARGEST: f64 = reinterpret<f64>(<u64>(1023 + 900) << 52); // 2^900
const TWO_TO_MINUS_105: f64 = reinterpret<f64>(<u64>(1023 - 105) << 52);
const SPLIT: f64 = 134217729.0; // 2^27 + 1
const SLACK: f64 = 32.0;

// @ts-ignore: decorator
@inline
function constantF(index: i32): f64 {
	return load<f64>(CONSTANTS + (<usize>index << 3));
}

// exp(x) for -708 < x <= 0 as exp.ts computes it (scaled() times 2^binade).
// @ts-ignore: decorator
@inline
function expInside(x: f64): f64 {
	const kd = x * constantF(N_OVER_LN2) + constantF(ROUND) - constantF(ROUND);
	const r = x - kd * constantF(LN2_OVER_N_HIGH) - kd * constantF(LN2_OVER_N_LOW);
	const k = <i32>kd;
	const j = <usize>(k & 511) << 3;
	const head = load<f64>(j);
	const p = r * (constantF(ONE) + r * (constantF(HALF) + r * (constantF(C3) + r * constantF(C4))));
	const scale = reinterpret<f64>(<i64>((k >> 9) + 1023) << 52);
	return scale * (head + (load<f64>(TAIL + j) + head * p));
}

// The correctly rounded sum of terms[0..count), all finite (Python's
// math.fsum: Shewchuk's exact partials, then rounding them half to even),
// using partials[0..count) as scratch. For sums the double-double cannot
// round: in practice sums exactly half-way between two doubles, which a
// row's never-seen columns (copies * term, a few bits longer than a double)
// make common.
export function fsum(terms: usize, count: i32, partials: usize): f64 {
	let used = 0;
	for (let k = 0; k < count; k++) {
		let x = load<f64>(terms + (<usize>k << 3));
		let kept = 0;
		for (let m = 0; m < used; m++) {
			let y = load<f64>(partials + (<usize>m << 3));
			if (Math.abs(x) < Math.abs(y)) {
				const swap = x;
				x = y;
				y = swap;
			}
			const hi = x + y;
			const lo = y - (hi - x);
			if (lo != 0) {
				store<f64>(partials + (<usize>kept << 3), lo);
				kept++;
			}
			x = hi;
		}
		store<f64>(partials + (<usize>kept << 3), x);
		used = kept + 1;
	}
	if (used == 0) return 0;
	let n = used - 1;
	let hi = load<f64>(partials + (<usize>n << 3));
	let lo = 0.0;
	while (n > 0) {
		const x = hi;
		n--;
		const y = load<f64>(partials + (<usize>n << 3));
		hi = x + y;
		const yr = hi - x;
		lo = y - yr;
		if (lo != 0) break;
	}
	// Half-way cases: the partials below decide the direction.
	if (n > 0) {
		const below = load<f64>(partials + (<usize>(n - 1) << 3));
		if ((lo < 0 && below < 0) || (lo > 0 && below > 0)) {
			const y = lo * 2;
			const x = hi + y;
			const yr = x - hi;
			if (y == yr) hi = x;
		}
	}
	return hi;
}

export function train(
	pairRow: usize,
	pairColumn: usize,
	colStart: usize,
	cols: usize,
	weights: usize,
	shared: usize,
	rowMax: usize,
	exps: usize,
	partials: usize,
	probs: usize,
	V: i32,
	lr: f64,
	from: i32,
	to: i32,
	result: usize,
): i32 {
	let correct = 0;
	let i = from;
	for (; i < to; i++) {
		const row = load<i32>(pairRow + (<usize>i << 2));
		const start = load<i32>(colStart + (<usize>row << 2));
		const end = load<i32>(colStart + (<usize>(row + 1) << 2));
		const targetAt = load<i32>(pairColumn + (<usize>i << 2));
		const s = load<f64>(shared + (<usize>row << 3));
		const count = end - start;
		const hasShared = count < V;
		const max = load<f64>(rowMax + (<usize>row << 3));

		// The softmax terms (sparseSoftmaxTerms): edges go to the caller.
		let sharedExp = 0.0;
		if (hasShared) {
			const x = s - max;
			if (!(x > -708.0 && x < 709.0)) break;
			sharedExp = expInside(x);
		}
		let hi = 0.0;
		let lo = 0.0;
		let edge = false;
		for (let e = start; e < end; e++) {
			const x = load<f64>(weights + (<usize>e << 3)) - max;
			if (!(x > -708.0 && x < 709.0)) {
				edge = true;
				break;
			}
			const y = expInside(x);
			store<f64>(exps + (<usize>(e - start) << 3), y);
			const sum = hi + y;
			const z = sum - hi;
			lo += hi - (sum - z) + (y - z);
			hi = sum;
		}
		if (edge) break;

		// finishSum(hi, lo, exps, 0, count, V - count, sharedExp).
		const copies = <f64>(V - count);
		let terms = count;
		if (copies > 0 && sharedExp != 0) {
			if (!(sharedExp >= SMALLEST && sharedExp <= LARGEST)) break;
			const product = copies * sharedExp;
			const t = SPLIT * sharedExp;
			const termHigh = t - (t - sharedExp);
			const termLow = sharedExp - termHigh;
			const c = SPLIT * copies;
			const copiesHigh = c - (c - copies);
			const copiesLow = copies - copiesHigh;
			const error = copiesHigh * termHigh - product + copiesHigh * termLow + copiesLow * termHigh + copiesLow * termLow;
			const sum = hi + product;
			const z = sum - hi;
			lo += hi - (sum - z) + (product - z) + error;
			hi = sum;
			// copies * term, exactly, as two more terms for fsum below.
			store<f64>(exps + (<usize>count << 3), product);
			store<f64>(exps + (<usize>(count + 1) << 3), error);
			terms += 2;
		}
		const rounded = hi + lo;
		const zr = rounded - hi;
		const residual = hi - (rounded - zr) + (lo - zr);
		const bits = reinterpret<u64>(rounded);
		const high = <u32>(bits >> 32);
		const field = <i32>((high >> 20) & 0x7ff);
		// Positive, finite, and with half an ulp a normal double (a softmax sum is at least 1).
		if (high >> 31 != 0 || field <= 53 || field >= 0x7ff) break;
		const n = <f64>count + SLACK;
		const bound = n * n * TWO_TO_MINUS_105 * rounded;
		const halfUlp = reinterpret<f64>(<u64>(field - 53) << 52);
		const halfGapDown = (bits & 0xfffffffffffff) == 0 ? halfUlp / 2 : halfUlp;
		const total = residual + bound < halfUlp && residual - bound > -halfGapDown ? rounded : fsum(exps, terms, partials);

		// The step, as trainStretch takes it.
		const pTarget = load<f64>(exps + (<usize>(targetAt - start) << 3)) / total;
		store<f64>(probs + (<usize>(i - from) << 3), pTarget);
		const sharedP = sharedExp / total;
		const newShared = s - lr * sharedP;
		const newTarget = load<f64>(weights + (<usize>targetAt << 3)) - lr * (pTarget - 1);
		let best = -1;
		let bestP = -Infinity;
		let newMax = hasShared ? newShared : -Infinity;
		for (let e = start; e < end; e++) {
			const p = load<f64>(exps + (<usize>(e - start) << 3)) / total;
			if (p > bestP) {
				bestP = p;
				best = e;
			}
			const w = e == targetAt ? newTarget : load<f64>(weights + (<usize>e << 3)) - lr * p;
			store<f64>(weights + (<usize>e << 3), w);
			if (w > newMax) newMax = w;
		}
		store<f64>(shared + (<usize>row << 3), newShared);
		store<f64>(rowMax + (<usize>row << 3), newMax);

		// The prediction: the shared columns' lowest id is the first missing from the explicit ones.
		let predicted = load<i32>(cols + (<usize>best << 2));
		if (hasShared && sharedP >= bestP) {
			let firstShared = 0;
			for (let e = start; e < end && load<i32>(cols + (<usize>e << 2)) == firstShared; e++) firstShared++;
			if (sharedP > bestP || firstShared < predicted) predicted = firstShared;
		}
		if (predicted == load<i32>(cols + (<usize>targetAt << 2))) correct++;
	}
	store<i32>(result, correct);
	return i;
}
