import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {lcg} from '../support/random.js';
import {compileKernel, kernelModuleText, KERNEL_MODULE} from '../../scripts/build-wasm.mjs';
import {exp} from '../../source/numerics/exp.js';
import {exactSum, finishSum} from '../../source/numerics/exact-sum.js';
import {arenaOf, createExpKernel} from '../../source/numerics/exp-kernel.js';
import {buildTraining, trainingScratch, widestRow} from '../../source/models/table/train.js';
import {encode, vocabularyFromTokens} from '../../source/text/vocabulary.js';
import {KERNEL_MIN_COLUMNS} from '../../source/models/table/model.js';

describe('the WebAssembly exponentials', () => {
	it('give exp(w - max) of exp.ts bit for bit, from any start in the weights', () => {
		const kernel = createExpKernel(600)!;
		expect(kernel).toBeDefined();
		const random = lcg(5);
		for (let trial = 0; trial < 300; trial++) {
			const weights = Float64Array.from({length: 700}, () => (random() - 0.7) * 2 ** Math.floor(random() * 9));
			const start = Math.floor(random() * 100);
			const end = start + Math.floor(random() * 600);
			let max = -Infinity;
			for (let e = start; e < end; e++) max = Math.max(max, weights[e]!);
			const done = kernel.fill(weights, start, end, max);
			// Everything but an odd last element, unless an argument is at an edge.
			expect(done).toBe((end - start) & ~1);
			for (let i = 0; i < done; i++) {
				if (!Object.is(kernel.output[i], exp(weights[start + i]! - max))) expect.fail(`trial ${trial}, element ${i}: ${kernel.output[i]} != ${exp(weights[start + i]! - max)}`);
			}
		}
	});

	it('leave a row holding an argument exp() treats as an edge to the caller, all of it', () => {
		const kernel = createExpKernel(16)!;
		for (const edge of [-708, -708.5, -800, -Infinity, NaN, 708, 710, Infinity]) {
			const weights = Float64Array.from([0, -1, -2, -3, -4, edge, -5, -6]);
			expect(kernel.fill(weights, 0, 8, 0), String(edge)).toBe(0);
		}
		expect(kernel.fill(Float64Array.from([0, -1, -707.99, -3, 707.99, 1]), 0, 6, 0)).toBe(6);
		// exp() of arguments up to 708 is what the kernel gives.
		const near = Float64Array.from([-707.99, 707.99, 700, -700.5]);
		expect(kernel.fill(near, 0, 4, 0)).toBe(4);
		for (let i = 0; i < 4; i++) expect(kernel.output[i]).toBe(exp(near[i]!));
	});

	it('add the exponentials into a double-double whose finished sum is correctly rounded', () => {
		const kernel = createExpKernel(900)!;
		const random = lcg(23);
		for (let trial = 0; trial < 400; trial++) {
			const count = trial < 12 ? trial : Math.floor(random() * 900);
			const spread = 2 ** Math.floor(random() * 10);
			for (let i = 0; i < count; i++) kernel.output[i] = Math.exp(-random() * spread);
			if (count > 0 && trial % 2 === 0) kernel.output[Math.floor(random() * count)] = 1;
			const copies = Math.floor(random() * 60_000);
			const term = Math.exp(-random() * 20);
			kernel.sum(count);
			const [hi, lo] = kernel.total;
			// hi + lo is the sum up to lo's rounding: within a millionth of an ulp here.
			const want = exactSum(kernel.output, 0, count);
			expect(Math.abs(hi! + lo! - want), `trial ${trial}`).toBeLessThanOrEqual(want * 2 ** -70);
			const got = finishSum(hi!, lo!, kernel.output, 0, count, copies, term);
			if (!Object.is(got, exactSum(kernel.output, 0, count, copies, term))) expect.fail(`trial ${trial}: ${got}`);
		}
	});

	it("take the SGD step of a row as trainStretch's loop does: weights, first largest p, largest weight", () => {
		const kernel = createExpKernel(300)!;
		const random = lcg(17);
		for (let trial = 0; trial < 400; trial++) {
			const count = 1 + Math.floor(random() * 300);
			const start = Math.floor(random() * 50);
			// Few distinct weights, so equal probabilities (ties for the largest) are common.
			const levels = Array.from({length: 1 + Math.floor(random() * 4)}, () => -random() * 6);
			const weights = Float64Array.from({length: start + count + 10}, () => levels[Math.floor(random() * levels.length)]!);
			const max = Math.max(...weights.subarray(start, start + count));
			const done = kernel.fill(weights, start, start + count, max);
			for (let i = done; i < count; i++) kernel.output[i] = exp(weights[start + i]! - max);
			let total = 0;
			for (let i = 0; i < count; i++) total += kernel.output[i]!;
			total += random() * 3; // as if shared columns added some
			const lr = [0.1, 0.5, 2][trial % 3]!;
			const target = Math.floor(random() * count);
			const newTarget = weights[start + target]! - lr * (kernel.output[target]! / total - 1);

			// The JavaScript loop of trainStretch.
			const want = Float64Array.from(weights);
			let best = -1;
			let bestP = -Infinity;
			let wantMax = -Infinity;
			for (let i = 0; i < count; i++) {
				const p = kernel.output[i]! / total;
				if (p > bestP) {
					bestP = p;
					best = i;
				}
				const w = i === target ? newTarget : want[start + i]! - lr * p;
				want[start + i] = w;
				if (w > wantMax) wantMax = w;
			}

			const got = kernel.step(weights, start, start + count, total, lr, target, newTarget);
			expect(got, `trial ${trial}`).toBe(best);
			expect(kernel.max, `trial ${trial}`).toBe(wantMax);
			for (let i = 0; i < weights.length; i++) if (!Object.is(weights[i], want[i])) expect.fail(`trial ${trial}, weight ${i}: ${weights[i]} != ${want[i]}`);
		}
	});

	it('are what training uses on this Node, on the model where it lies', () => {
		// After "a", 40 different tokens: a row of 40 explicit columns.
		const tokens = Array.from({length: 40}, (_, i) => ['a', `t${i}`]).flat();
		const vocabulary = vocabularyFromTokens(tokens);
		const {model} = buildTraining(vocabulary, encode(vocabulary, tokens), 1);
		expect(widestRow(model)).toBe(40);
		const arena = arenaOf(model.rows.weights)!;
		expect(arena).toBeDefined();
		expect(arena.weights).toBe(model.rows.weights);
		const scratch = trainingScratch(model.rows, 40);
		expect(scratch.kernel).toBeDefined();
		expect(scratch.exps).toBe(scratch.kernel!.output);
		expect(scratch.exps.length).toBe(40);
		// Rows too narrow to gain from it: no arena, no kernel.
		const narrow = buildTraining(vocabulary, encode(vocabulary, ['a', 't1', 'a', 't2']), 1).model;
		expect(arenaOf(narrow.rows.weights)).toBeUndefined();
		expect(trainingScratch(narrow.rows, widestRow(narrow)).kernel).toBeUndefined();
		expect(widestRow(narrow)).toBeLessThan(KERNEL_MIN_COLUMNS);
	});

	it('are the committed module, compiled from source/numerics/wasm/exps.ts', async () => {
		const committed = readFileSync(new URL(`../../${KERNEL_MODULE}`, import.meta.url), 'utf8');
		expect(committed).toBe(kernelModuleText(await compileKernel()));
	}, 30_000);
});
