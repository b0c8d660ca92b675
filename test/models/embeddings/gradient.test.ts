/**
 * The embeddings model's gradient against finite differences
 * (source/models/embeddings/gradient-check.ts), and the size of the series'
 * in-place step's departure from it.
 *
 * The check: on a small corpus (d 8, n 2, seed 3, after 5 series steps at
 * lr 0.1 so b is not zero), for every training pair and the pair "the the →
 * cat" (a context that repeats a token, whose E row gets both positions'
 * slices), every entry of ∂L/∂W, ∂L/∂b and the context tokens' rows of ∂L/∂E
 * agrees with the central difference: |fd − g| ≤ 1e-6·max(|g|, |fd|) + 1e-9.
 *  - At init scale 0.5, h = 1e-6: worst |fd − g| ≈ 8e-10 over 3,526 entries
 *    (relative 1.6e-6 at worst, on a W entry of 7.8e-5 that the floor covers).
 *  - At init scale 0.01 the gradients are small (the smallest E entry is
 *    3.4e-6, the smallest W entry 1.5e-5). With h = 1e-6 every entry passes,
 *    but the smallest ones only through the 1e-9 floor (relative error up to
 *    4.5e-5: rounding of L, ~1e-16, over 2h). With h = 1e-4 the rounding
 *    error is 100 times smaller and the truncation error (h²/6·L''', with L'''
 *    of order |W|³ or |h|³ ≈ 1e-6 along E and W) negligible: every entry
 *    agrees to a relative 2.2e-7 with no floor at all (worst |fd − g| ≈
 *    1.3e-10, on b, where L''' is of order 1).
 *
 * The check can fail: the gradient the series' step gives E (read from W after
 * W's update) is off by about 1% and fails every context E entry; one W entry
 * nudged by a relative 1e-5 fails that entry alone.
 *
 * The in-place gap (inPlaceGap: ‖g_series − g_true‖₂ / ‖g_true‖₂ over each
 * pair of one series epoch; the difference is exactly −lr·‖δ‖²·h, so the
 * ratio is about lr·‖δ‖ whatever the scale), measured at the series' defaults
 * (d 16, n 2, seed 1, lr 0.01):
 *
 *                                 init 0.01           init 0.5
 *                                 mean     max        mean     max
 *   small corpus (18 pairs)       0.00953  0.01201    0.00989  0.01481
 *   001_animals.txt (88 pairs)    0.01022  0.01402    0.01005  0.01377
 *
 * About 1% of the embeddings' update, the learning rate itself.
 */
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {initialParameters, seriesStep, type EmbeddingParameters} from '../../../source/models/embeddings/plain.js';
import {
	checkGradient,
	entriesOfPair,
	finiteDifference,
	inPlaceGap,
	seriesGradientOf,
	trueGradientOf,
	type EntryCheck,
} from '../../../source/models/embeddings/gradient-check.js';
import {vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {tokenize} from '../../../source/text/tokenize.js';
import {readCorpusFile} from '../../../source/text/corpus.js';

const SMALL = 'the cat sat on the mat . the dog sat on the rug . a cat saw a dog .';
const ANIMALS = new URL('../../../../shared/reference/train-300-context-2-animals/corpus/001_animals.txt', import.meta.url);

interface Pair {
	readonly context: number[];
	readonly target: number;
}

function pairsOf(ids: ArrayLike<number>, n: number): Pair[] {
	return Array.from({length: ids.length - n}, (_, i) => ({context: Array.from({length: n}, (_, k) => ids[i + k]!), target: ids[i + n]!}));
}

function small() {
	const tokens = tokenize(SMALL);
	const vocabulary = vocabularyFromTokens(tokens);
	const id = (token: string) => vocabulary.ids.get(token)!;
	return {V: vocabulary.tokens.length, id, pairs: pairsOf(tokens.map(id), 2)};
}

/** d 8, n 2, seed 3, then 5 series steps at lr 0.1 so that b has moved. */
function trainedALittle(scale: number) {
	const {V, id, pairs} = small();
	const params = initialParameters(V, 8, 2, 3, scale);
	for (const {context, target} of pairs.slice(0, 5)) seriesStep(params, context, target, 0.1);
	const checked: Pair[] = [...pairs, {context: [id('the'), id('the')], target: id('cat')}];
	return {params, checked, id};
}

function copyOf(params: EmbeddingParameters): EmbeddingParameters {
	return {E: params.E.map((row) => [...row]), W: params.W.map((row) => [...row]), b: [...params.b]};
}

function checkAll(params: EmbeddingParameters, pairs: readonly Pair[], h: number): EntryCheck[] {
	return pairs.flatMap(({context, target}) => checkGradient(params, context, target, entriesOfPair(params, context), {h}));
}

describe('the true gradient agrees with finite differences', () => {
	it('the setup: b is not zero, and one checked context repeats a token', () => {
		const {params, checked, id} = trainedALittle(0.5);
		expect(params.b.every((x) => x !== 0)).toBe(true);
		expect(checked.at(-1)!.context).toEqual([id('the'), id('the')]);
		// "the the": E["the"] gets the sum of both positions' slices of ∂L/∂h.
		const {E} = trueGradientOf(params, [id('the'), id('the')], id('cat'));
		expect(E[id('the')]!.some((x) => x !== 0)).toBe(true);
	});

	it('init scale 0.5, h = 1e-6: every entry of dW, db and the context rows of dE', () => {
		const {params, checked} = trainedALittle(0.5);
		const before = copyOf(params);
		const results = checkAll(params, checked, 1e-6);
		const V = params.b.length;
		// all of W and b for each pair; two E rows for each pair, one for "the the"
		expect(results).toHaveLength(checked.length * (2 * 8 * V + V) + (checked.length - 1) * 2 * 8 + 8);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		// every perturbation was put back exactly
		expect(params).toEqual(before);
	});

	it('init scale 0.01, h = 1e-4: every entry agrees to a relative 1e-6, no absolute floor needed', () => {
		const {params, checked} = trainedALittle(0.01);
		const results = checkAll(params, checked, 1e-4);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		for (const r of results) expect(Math.abs(r.numeric - r.analytic)).toBeLessThanOrEqual(1e-6 * Math.abs(r.analytic));
	});

	it('init scale 0.01, h = 1e-6: every entry passes, but the smallest only through the 1e-9 floor', () => {
		const {params, checked} = trainedALittle(0.01);
		const results = checkAll(params, checked, 1e-6);
		expect(results.filter((r) => !r.ok)).toEqual([]);
		expect(results.some((r) => Math.abs(r.numeric - r.analytic) > 1e-6 * Math.abs(r.analytic))).toBe(true);
	});

	it('rows of E outside the context have a zero gradient, and a zero finite difference', () => {
		const {params, id} = trainedALittle(0.5);
		const context = [id('cat'), id('sat')];
		const {E} = trueGradientOf(params, context, id('on'));
		for (let k = 0; k < 8; k++) {
			expect(E[id('dog')]![k]).toBe(0);
			expect(finiteDifference(params, context, id('on'), 'E', id('dog'), k)).toBe(0);
		}
	});
});

describe('the check can fail', () => {
	for (const lr of [0.1, 0.01]) {
		it(`the series' in-place E gradient (lr ${lr}) fails every context entry of dE and nothing else`, () => {
			const {params, checked} = trainedALittle(0.5);
			for (const {context, target} of checked) {
				const results = checkGradient(params, context, target, entriesOfPair(params, context), {gradient: seriesGradientOf(params, context, target, lr)});
				const failed = results.filter((r) => !r.ok);
				expect(failed.length).toBeGreaterThan(0);
				expect(failed).toEqual(results.filter((r) => r.group === 'E'));
			}
		});
	}

	it('one entry of dW off by a relative 1e-5 fails that entry alone', () => {
		const {params, checked} = trainedALittle(0.5);
		const {context, target} = checked[3]!;
		const gradient = trueGradientOf(params, context, target);
		gradient.W[5]![2]! *= 1 + 1e-5;
		const failed = checkGradient(params, context, target, entriesOfPair(params, context), {gradient}).filter((r) => !r.ok);
		expect(failed.map(({group, row, col}) => ({group, row, col}))).toEqual([{group: 'W', row: 5, col: 2}]);
	});
});

/** The band around a measured figure: more than half of it, less than twice it. */
function near(value: number, measured: number): void {
	expect(value).toBeGreaterThan(measured / 2);
	expect(value).toBeLessThan(measured * 2);
}

describe("the series' in-place step against the true gradient", () => {
	for (const [scale, mean, max] of [
		[0.01, 0.00953, 0.01201],
		[0.5, 0.00989, 0.01481],
	] as const) {
		it(`small corpus, init ${scale}, lr 0.01, d 16, n 2, seed 1: mean ${mean}, max ${max}`, () => {
			const {V, pairs} = small();
			const params = initialParameters(V, 16, 2, 1, scale);
			const before = copyOf(params);
			const gap = inPlaceGap(params, pairs, 0.01);
			expect(gap.pairs).toBe(18);
			near(gap.meanRelative, mean);
			near(gap.maxRelative, max);
			expect(params).toEqual(before);
		});
	}

	it('the gap shrinks with the learning rate (it is lr·‖δ‖²·h)', () => {
		const {V, pairs} = small();
		const params = initialParameters(V, 16, 2, 1, 0.01);
		const ratio = inPlaceGap(params, pairs, 0.001).meanRelative / inPlaceGap(params, pairs, 0.01).meanRelative;
		// measured: 0.000952 / 0.00953 = 0.0999
		expect(ratio).toBeGreaterThan(0.08);
		expect(ratio).toBeLessThan(0.12);
	});

	describe.skipIf(!existsSync(ANIMALS))('001_animals.txt', () => {
		for (const [scale, mean, max] of [
			[0.01, 0.01022, 0.01402],
			[0.5, 0.01005, 0.01377],
		] as const) {
			it(`init ${scale}, lr 0.01, d 16, n 2, seed 1: mean ${mean}, max ${max}`, () => {
				const corpus = readCorpusFile(fileURLToPath(ANIMALS));
				const pairs = pairsOf(corpus.ids, 2);
				const gap = inPlaceGap(initialParameters(corpus.vocabulary.tokens.length, 16, 2, 1, scale), pairs, 0.01);
				expect(gap.pairs).toBe(88);
				near(gap.meanRelative, mean);
				near(gap.maxRelative, max);
			});
		}
	});
});
