/**
 * The fast embeddings trainer (train.ts, model.ts) against the readable one
 * (plain.ts): the same bits after every step, in the series' order and with
 * the true gradient, on the animals corpus and a corpus with repeated tokens
 * inside one context.
 */
import {describe, expect, it} from 'vitest';
import {initialParameters, trainEpoch, forward, type EmbeddingParameters} from '../../../source/models/embeddings/plain.js';
import {EmbeddingsModel} from '../../../source/models/embeddings/model.js';
import {fastStep, stepScratch} from '../../../source/models/embeddings/train.js';
import {vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {tokenize} from '../../../source/text/tokenize.js';

const ANIMALS = 'the cat sat on the mat . the dog sat on the rug . a cat and a dog . the the cat cat sat';

function setup(text: string, n: number, d: number, seed: number, scale = 0.01) {
	const tokens = tokenize(text);
	const vocabulary = vocabularyFromTokens(tokens);
	const ids = Int32Array.from(tokens, (t) => vocabulary.ids.get(t)!);
	const plain = initialParameters(vocabulary.tokens.length, d, n, seed, scale);
	const fast = EmbeddingsModel.initial(vocabulary, n, d, seed, scale);
	const pairs = Array.from({length: ids.length - n}, (_, i) => ({context: Array.from(ids.subarray(i, i + n)), target: ids[i + n]!}));
	return {vocabulary, ids, plain, fast, pairs};
}

function expectSameBits(fast: EmbeddingsModel, plain: EmbeddingParameters): void {
	const other = fast.toPlain();
	expect(other.E).toEqual(plain.E);
	expect(other.W).toEqual(plain.W);
	expect(other.b).toEqual(plain.b);
}

function fastEpoch(model: EmbeddingsModel, ids: Int32Array, lr: number, exact: boolean) {
	const scratch = stepScratch(model);
	const outcome = new Int32Array(1);
	let total = 0;
	let correct = 0;
	const pairs = ids.length - model.n;
	for (let at = 0; at < pairs; at++) {
		total += fastStep(model, ids, at, lr, exact, scratch, outcome);
		correct += outcome[0]!;
	}
	return {avgLoss: total / pairs, accuracy: correct / pairs};
}

describe('the fast embeddings step computes plain.ts exactly', () => {
	for (const [n, d, seed, exact] of [
		[2, 16, 1, false],
		[2, 16, 1, true],
		[1, 4, 7, false],
		[3, 5, 2, false],
		[8, 3, 3, true],
	] as const) {
		it(`context ${n}, d ${d}, seed ${seed}${exact ? ', true gradient' : ''}: same loss, accuracy and parameters after 3 epochs (init scale 0.5, so it moves)`, () => {
			const {ids, plain, fast, pairs} = setup(ANIMALS, n, d, seed, 0.5);
			expectSameBits(fast, plain);
			for (let epoch = 0; epoch < 3; epoch++) {
				const a = trainEpoch(plain, pairs, 0.05, exact);
				const b = fastEpoch(fast, ids, 0.05, exact);
				expect(b).toEqual(a);
				expectSameBits(fast, plain);
			}
		});
	}

	it('probabilities are forward().p', () => {
		const {plain, fast, pairs} = setup(ANIMALS, 2, 6, 5, 0.3);
		for (const {context} of pairs.slice(0, 5)) expect(Array.from(fast.probabilities(context))).toEqual(forward(plain, context).p);
	});

	it('the series order and the true gradient give different models (the in-place order is a real difference)', () => {
		const a = setup(ANIMALS, 2, 8, 1, 0.5);
		const b = setup(ANIMALS, 2, 8, 1, 0.5);
		trainEpoch(a.plain, a.pairs, 0.05, false);
		trainEpoch(b.plain, b.pairs, 0.05, true);
		expect(a.plain.E).not.toEqual(b.plain.E);
		expect(a.plain.W).not.toEqual(b.plain.W);
	});
});

describe('EmbeddingsRun.step() reports what one step changed', () => {
	it('ΔW, Δb, the moved rows of E and the gap to the true gradient, as measured on copies before and after (to 1e-9)', async () => {
		const {EmbeddingsRun} = await import('../../../source/models/embeddings/run.js');
		const {inputGradient} = await import('../../../source/models/embeddings/plain.js');
		const tokens = tokenize(ANIMALS);
		const vocabulary = vocabularyFromTokens(tokens);
		const ids = Int32Array.from(tokens, (t) => vocabulary.ids.get(t)!);
		for (const exact of [false, true]) {
			const run = new EmbeddingsRun(vocabulary, ids, {n: 2, d: 6, seed: 3, initScale: 0.4, exactGradient: exact}, 0.2);
			for (let k = 0; k < 25; k++) {
				const before = run.model.copy();
				const step = run.step();
				const after = run.model;
				const dW = after.W.map((w, i) => w - before.W[i]!);
				const norm = Math.sqrt(dW.reduce((a, x) => a + x * x, 0));
				expect(step.weightChange.norm).toBeCloseTo(norm, 9 - Math.ceil(Math.log10(1 / norm)));
				expect(Math.abs(step.weightChange.largest - dW[step.weightChange.input * after.V + step.weightChange.token]!)).toBeLessThan(1e-12);
				expect(Math.max(...dW.map(Math.abs))).toBeCloseTo(Math.abs(step.weightChange.largest), 12);
				expect(step.biasChange.largest).toBeCloseTo(after.b[step.biasChange.token]! - before.b[step.biasChange.token]!, 12);
				for (const row of step.moved) {
					const moved = Math.sqrt(Array.from({length: 6}, (_, c) => (after.E[row.token * 6 + c]! - before.E[row.token * 6 + c]!) ** 2).reduce((a, b) => a + b, 0));
					expect(row.distance).toBe(moved);
				}
				const delta = Array.from(step.probabilities, (p, j) => p - (j === step.target ? 1 : 0));
				const trueG = inputGradient(before.toPlain().W, delta);
				const seriesG = inputGradient(after.toPlain().W, delta);
				const applied = exact ? trueG : seriesG;
				const gap = Math.sqrt(applied.reduce((a, g, i) => a + (g - trueG[i]!) ** 2, 0) / trueG.reduce((a, g) => a + g * g, 0));
				if (exact) expect(step.gradientGap).toBe(0);
				else expect(Math.abs(step.gradientGap - gap)).toBeLessThan(1e-9 * Math.max(1, gap));
			}
		}
	});
});
