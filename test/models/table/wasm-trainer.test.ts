/**
 * Small models train on WebAssembly (source/models/table/wasm-trainer.ts): the same
 * weights, shared values, losses and accuracies as trainStretch in
 * JavaScript, bit for bit, also when steps must be handed back to
 * JavaScript (exponentials at an edge of exp()), in stretches of any length.
 */
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {readCorpusFile} from '../../../source/text/corpus.js';
import {lcg} from '../../support/random.js';
import {encode, vocabularyFromTokens} from '../../../source/text/vocabulary.js';
import {TrainingRun} from '../../../source/models/table/run.js';
import {buildTraining, widestRow} from '../../../source/models/table/train.js';
import {createWasmTrainer, SMALL_EPOCH_LIMIT, SMALL_MODEL_LIMIT} from '../../../source/models/table/wasm-trainer.js';
import {KERNEL_DATA_AT, kernelExports, kernelMemory} from '../../../source/numerics/exp-kernel.js';
import {exactSum} from '../../../source/numerics/exact-sum.js';
import type {ContextSize} from '../../../source/models/table/model.js';

function corpus(seed: number, words: number, length: number) {
	const random = lcg(seed);
	const tokens = Array.from({length}, () => `w${Math.floor(random() ** 2 * words)}`);
	const vocabulary = vocabularyFromTokens(tokens);
	return {vocabulary, ids: encode(vocabulary, tokens)};
}

/** Every number a run holds and logs, as bytes. */
function state(run: TrainingRun): Buffer {
	const {weights, shared} = run.model.rows;
	const log = Float64Array.from(run.log.flatMap((entry) => [entry.avgLoss, entry.accuracy]));
	return Buffer.concat([Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength), Buffer.from(shared.buffer, shared.byteOffset, shared.byteLength), Buffer.from(log.buffer)]);
}

describe('the WebAssembly trainer', () => {
	it('is made for small models only', () => {
		const small = corpus(1, 40, 500);
		const {model, pairs} = buildTraining(small.vocabulary, small.ids, 2);
		expect(createWasmTrainer(model.rows, pairs, widestRow(model))).toBeDefined();
		const large = corpus(2, 3000, SMALL_MODEL_LIMIT + 10);
		const built = buildTraining(large.vocabulary, large.ids, 2);
		expect(createWasmTrainer(built.model.rows, built.pairs, widestRow(built.model))).toBeUndefined();
		// A unigram: each of its 6,000 pairs updates its one row of V weights.
		const wide = corpus(3, 3000, 6000);
		const unigram = buildTraining(wide.vocabulary, wide.ids, 0);
		expect(unigram.model.V * 6000).toBeGreaterThan(SMALL_EPOCH_LIMIT);
		expect(createWasmTrainer(unigram.model.rows, unigram.pairs, widestRow(unigram.model))).toBeUndefined();
	});

	it('trains as JavaScript does, bit for bit, in stretches of any length', () => {
		const random = lcg(77);
		for (let trial = 0; trial < 24; trial++) {
			const n = (trial % 4) as ContextSize;
			const {vocabulary, ids} = corpus(100 + trial, 3 + Math.floor(random() * 40), 20 + Math.floor(random() * 400));
			const lr = [0.1, 0.5, 2.5, 0.02][trial % 4]!;
			const wasm = new TrainingRun(vocabulary, ids, n, lr, true);
			const js = new TrainingRun(vocabulary, ids, n, lr, false);
			for (let e = 0; e < 6; e++) {
				js.epoch();
				// Stretches of random lengths, as the explorer's time slices take them.
				while (!wasm.advance(1 + Math.floor(random() * 50)));
			}
			expect(state(wasm).equals(state(js)), `trial ${trial}`).toBe(true);
		}
	});

	it("sums exactly with fsum where the double-double cannot round: exact-sum.ts's exactSum, bit for bit", () => {
		const memory = kernelMemory(KERNEL_DATA_AT + 2 * 8 * 64)!;
		const fsum = kernelExports(memory)['fsum'] as (terms: number, count: number, partials: number) => number;
		const terms = new Float64Array(memory.buffer, KERNEL_DATA_AT, 64);
		const check = (values: number[]) => {
			terms.set(values);
			const got = fsum(KERNEL_DATA_AT, values.length, KERNEL_DATA_AT + 8 * 64);
			if (!Object.is(got, exactSum(values, 0, values.length))) expect.fail(`${JSON.stringify(values)}: fsum ${got}, exact ${exactSum(values, 0, values.length)}`);
		};
		// Half-way cases: an exact tie rounds to even; anything below the tie decides it.
		const ulp = 2 ** -52;
		for (const base of [1, 1 + ulp, 1.5, 3 - 2 * ulp]) {
			for (const below of [0, 2 ** -120, -(2 ** -120), 2 ** -300]) check([base, ulp / 2, below, 0.25 * ulp * 2 ** -60]);
			check([base, ulp / 2]);
			check([ulp / 2, base]);
		}
		// Random terms, many near ties: copies * term split into two doubles, as the trainer adds them.
		const random = lcg(4242);
		for (let trial = 0; trial < 4000; trial++) {
			const count = 1 + Math.floor(random() * 40);
			const values = Array.from({length: count}, () => (random() < 0.3 ? 1 : random() * 2 ** Math.floor(random() * 8 - 4)));
			const copies = Math.floor(random() * 3000);
			const term = random();
			const product = copies * term;
			const t = 134217729 * term;
			const th = t - (t - term);
			const c = 134217729 * copies;
			const ch = c - (c - copies);
			values.push(product, ch * th - product + ch * (term - th) + (copies - ch) * th + (copies - ch) * (term - th));
			check(values);
		}
	});

	it('rounds sums half-way between two doubles as exact arithmetic does', () => {
		// On the animals corpus 350 of the 15,550 steps of 50 epochs have a
		// softmax sum the double-double cannot round (a row's never-seen
		// columns, copies * term, land exactly half-way): trainStretch sums
		// them again with BigInt, the WebAssembly loop with fsum.
		const corpus = readCorpusFile(fileURLToPath(new URL('../../../corpus/001_animals.txt', import.meta.url)));
		const wasm = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1, true);
		const js = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1, false);
		for (let e = 0; e < 50; e++) {
			wasm.epoch();
			js.epoch();
		}
		expect(state(wasm).equals(state(js))).toBe(true);
	});

	it('hands steps with exponentials at the edge of exp() to JavaScript and still agrees', () => {
		// A learning rate this large drives scores of one row more than 708
		// apart, where exp() underflows to subnormals and zero.
		const {vocabulary, ids} = corpus(9, 6, 200);
		const wasm = new TrainingRun(vocabulary, ids, 1, 5000, true);
		const js = new TrainingRun(vocabulary, ids, 1, 5000, false);
		for (let e = 0; e < 8; e++) {
			wasm.epoch();
			js.epoch();
		}
		let spread = 0;
		for (let slot = 0; slot < js.model.rowCount; slot++) {
			const scores = [...js.model.scores(slot)];
			spread = Math.max(spread, Math.max(...scores) - Math.min(...scores));
		}
		expect(spread).toBeGreaterThan(708);
		expect(state(wasm).equals(state(js))).toBe(true);
	});
});
