/**
 * The attention model's gradient against finite differences
 * (source/models/attention/gradient-check.ts), and the size of the series'
 * clipped in-place step's departure from it.
 *
 * The check: on a small corpus with a repeated token inside a context ("the
 * the cat cat sat"), init scale 0.5 (at 0.01 the W_Q and W_K gradients are
 * at most 8e-11 and 2.4e-10, measured, and would pass through the 1e-9 floor
 * whatever they were),
 * seed 3, after 5 series steps at lr 0.1 so b is not zero, for contexts 2 and
 * 3, d 4 to 6, h 3 to 5: every entry of ∂L/∂P, ∂L/∂W_Q, ∂L/∂W_K, ∂L/∂W_V,
 * ∂L/∂W_out, ∂L/∂b and the context tokens' rows of ∂L/∂E, for every pair,
 * agrees with the central difference (h = 1e-6):
 * |fd − g| ≤ 1e-6·max(|g|, |fd|) + 1e-9.
 *  - Measured: 15,076 entries over the five shapes, none failing; worst
 *    |fd − g| ≈ 1.0e-9, on an entry large enough for the relative term to
 *    cover it. The largest |g| in each group is between 0.99 (b) and 3.1
 *    (W_out), so no group passes on the floor alone; the smallest are 6.6e-7
 *    (W_Q) and 1.2e-6 (W_K).
 *
 * The check can fail: W_K's gradient scaled by 1.01 fails W_K and nothing
 * else; a backward pass that forgets the 1/√h of the attention scores fails
 * W_Q, W_K and (through them) E and P, not W_V, W_out or b; the update the
 * series' step applies at lr 0.05 fails E, P, W_Q, W_K and W_V, not W_out or b.
 *
 * The in-place gap (inPlaceGap; Δ = (θ_before − θ_after)/lr the update a
 * series step applied, g the true gradient before it):
 *  - no clipping, small corpus, init 0.5, seed 3: ‖Δ − g‖/‖g‖ over all tables
 *    is lr times 1.1 to 1.4 (mean over the pairs at lr 0.05: 0.0674 at
 *    context 2, d 4, h 3; 0.0572 at context 3, d 6, h 5), ×0.01 when lr is
 *    ×0.01, and at lr 1e-9 below 3e-7 (there the rounding of θ − lr·u,
 *    ulp(θ)/lr per entry, is all that is left: at lr 1e-10 the gap is 1.6e-6,
 *    larger than at 1e-8, 2.2e-8);
 *  - clip 0.001 (it bites on almost every entry): ‖Δ − g‖/‖g‖ ≈ 0.997. Against
 *    clip(g) the gap of P, W_Q, W_out and b is small (at most 0.013, the
 *    in-place order at lr 0.05), but W_V and W_K stay far (means 0.85 to
 *    1.23): the series clips each position's share, Σ_t clip(e_t ⊗ ∂V_t), which can be
 *    n·c where clip(Σ_t …) is c; so does E where a token fills two positions.
 *    Against g clipped position by position (clipByPosition) the gap is
 *    the in-place order alone: at most 0.022 at lr 0.05, 8e-8 at lr 1e-6.
 *
 * On corpus/001_animals.txt (311 pairs), the series' defaults d 16, h 16,
 * context 2, seed 1, lr 0.01, clip 1, one epoch in corpus order:
 *
 *                                      init 0.01             init 0.5
 *                                      mean      max         mean     max
 *   ‖Δ − g‖ / ‖g‖                      1.418e-6  2.652e-6    0.2443   0.6724
 *   ‖Δ − clip(g)‖ / ‖clip(g)‖          the same              0.0453   0.3451
 *   ‖Δ − clip(g)‖ / ‖g‖                the same              0.0357   0.1723
 *   ‖Δ − clipByPosition‖ / ‖itself‖    the same              0.0286   0.1390
 *   ‖Δ − clipByPosition‖ / ‖g‖         the same              0.0242   0.1240
 *
 * At init 0.01 no gradient entry reaches 1, clipping never bites, and the
 * whole gap is the in-place order; over all tables it is tiny because W_out
 * and b, read before any update, dominate ‖g‖ (E and P alone are off by 8e-4,
 * W_Q and W_K by 4e-3 on average). At init 0.5 clipping bites on 1.5% of the
 * entries and accounts for about 85% of the mean gap (0.2443 → 0.0357 over
 * ‖g‖ once Δ is compared with clip(g)); clipping position by position for 5%
 * more (→ 0.0242); the in-place order for the last 10%.
 */
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {
	attentionGradients,
	embeddingGradient,
	forward,
	initialParameters,
	scoreGradient,
	seriesStep,
	trueGradient,
	type AttentionParameters,
	type Gradient,
} from '../../../source/models/attention/plain.js';
import {
	agrees,
	checkGradient,
	clipByPosition,
	clippedGradient,
	copyParameters,
	entriesOfGroup,
	entriesOfPair,
	finiteDifference,
	inPlaceGap,
	PARAMETER_GROUPS,
	sampleEntries,
	seriesUpdate,
	type EntryCheck,
	type GapFigures,
	type ParameterGroup,
} from '../../../source/models/attention/gradient-check.js';
import {vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {tokenize} from '../../../source/text/tokenize.js';
import {readCorpusFile} from '../../../source/text/corpus.js';

const SMALL = 'the cat sat on the mat . the dog sat on the rug . a cat and a dog . the the cat cat sat';
const REPO_ANIMALS = new URL('../../../corpus/001_animals.txt', import.meta.url);
const REFERENCE_ANIMALS = new URL('../../../../shared/reference/train-300-context-2-animals/corpus/001_animals.txt', import.meta.url);
const ANIMALS = existsSync(REPO_ANIMALS) ? REPO_ANIMALS : REFERENCE_ANIMALS;

interface Pair {
	readonly context: number[];
	readonly target: number;
}

function pairsOf(ids: ArrayLike<number>, n: number): Pair[] {
	return Array.from({length: ids.length - n}, (_, i) => ({context: Array.from({length: n}, (_, k) => ids[i + k]!), target: ids[i + n]!}));
}

function small(n: number) {
	const tokens = tokenize(SMALL);
	const vocabulary = vocabularyFromTokens(tokens);
	const id = (token: string) => vocabulary.ids.get(token)!;
	return {V: vocabulary.tokens.length, id, pairs: pairsOf(tokens.map(id), n)};
}

/** Init 0.5, seed 3, then 5 series steps at lr 0.1 (clip 1) so that b has moved. */
function trainedALittle(n: number, d: number, h: number) {
	const {V, id, pairs} = small(n);
	const params = initialParameters({V, d, h, n}, 3, 0.5);
	for (const {context, target} of pairs.slice(0, 5)) seriesStep(params, context, target, 0.1, 1);
	return {params, pairs, id};
}

const hasRepeat = (context: readonly number[]) => new Set(context).size < context.length;

function checkAll(params: AttentionParameters, pairs: readonly Pair[]): EntryCheck[] {
	return pairs.flatMap(({context, target}) => checkGradient(params, context, target, entriesOfPair(params, context)));
}

/** The groups that have at least one failing entry. */
function failedGroups(results: readonly EntryCheck[]): ParameterGroup[] {
	return PARAMETER_GROUPS.filter((group) => results.some((r) => r.group === group && !r.ok));
}

const SHAPES = [
	[2, 4, 3],
	[2, 5, 4],
	[2, 6, 5],
	[3, 4, 5],
	[3, 6, 3],
] as const;

describe('the agreement rule', () => {
	it('|fd − g| ≤ 1e-6·max(|g|, |fd|) + 1e-9', () => {
		expect(agrees(1, 1 + 0.9e-6)).toBe(true);
		expect(agrees(1, 1 + 1.1e-6)).toBe(false);
		expect(agrees(0, 0.9e-9)).toBe(true);
		expect(agrees(0, 1.1e-9)).toBe(false);
	});
});

describe('the true gradient agrees with finite differences in every group', () => {
	for (const [n, d, h] of SHAPES) {
		it(`context ${n}, d ${d}, h ${h}, init 0.5: every entry of every pair, E by the context tokens' rows`, () => {
			const {params, pairs} = trainedALittle(n, d, h);
			expect(params.b.every((x) => x !== 0)).toBe(true);
			expect(pairs.some(({context}) => hasRepeat(context))).toBe(true);
			const before = copyParameters(params);
			const results = checkAll(params, pairs);
			expect(results.filter((r) => !r.ok)).toEqual([]);
			// Not vacuous: in every group some entry is well above the 1e-9 floor.
			for (const group of PARAMETER_GROUPS) {
				expect(Math.max(...results.filter((r) => r.group === group).map((r) => Math.abs(r.analytic)))).toBeGreaterThan(1e-6);
			}
			// every perturbation was put back exactly
			expect(params).toEqual(before);
		});
	}

	it('a context that repeats a token: its E row gets both positions\' shares, and agrees', () => {
		const {params, id} = trainedALittle(3, 5, 4);
		const context = [id('the'), id('the'), id('cat')];
		const target = id('cat');
		const g = trueGradient(params, context, target);
		// E["the"] = ∂e_0 + ∂e_1 = P's gradient at positions 0 and 1, added
		g.E[id('the')]!.forEach((x, m) => expect(x).toBeCloseTo(g.P[0]![m]! + g.P[1]![m]!, 14));
		const results = checkGradient(params, context, target, entriesOfGroup(params, context, 'E'));
		expect(results).toHaveLength(2 * 5);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		expect(results.some((r) => r.row === id('the') && Math.abs(r.analytic) > 1e-3)).toBe(true);
	});

	it('a sampler: 3 entries of every group, drawn at random, all agree', () => {
		const {params, pairs} = trainedALittle(3, 6, 5);
		const sampler = sampleEntries(3, 11);
		const results = pairs.flatMap(({context, target}) => checkGradient(params, context, target, sampler));
		expect(results).toHaveLength(pairs.length * 3 * PARAMETER_GROUPS.length);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		for (const r of results.filter((r) => r.group === 'E')) expect(pairs.some(({context}) => context.includes(r.row))).toBe(true);
	});

	it('rows of E outside the context have a zero gradient, and a zero finite difference', () => {
		const {params, id} = trainedALittle(2, 4, 3);
		const context = [id('cat'), id('sat')];
		const g = trueGradient(params, context, id('on'));
		for (let k = 0; k < 4; k++) {
			expect(g.E[id('dog')]![k]).toBe(0);
			expect(finiteDifference(params, context, id('on'), 'E', id('dog'), k)).toBe(0);
		}
	});
});

/**
 * The gradient assembled as trueGradient does, but with ∂s (and so ∂Q, ∂K)
 * multiplied by `factor`. factor 1 is the true gradient; factor √h is the
 * gradient of a backward pass that forgot the 1/√h of s_j = Q·K_j/√h.
 */
function gradientWithScoreFactor(params: AttentionParameters, context: readonly number[], target: number, factor: number): Gradient {
	const f = forward(params, context);
	const delta = scoreGradient(f.p, target);
	const right = attentionGradients(f, params.Wout, delta);
	const g = {...right, dS: right.dS.map((x) => x * factor), dQ: right.dQ.map((x) => x * factor), dK: right.dK.map((row) => row.map((x) => x * factor))};
	const n = context.length;
	const dE = context.map((_, t) => embeddingGradient(params, g, t));
	const E = params.E.map((row) => row.map(() => 0));
	context.forEach((id, t) => dE[t]!.forEach((x, m) => (E[id]![m]! += x)));
	const outer = (x: readonly number[], y: readonly number[]) => x.map((xm) => y.map((yk) => xm * yk));
	const sum = (tables: number[][][]) => tables.reduce((acc, table) => acc.map((row, m) => row.map((v, k) => v + table[m]![k]!)));
	return {
		E,
		P: dE,
		WQ: outer(f.e[n - 1]!, g.dQ),
		WK: sum(f.e.map((e, t) => outer(e, g.dK[t]!))),
		WV: sum(f.e.map((e, t) => outer(e, g.dV[t]!))),
		Wout: outer(f.ctx, delta),
		b: delta,
	};
}

describe('the check can fail', () => {
	it('∂L/∂W_K scaled by 1.01 fails W_K, and nothing else', () => {
		const {params, pairs} = trainedALittle(2, 5, 4);
		for (const {context, target} of pairs) {
			const gradient = trueGradient(params, context, target);
			for (const row of gradient.WK) row.forEach((_, k) => (row[k]! *= 1.01));
			const results = checkGradient(params, context, target, entriesOfPair(params, context), {gradient});
			expect(failedGroups(results)).toEqual(['WK']);
		}
	});

	it('the assembly of gradientWithScoreFactor, at factor 1, passes', () => {
		const {params, pairs} = trainedALittle(3, 4, 5);
		const results = pairs.flatMap(({context, target}) =>
			checkGradient(params, context, target, entriesOfPair(params, context), {gradient: gradientWithScoreFactor(params, context, target, 1)}),
		);
		expect(results.filter((r) => !r.ok)).toEqual([]);
	});

	for (const [n, d, h] of [
		[2, 4, 3],
		[3, 4, 5],
	] as const) {
		it(`context ${n}, d ${d}, h ${h}: a backward pass without the scale 1/√h fails W_Q, W_K, E and P, not W_V, W_out or b`, () => {
			const {params, pairs} = trainedALittle(n, d, h);
			const results = pairs.flatMap(({context, target}) =>
				checkGradient(params, context, target, entriesOfPair(params, context), {gradient: gradientWithScoreFactor(params, context, target, Math.sqrt(h))}),
			);
			expect(failedGroups(results)).toEqual(['E', 'P', 'WQ', 'WK']);
		});
	}

	it("the update the series' step applies (lr 0.05, no clipping) fails E, P, W_Q, W_K and W_V, not W_out or b", () => {
		const {params, pairs} = trainedALittle(2, 5, 4);
		const results = pairs.flatMap(({context, target}) =>
			checkGradient(params, context, target, entriesOfPair(params, context), {gradient: seriesUpdate(params, context, target, 0.05, 1e6)}),
		);
		expect(failedGroups(results)).toEqual(['E', 'P', 'WQ', 'WK', 'WV']);
	});
});

/** The band around a measured figure: more than half of it, less than twice it. */
function near(value: number, measured: number): void {
	expect(value).toBeGreaterThan(measured / 2);
	expect(value).toBeLessThan(measured * 2);
}

function finiteAndPositive(f: GapFigures): void {
	expect(Number.isFinite(f.mean) && Number.isFinite(f.max)).toBe(true);
	expect(f.mean).toBeGreaterThan(0);
}

/** At init 0.5, seed 3, no steps before. */
function atInit(n: number, d: number, h: number) {
	const {V, pairs} = small(n);
	return {params: initialParameters({V, d, h, n}, 3, 0.5), pairs};
}

describe("the series' in-place step against the true gradient", () => {
	for (const [n, d, h, mean] of [
		[2, 4, 3, 0.0674],
		[3, 6, 5, 0.0572],
	] as const) {
		it(`context ${n}, d ${d}, h ${h}, init 0.5, lr 0.05, no clipping: a gap of order lr (measured mean ${mean}); W_out and b exact`, () => {
			const {params, pairs} = atInit(n, d, h);
			const before = copyParameters(params);
			const gap = inPlaceGap(params, pairs, 0.05, 1e6);
			expect(gap.pairs).toBe(pairs.length);
			finiteAndPositive(gap.unclipped.overall);
			near(gap.unclipped.overall.mean, mean);
			// W_out and b are updated first, from the parameters as they were: only rounding (≤ 1e-13).
			expect(gap.unclipped.groups.Wout.max).toBeLessThan(1e-12);
			expect(gap.unclipped.groups.b.max).toBeLessThan(1e-12);
			for (const group of ['E', 'P', 'WQ', 'WK', 'WV'] as const) finiteAndPositive(gap.unclipped.groups[group]);
			// no clipping: the three references are g
			expect(gap.clipped).toEqual(gap.unclipped);
			expect(gap.clippedByPosition).toEqual(gap.unclipped);
			expect(params).toEqual(before);
		});
	}

	it('the gap is proportional to lr: ×0.01 from lr 1e-3 to 1e-5 (measured 1.211e-3 → 1.210e-5)', () => {
		const {params, pairs} = atInit(2, 4, 3);
		const ratio = inPlaceGap(params, pairs, 1e-5, 1e6).unclipped.overall.mean / inPlaceGap(params, pairs, 1e-3, 1e6).unclipped.overall.mean;
		expect(ratio).toBeGreaterThan(0.009);
		expect(ratio).toBeLessThan(0.011);
	});

	for (const [n, d, h] of [
		[2, 4, 3],
		[3, 6, 5],
	] as const) {
		it(`context ${n}, d ${d}, h ${h}: at lr 1e-9, no clipping, the gap is below 1e-6 (measured at most 2.9e-7)`, () => {
			const {params, pairs} = atInit(n, d, h);
			const gap = inPlaceGap(params, pairs, 1e-9, 1e6);
			expect(gap.unclipped.overall.max).toBeLessThan(1e-6);
			expect(gap.unclipped.overall.max).toBeGreaterThan(0);
		});
	}

	it('below lr 1e-8 the rounding of θ − lr·u takes over: the gap at lr 1e-10 (1.6e-6) is larger than at 1e-8 (2.2e-8)', () => {
		const {params, pairs} = atInit(2, 4, 3);
		expect(inPlaceGap(params, pairs, 1e-10, 1e6).unclipped.overall.mean).toBeGreaterThan(10 * inPlaceGap(params, pairs, 1e-8, 1e6).unclipped.overall.mean);
	});

	for (const [n, d, h] of [
		[2, 4, 3],
		[3, 6, 5],
	] as const) {
		it(`context ${n}, d ${d}, h ${h}, lr 0.05, clip 0.001: far from g, near clip(g) except W_V, W_K (and E for a repeated token), near g clipped by position`, () => {
			const {params, pairs} = atInit(n, d, h);
			const gap = inPlaceGap(params, pairs, 0.05, 0.001);
			// measured 0.997 and 0.996: nearly all of every update is what clipping removed
			expect(gap.unclipped.overall.mean).toBeGreaterThan(0.9);
			for (const group of PARAMETER_GROUPS) expect(gap.unclipped.groups[group].mean).toBeGreaterThan(0.8);
			// P, W_Q, W_out, b have one share per entry: clip(g) is what the series applies, but for the in-place order (measured ≤ 0.013)
			for (const group of ['P', 'WQ', 'Wout', 'b'] as const) expect(gap.clipped.groups[group].max).toBeLessThan(0.05);
			// W_V and W_K add one clipped share per position (measured means 0.85 to 1.23)
			for (const group of ['WV', 'WK'] as const) expect(gap.clipped.groups[group].mean).toBeGreaterThan(0.5);
			// E: the median pair has no repeated token (measured ≤ 1e-12); the worst has one (measured 0.71 and 1.0)
			expect(gap.clipped.groups.E.median).toBeLessThan(1e-6);
			expect(gap.clipped.groups.E.max).toBeGreaterThan(0.5);
			// clipped position by position, what is left is the in-place order (measured ≤ 0.022 in every group)
			expect(gap.clippedByPosition.overall.max).toBeLessThan(0.02);
			for (const group of PARAMETER_GROUPS) expect(gap.clippedByPosition.groups[group].max).toBeLessThan(0.05);
		});
	}

	it('clip 0.001 at lr 1e-6: against g clipped by position only the in-place order and rounding are left (measured at most 8.2e-8)', () => {
		const {params, pairs} = atInit(2, 4, 3);
		const gap = inPlaceGap(params, pairs, 1e-6, 0.001);
		expect(gap.unclipped.overall.mean).toBeGreaterThan(0.9);
		expect(gap.clippedByPosition.overall.max).toBeLessThan(1e-6);
	});

	it('clipByPosition: with one position it is clip(g); with nothing clipped it is g', () => {
		const one = small(1);
		const params1 = initialParameters({V: one.V, d: 4, h: 3, n: 1}, 3, 0.5);
		for (const {context, target} of one.pairs.slice(0, 6)) {
			expect(clipByPosition(params1, context, target, 0.001)).toEqual(clippedGradient(trueGradient(params1, context, target), 0.001));
		}
		const {params, pairs} = atInit(3, 6, 5);
		for (const {context, target} of pairs) expect(clipByPosition(params, context, target, 1e6)).toEqual(trueGradient(params, context, target));
	});

	describe.skipIf(!existsSync(ANIMALS))('001_animals.txt, d 16, h 16, context 2, seed 1, lr 0.01, clip 1', () => {
		function gapAt(scale: number) {
			const corpus = readCorpusFile(fileURLToPath(ANIMALS));
			const pairs = pairsOf(corpus.ids, 2);
			return inPlaceGap(initialParameters({V: corpus.vocabulary.tokens.length, d: 16, h: 16, n: 2}, 1, scale), pairs, 0.01, 1);
		}

		it('init 0.01: clipping never bites; the gap is the in-place order, mean 1.418e-6, max 2.652e-6', () => {
			const gap = gapAt(0.01);
			near(gap.unclipped.overall.mean, 1.418e-6);
			near(gap.unclipped.overall.max, 2.652e-6);
			expect(gap.clipped).toEqual(gap.unclipped);
			expect(gap.clippedByPosition).toEqual(gap.unclipped);
			// table by table (mean): E and P 8.2e-4, W_Q and W_K 4.2e-3, W_V 3.9e-4
			near(gap.unclipped.groups.E.mean, 8.18e-4);
			near(gap.unclipped.groups.WQ.mean, 4.23e-3);
			near(gap.unclipped.groups.WV.mean, 3.92e-4);
		});

		it('init 0.5: mean 0.2443 against g, 0.0357 of ‖g‖ against clip(g), 0.0242 against g clipped by position', () => {
			const gap = gapAt(0.5);
			near(gap.unclipped.overall.mean, 0.2443);
			near(gap.unclipped.overall.max, 0.6724);
			near(gap.clipped.overall.mean, 0.0453);
			near(gap.clippedByPosition.overall.mean, 0.0286);
			near(gap.clipped.overallOverTrue.mean, 0.0357);
			near(gap.clippedByPosition.overallOverTrue.mean, 0.0242);
			// clipping accounts for most of the gap (measured 85%)
			expect(gap.clipped.overallOverTrue.mean / gap.unclipped.overallOverTrue.mean).toBeLessThan(0.25);
		});
	});
});
