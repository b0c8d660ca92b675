/**
 * The fast engine against the readable reference (source/reference.ts): a
 * plain full table of V^n rows of V weights, the softmax over every column,
 * every column updated. On many small random corpora, for n = 0..3, both
 * must agree bit for bit: every weight, every epoch's loss and accuracy.
 */
import {describe, expect, it} from 'vitest';
import {lcg} from '../../support/random.js';
import {vocabularyFromTokens, encode} from '../../../source/text/vocabulary.js';
import {TrainingRun} from '../../../source/models/table/run.js';
import {KERNEL_MIN_COLUMNS, type ContextSize} from '../../../source/models/table/model.js';
import {widestRow} from '../../../source/models/table/train.js';
import {trainFullTable} from '../../../source/reference.js';

/** A random corpus: skewed word choice so some contexts repeat and some rows grow wide. */
function randomCorpus(random: () => number, words: number, length: number): string[] {
	const tokens: string[] = [];
	for (let i = 0; i < length; i++) tokens.push(`w${Math.floor(random() ** 2 * words)}`);
	return tokens;
}

function expectBitIdentical(actual: number, expected: number, what: string): void {
	if (!Object.is(actual, expected)) expect.fail(`${what}: sparse ${actual} != full ${expected}`);
}

/** The run's log and every weight of its model, bit for bit those of the full table. */
function expectSameRun(run: TrainingRun, full: ReturnType<typeof trainFullTable>, what: string): void {
	run.log.forEach((entry, e) => {
		expectBitIdentical(entry.avgLoss, full.log[e]!.avgLoss, `${what} epoch ${e + 1} loss`);
		expectBitIdentical(entry.accuracy, full.log[e]!.accuracy, `${what} epoch ${e + 1} accuracy`);
	});
	const {model} = run;
	const {V, n} = model;
	for (let row = 0; row < V ** n; row++) {
		const context: number[] = [];
		for (let t = n - 1, r = row; t >= 0; t--, r = Math.floor(r / V)) context[t] = r % V;
		const scores = model.scores(model.slotOf(context));
		for (let j = 0; j < V; j++) expectBitIdentical(scores[j]!, full.weights[row * V + j]!, `${what} row ${row} column ${j}`);
	}
}

describe('sparse model equals the full table bit for bit', () => {
	// Small models train on WebAssembly (wasm-trainer.ts); trainStretch, in
	// JavaScript, trains the large ones: both are held to the full table.
	for (const [n, wasm] of ([0, 1, 2, 3] as ContextSize[]).flatMap((n) => [[n, true], [n, false]] as const)) {
		it(`context ${n}, ${wasm ? 'WebAssembly' : 'JavaScript'}: weights, losses and accuracies on 40 random corpora`, () => {
			const random = lcg(1000 + n);
			for (let trial = 0; trial < 40; trial++) {
				const words = 2 + Math.floor(random() * (n === 3 ? 9 : 20));
				const tokens = randomCorpus(random, words, n + 1 + Math.floor(random() * 120));
				const lr = [0.1, 0.5, 1.7, 0.01][trial % 4]!;
				const epochs = 1 + Math.floor(random() * 12);
				const vocabulary = vocabularyFromTokens(tokens);
				const ids = encode(vocabulary, tokens);
				const V = vocabulary.tokens.length;

				const full = trainFullTable(ids, V, n, lr, epochs);
				const run = new TrainingRun(vocabulary, ids, n, lr, wasm);
				for (let e = 0; e < epochs; e++) run.epoch();

				expectSameRun(run, full, `trial ${trial}`);
			}
		});
	}

	for (const [n, wasm] of ([0, 1, 2, 3] as ContextSize[]).flatMap((n) => [[n, true], [n, false]] as const)) {
		it(`context ${n}, ${wasm ? 'WebAssembly' : 'JavaScript'}, --shuffle: the pairs in Python's random.shuffle order every epoch, on 12 random corpora`, () => {
			const random = lcg(2000 + n);
			for (let trial = 0; trial < 12; trial++) {
				const words = 2 + Math.floor(random() * (n === 3 ? 9 : 20));
				const tokens = randomCorpus(random, words, n + 2 + Math.floor(random() * 120));
				const lr = [0.1, 0.5, 1.7][trial % 3]!;
				const epochs = 2 + Math.floor(random() * 6);
				const seed = trial * 7919;
				const vocabulary = vocabularyFromTokens(tokens);
				const ids = encode(vocabulary, tokens);
				const V = vocabulary.tokens.length;
				const full = trainFullTable(ids, V, n, lr, epochs, seed);
				const run = new TrainingRun(vocabulary, ids, n, lr, wasm);
				run.shuffle(seed);
				// Half the epochs by stretches, half pair by pair: the order is the epoch's, however it is walked.
				for (let e = 0; e < epochs; e++) {
					if (e % 2 === 0) run.epoch();
					else while (!run.step().finished);
				}
				expectSameRun(run, full, `trial ${trial}`);
			}
		});
	}

	it('--shuffle: a new run from zero (reset) visits the pairs in the same orders again', () => {
		const random = lcg(77);
		const tokens = randomCorpus(random, 12, 200);
		const vocabulary = vocabularyFromTokens(tokens);
		const ids = encode(vocabulary, tokens);
		const run = new TrainingRun(vocabulary, ids, 1, 0.5);
		run.shuffle(3);
		for (let e = 0; e < 3; e++) run.epoch();
		const first = run.log.map((entry) => entry.avgLoss);
		run.reset();
		for (let e = 0; e < 3; e++) run.epoch();
		expect(run.log.map((entry) => entry.avgLoss)).toEqual(first);
		// And not corpus order: the first epoch's loss differs from an unshuffled run's.
		const plain = new TrainingRun(vocabulary, ids, 1, 0.5);
		plain.epoch();
		expect(plain.log[0]!.avgLoss).not.toBe(first[0]);
	});

	it('stays identical with a vocabulary wide enough for long runs of shared columns', () => {
		const random = lcg(99);
		const tokens = randomCorpus(random, 3000, 2500);
		const vocabulary = vocabularyFromTokens(tokens);
		const ids = encode(vocabulary, tokens);
		const V = vocabulary.tokens.length;
		const full = trainFullTable(ids, V, 1, 0.3, 3);
		const run = new TrainingRun(vocabulary, ids, 1, 0.3);
		// Rows wide enough for the WebAssembly exponentials.
		expect(widestRow(run.model)).toBeGreaterThan(3 * KERNEL_MIN_COLUMNS);
		for (let e = 0; e < 3; e++) run.epoch();
		run.log.forEach((entry, e) => expectBitIdentical(entry.avgLoss, full.log[e]!.avgLoss, `epoch ${e + 1} loss`));
		for (let row = 0; row < V; row++) {
			const scores = run.model.scores(run.model.slotOf([row]));
			for (let j = 0; j < V; j++) expectBitIdentical(scores[j]!, full.weights[row * V + j]!, `row ${row} column ${j}`);
		}
	});

	it('single steps add up to whole epochs exactly', () => {
		const tokens = randomCorpus(lcg(5), 12, 200);
		const vocabulary = vocabularyFromTokens(tokens);
		const ids = encode(vocabulary, tokens);
		const whole = new TrainingRun(vocabulary, ids, 2, 0.1);
		const stepped = new TrainingRun(vocabulary, ids, 2, 0.1);
		for (let e = 0; e < 3; e++) {
			whole.epoch();
			for (let i = 0; i < stepped.pairCount; i++) stepped.step();
		}
		expect(Array.from(stepped.model.rows.weights)).toEqual(Array.from(whole.model.rows.weights));
		expect(Array.from(stepped.model.rows.shared)).toEqual(Array.from(whole.model.rows.shared));
		expect(stepped.log).toEqual(whole.log);
	});
});
