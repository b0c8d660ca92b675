/**
 * The fast attention trainer (train.ts, model.ts) against the readable one
 * (plain.ts): the same bits after every epoch, in the series' order and with
 * the true gradient, with clipping that bites and without, on a corpus with
 * repeated tokens inside one context; and plain.ts against the plain Python
 * reference (test/reference/attention_reference.py) at full precision, to
 * within what glibc's misrounded ln, sin, cos and exp explain.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {clip, forward, initialParameters, trainEpoch, type AttentionParameters} from '../../../source/models/attention/plain.js';
import {AttentionModel} from '../../../source/models/attention/model.js';
import {fastStep, stepScratch} from '../../../source/models/attention/train.js';
import {AttentionRun} from '../../../source/models/attention/run.js';
import {vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {tokenize} from '../../../source/text/tokenize.js';

const ANIMALS = 'the cat sat on the mat . the dog sat on the rug . a cat and a dog . the the cat cat sat';

function setup(text: string, n: number, d: number, h: number, seed: number, scale: number) {
	const tokens = tokenize(text);
	const vocabulary = vocabularyFromTokens(tokens);
	const ids = Int32Array.from(tokens, (t) => vocabulary.ids.get(t)!);
	const plain = initialParameters({V: vocabulary.tokens.length, d, h, n}, seed, scale);
	const fast = AttentionModel.initial(vocabulary, {n, d, h}, seed, scale);
	const pairs = Array.from({length: ids.length - n}, (_, i) => ({context: Array.from(ids.subarray(i, i + n)), target: ids[i + n]!}));
	return {vocabulary, ids, plain, fast, pairs};
}

function expectSameBits(fast: AttentionModel, plain: AttentionParameters): void {
	expect(fast.toPlain()).toEqual(plain);
}

function fastEpoch(model: AttentionModel, ids: Int32Array, lr: number, c: number, exact: boolean) {
	const scratch = stepScratch(model);
	const outcome = new Int32Array(1);
	let total = 0;
	let correct = 0;
	const pairs = ids.length - model.n;
	for (let at = 0; at < pairs; at++) {
		total += fastStep(model, ids, at, lr, c, exact, scratch, outcome);
		correct += outcome[0]!;
	}
	return {avgLoss: total / pairs, accuracy: correct / pairs};
}

describe('clip is Python max(−c, min(c, x))', () => {
	it('keeps the sign of zero, bounds both sides, and turns NaN into c as Python does', () => {
		expect(clip(0.5, 1)).toBe(0.5);
		expect(clip(3, 1)).toBe(1);
		expect(clip(-3, 1)).toBe(-1);
		expect(Object.is(clip(-0, 1), -0)).toBe(true);
		expect(clip(Number.NaN, 1)).toBe(1);
	});
});

describe('the fast attention step computes plain.ts exactly', () => {
	for (const [n, d, h, seed, clipAt, exact] of [
		[2, 16, 16, 1, 1, false],
		[2, 16, 16, 1, 1, true],
		[1, 4, 3, 7, 1, false],
		[3, 5, 7, 2, 0.02, false],
		[3, 5, 7, 2, 0.02, true],
		[8, 3, 5, 3, 1, true],
		[8, 6, 4, 4, 0.05, false],
	] as const) {
		it(`context ${n}, d ${d}, h ${h}, seed ${seed}, clip ${clipAt}${exact ? ', true gradient' : ''}: same loss, accuracy and parameters after 3 epochs`, () => {
			const {ids, plain, fast, pairs} = setup(ANIMALS, n, d, h, seed, 0.5);
			expectSameBits(fast, plain);
			for (let epoch = 0; epoch < 3; epoch++) {
				const a = trainEpoch(plain, pairs, 0.05, clipAt, exact);
				const b = fastEpoch(fast, ids, 0.05, clipAt, exact);
				expect(b).toEqual(a);
				expectSameBits(fast, plain);
			}
		});
	}

	it('path() is forward(), every intermediate value', () => {
		const {plain, fast, pairs} = setup(ANIMALS, 3, 6, 5, 5, 0.3);
		for (const {context} of pairs.slice(0, 5)) {
			const a = forward(plain, context);
			const b = fast.path(context);
			expect(Array.from(b.e)).toEqual(a.e.flat());
			expect(Array.from(b.Q)).toEqual(a.Q.flat());
			expect(Array.from(b.K)).toEqual(a.K.flat());
			expect(Array.from(b.V)).toEqual(a.V.flat());
			expect(Array.from(b.attentionScores)).toEqual(a.attentionScores);
			expect(Array.from(b.a)).toEqual(a.a);
			expect(Array.from(b.ctx)).toEqual(a.ctx);
			expect(Array.from(b.scores)).toEqual(a.scores);
			expect(Array.from(b.p)).toEqual(a.p);
		}
	});

	it('the attention matrix has one row per query position, each summing to 1, its last row the prediction\'s weights', () => {
		const {fast, pairs} = setup(ANIMALS, 3, 6, 5, 5, 0.8);
		const context = pairs[2]!.context;
		const matrix = fast.attentionMatrix(context);
		expect(matrix).toHaveLength(3);
		for (const row of matrix) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
		expect(Array.from(matrix[2]!)).toEqual(Array.from(fast.path(context).a));
		expect(Array.from(matrix[0]!)).not.toEqual(Array.from(matrix[2]!));
	});

	it('the series order and the true gradient give different models', () => {
		const a = setup(ANIMALS, 2, 8, 8, 1, 0.5);
		const b = setup(ANIMALS, 2, 8, 8, 1, 0.5);
		trainEpoch(a.plain, a.pairs, 0.05, 1, false);
		trainEpoch(b.plain, b.pairs, 0.05, 1, true);
		expect(a.plain.WV).not.toEqual(b.plain.WV);
		expect(a.plain.E).not.toEqual(b.plain.E);
	});

	it('parameterCount is V·d + n·d + 3·d·h + h·V + V', () => {
		const {fast} = setup(ANIMALS, 2, 16, 16, 1, 0.01);
		const V = fast.V;
		expect(fast.parameterCount).toBe(V * 16 + 2 * 16 + 3 * 16 * 16 + 16 * V + V);
	});
});

describe('AttentionRun', () => {
	it('epochs are fastStep in corpus order; step() reports the attention before and after and moves W_out, b and the context rows', () => {
		const {vocabulary, ids, plain, pairs} = setup(ANIMALS, 2, 6, 4, 3, 0.4);
		const run = new AttentionRun(vocabulary, ids, {n: 2, d: 6, h: 4, seed: 3, initScale: 0.4, clip: 1, exactGradient: false}, 0.2);
		const first = run.step();
		expect(first.family).toBe('attention');
		expect(first.context).toEqual(pairs[0]!.context);
		expect(Array.from(first.attentionBefore)).toEqual(forward(plain, pairs[0]!.context).a);
		expect(Array.from(first.attentionAfter)).not.toEqual(Array.from(first.attentionBefore));
		expect(first.loss).toBe(-Math.log(forward(plain, pairs[0]!.context).p[pairs[0]!.target]!));
		for (const {group, distance} of first.moved) expect(distance, group).toBeGreaterThan(0);
		const rest = run.epoch();
		const whole = trainEpoch(plain, pairs, 0.2, 1, false);
		expect(rest.avgLoss).toBe(whole.avgLoss);
		expect(run.model.toPlain()).toEqual(plain);
		run.reset();
		expect(run.epochsDone).toBe(0);
		expect(run.model.toPlain()).toEqual(setup(ANIMALS, 2, 6, 4, 3, 0.4).plain);
	});
});

describe('plain.ts against the plain Python reference, at full precision', () => {
	const script = path.resolve('test/reference/attention_reference.py');
	for (const args of [
		{seed: 4, context: 2, dim: 16, head: 16, scale: 0.01, clip: 1, lr: 0.01, exact: false},
		{seed: 5, context: 3, dim: 6, head: 4, scale: 0.4, clip: 0.05, lr: 0.1, exact: false},
		{seed: 6, context: 4, dim: 5, head: 7, scale: 0.3, clip: 1, lr: 0.2, exact: true},
		{seed: 7, context: 1, dim: 3, head: 2, scale: 0.5, clip: 1, lr: 0.05, exact: false},
	]) {
		it(`seed ${args.seed}, context ${args.context}, d ${args.dim}, h ${args.head}, init ${args.scale}, clip ${args.clip}${args.exact ? ', true gradient' : ''}: every parameter after 3 epochs`, {timeout: 60_000}, () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'toy-gpt-tui-attention-plain-'));
			try {
				const corpus = path.join(dir, 'corpus.txt');
				writeFileSync(corpus, ANIMALS + '\n');
				execFileSync('python3', [script, corpus, dir, '--seed', String(args.seed), '--epochs', '3', '--lr', String(args.lr), '--dim', String(args.dim), '--head-dim', String(args.head), '--context', String(args.context), '--init-scale', String(args.scale), '--clip', String(args.clip), ...(args.exact ? ['--exact-gradient'] : [])]);
				const full = JSON.parse(readFileSync(path.join(dir, 'full.json'), 'utf8')) as AttentionParameters & {log: number[][]};
				const {plain, pairs} = setup(ANIMALS, args.context, args.dim, args.head, args.seed, args.scale);
				const log = [1, 2, 3].map((epoch) => {
					const figures = trainEpoch(plain, pairs, args.lr, args.clip, args.exact);
					return [epoch, figures.avgLoss, figures.accuracy];
				});
				// This machine's glibc misrounds ln, sin or cos for about 0.2% of the
				// drawn weights (libm.ts rounds correctly), and exp for a few scores:
				// those numbers start an ulp apart, and training carries the
				// difference on at about that size.
				const close = (a: number, b: number) => Math.abs(a - b) <= 1e-11 * Math.max(1, Math.abs(b));
				log.forEach((row, e) => row.forEach((x, i) => expect(close(x, full.log[e]![i]!), `log ${e} ${i}: ${x} against ${full.log[e]![i]}`).toBe(true)));
				let worst = 0;
				for (const group of ['E', 'P', 'WQ', 'WK', 'WV', 'Wout'] as const) {
					plain[group].forEach((row, r) => row.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - full[group][r]![k]!)))));
				}
				plain.b.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - full.b[j]!))));
				expect(worst).toBeLessThanOrEqual(1e-12);
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		});
	}
});

describe('the watched contexts', () => {
	it('are the first distinct training contexts in id order, the bounded scan giving what a full sort gives', async () => {
		const {distinctContexts} = await import('../../../source/models/pair-run.js');
		const ids = Int32Array.from({length: 5000}, (_, i) => (i * 7919 + (i >> 3)) % 37);
		for (const n of [1, 2, 3]) {
			const all = distinctContexts(ids, n, Infinity);
			for (const limit of [1, 5, 256]) expect(Array.from(distinctContexts(ids, n, limit))).toEqual(Array.from(all.subarray(0, limit * n)));
		}
	});

	it('are recorded only once watched: before training, then after each epoch', () => {
		const {vocabulary, ids} = setup(ANIMALS, 2, 6, 4, 3, 0.4);
		const run = new AttentionRun(vocabulary, ids, {n: 2, d: 6, h: 4, seed: 3, initScale: 0.4, clip: 1, exactGradient: false}, 0.2);
		expect(run.history.epochs).toHaveLength(0);
		run.watch();
		run.epoch();
		run.epoch();
		expect(run.history.epochs).toHaveLength(3);
		const first = Array.from(run.history.contexts.subarray(0, 2));
		const before = AttentionModel.initial(vocabulary, {n: 2, d: 6, h: 4}, 3, 0.4).attentionWeights(first);
		expect(Array.from(run.history.epochs[0]!.subarray(0, 2))).toEqual(Array.from(before));
		expect(Array.from(run.history.epochs[2]!.subarray(0, 2))).toEqual(Array.from(run.model.attentionWeights(first)));
		run.reset();
		expect(run.history.epochs).toHaveLength(1);
	});
});
