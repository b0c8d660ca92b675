/**
 * Using the model: predictions and why they are uniform, entropy, ranking,
 * the sampling distribution (temperature, top-k, top-p), token choice, the
 * seeded generator and generation.
 */
import {describe, expect, it} from 'vitest';
import {encode, vocabularyFromTokens} from '../../source/text/vocabulary.js';
import {TrainingRun} from '../../source/models/table/run.js';
import type {ContextSize} from '../../source/models/table/model.js';
import {
	GREEDY,
	argmax,
	chooseToken,
	entropyBits,
	explainUniform,
	generate,
	generateWhileKnown,
	predict,
	rankTokens,
	samplingDistribution,
	seededRandom,
	softmaxOfShifted,
	softmaxWithTemperature,
	topK,
	topP,
	type DecodeOptions,
} from '../../source/models/sample.js';
import {softmax} from '../../source/reference.js';
import {lcg} from '../support/random.js';

/** Vocabulary a=0, b=1, c=2, d=3; "a b" is followed by c twice and by d once. */
const CORPUS = 'a b c a b d a b c'.split(' ');

function train(n: ContextSize, epochs = 30) {
	const vocabulary = vocabularyFromTokens(CORPUS);
	const ids = encode(vocabulary, CORPUS);
	const run = new TrainingRun(vocabulary, ids, n, 0.5);
	for (let e = 0; e < epochs; e++) run.epoch();
	return run.model;
}

const model2 = train(2);
const model0 = train(0);

const SAMPLE: DecodeOptions = {mode: 'sample', temperature: 1, topK: 0, topP: 1};
const noRandom = () => {
	throw new Error('greedy decoding must not draw a random number');
};

describe('predict', () => {
	it('is uniform with reason too-short when the prompt has fewer than n tokens', () => {
		const p = predict(model2, ['a']);
		expect(p.reason).toBe('too-short');
		expect(p.context).toEqual(['a']);
		expect(p.slot).toBe(-1);
		expect(p.row).toBeNull();
		expect(Array.from(p.probabilities)).toEqual([0.25, 0.25, 0.25, 0.25]);
		expect(Array.from(p.scores)).toEqual([0, 0, 0, 0]);
	});

	it('is uniform with reason unknown-token and lists the unknown tokens of the context', () => {
		const p = predict(model2, ['a', 'xx', 'yy']);
		expect(p.reason).toBe('unknown-token');
		expect(p.context).toEqual(['xx', 'yy']);
		expect(p.unknown).toEqual(['xx', 'yy']);
		expect(p.row).toBeNull();
		expect(Array.from(p.probabilities)).toEqual([0.25, 0.25, 0.25, 0.25]);
	});

	it('looks only at the last n tokens, so an unknown token earlier does not matter', () => {
		const p = predict(model2, ['zz', 'a', 'b']);
		expect(p.reason).toBeUndefined();
		expect(p.context).toEqual(['a', 'b']);
		expect(p.row).toBe('a|b');
	});

	it('lists only the unknown ones when the context mixes known and unknown tokens', () => {
		const p = predict(model2, ['a', 'qq']);
		expect(p.reason).toBe('unknown-token');
		expect(p.unknown).toEqual(['qq']);
	});

	it('is uniform with reason unseen-context for known tokens that never occur together', () => {
		const p = predict(model2, ['a', 'a']);
		expect(p.reason).toBe('unseen-context');
		expect(p.slot).toBe(-1);
		expect(p.row).toBeNull();
		expect(Array.from(p.probabilities)).toEqual([0.25, 0.25, 0.25, 0.25]);
	});

	it('uses the stored row of a seen context, labelled a|b', () => {
		const p = predict(model2, ['c', 'a', 'b']);
		expect(p.reason).toBeUndefined();
		expect(p.row).toBe('a|b');
		expect(p.slot).toBe(model2.slotOf([0, 1]));
		expect(p.slot).toBeGreaterThanOrEqual(0);
		expect(Array.from(p.scores)).toEqual(Array.from(model2.scores(p.slot)));
		// after "a b" came c twice and d once: c most likely, then d, then a and b
		expect(rankTokens(p.probabilities)).toEqual([2, 3, 0, 1]);
		expect(p.probabilities[0]).toBe(p.probabilities[1]);
		expect(p.probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
	});

	it('labels the single row of a unigram model (no context)', () => {
		const p = predict(model0, ['anything', 'at', 'all']);
		expect(p.context).toEqual([]);
		expect(p.row).toBe('(no context)');
		expect(p.slot).toBe(0);
		// unigram: every token is a target; a and b occur 3 times, c twice, d once
		expect(rankTokens(p.probabilities).slice(2)).toEqual([2, 3]);
		expect(Math.min(p.probabilities[0]!, p.probabilities[1]!)).toBeGreaterThan(p.probabilities[2]!);
	});

	it('needs no prompt at all for a unigram model', () => {
		expect(predict(model0, []).row).toBe('(no context)');
	});
});

describe('explainUniform', () => {
	it('explains each reason in a sentence', () => {
		expect(explainUniform(model2, predict(model2, ['a']))).toBe(
			'the prompt has 1 token; this model reads the previous 2, so every next token is equally likely',
		);
		expect(explainUniform(model2, predict(model2, []))).toBe(
			'the prompt has 0 tokens; this model reads the previous 2, so every next token is equally likely',
		);
		expect(explainUniform(model2, predict(model2, ['a', 'qq']))).toBe(
			'"qq" is not in the vocabulary, so every next token is equally likely',
		);
		expect(explainUniform(model2, predict(model2, ['xx', 'yy']))).toBe(
			'"xx", "yy" are not in the vocabulary, so every next token is equally likely',
		);
		expect(explainUniform(model2, predict(model2, ['a', 'a']))).toBe(
			'the context "a|a" never occurs in the training corpus, so its row is all zeros and every next token is equally likely',
		);
	});

	it('is empty for a prediction from a stored row', () => {
		expect(explainUniform(model2, predict(model2, ['a', 'b']))).toBe('');
	});
});

describe('entropyBits', () => {
	it('is 3 bits for a uniform distribution over 8', () => {
		expect(entropyBits(new Array(8).fill(1 / 8))).toBe(3);
	});

	it('is 0 for a certain outcome', () => {
		expect(entropyBits([0, 1, 0])).toBe(0);
	});

	it('is 1 bit for a fair coin and 1.5 bits for 1/2, 1/4, 1/4', () => {
		expect(entropyBits([0.5, 0.5])).toBe(1);
		expect(entropyBits([0.5, 0.25, 0.25])).toBe(1.5);
	});

	it('is 2 bits for the uniform prediction of a 4-token model', () => {
		expect(entropyBits(predict(model2, ['a', 'a']).probabilities)).toBe(2);
	});
});

describe('rankTokens', () => {
	it('orders ids by probability, highest first', () => {
		expect(rankTokens([0.1, 0.6, 0.3])).toEqual([1, 2, 0]);
	});

	it('breaks ties by the lowest id', () => {
		expect(rankTokens([0.2, 0.3, 0.2, 0.3])).toEqual([1, 3, 0, 2]);
		expect(rankTokens([0.25, 0.25, 0.25, 0.25])).toEqual([0, 1, 2, 3]);
	});

	it('keeps at most limit ids, none for a limit of 0 or below', () => {
		expect(rankTokens([0.1, 0.6, 0.3], 2)).toEqual([1, 2]);
		expect(rankTokens([0.1, 0.6, 0.3], 0)).toEqual([]);
		expect(rankTokens([0.1, 0.6, 0.3], -1)).toEqual([]);
		expect(rankTokens([0.1, 0.6, 0.3], 10)).toEqual([1, 2, 0]);
	});
});

describe('argmax', () => {
	it('finds the most likely id', () => {
		expect(argmax([0.1, 0.2, 0.7])).toBe(2);
	});

	it('takes the lowest id on a tie', () => {
		expect(argmax([0.3, 0.3, 0.1])).toBe(0);
		expect(argmax([0.1, 0.4, 0.4])).toBe(1);
	});
});

describe('samplingDistribution', () => {
	// softmax of these scores is 1/2, 1/4, 1/8, 1/8
	const scores = [Math.log(4), Math.log(2), 0, 0];
	const close = (actual: number[], expected: number[]) => {
		expect(actual.length).toBe(expected.length);
		actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12));
	};

	it('keeps every token, most likely first, with temperature 1 and no cut', () => {
		const d = samplingDistribution(scores, SAMPLE);
		expect(d.ids).toEqual([0, 1, 2, 3]);
		close(d.probabilities, [1 / 2, 1 / 4, 1 / 8, 1 / 8]);
	});

	it('top-k 2 keeps the two most likely, renormalized to 2/3 and 1/3', () => {
		const d = samplingDistribution(scores, {...SAMPLE, topK: 2});
		expect(d.ids).toEqual([0, 1]);
		close(d.probabilities, [2 / 3, 1 / 3]);
	});

	it('top-k 1 keeps only the most likely token', () => {
		const d = samplingDistribution(scores, {...SAMPLE, topK: 1});
		expect(d.ids).toEqual([0]);
		expect(d.probabilities).toEqual([1]);
	});

	it('top-p keeps the fewest tokens whose mass reaches p', () => {
		const p04 = samplingDistribution(scores, {...SAMPLE, topP: 0.4});
		expect(p04.ids).toEqual([0]);
		expect(p04.probabilities).toEqual([1]);
		const p06 = samplingDistribution(scores, {...SAMPLE, topP: 0.6});
		expect(p06.ids).toEqual([0, 1]);
		close(p06.probabilities, [2 / 3, 1 / 3]);
		const p08 = samplingDistribution(scores, {...SAMPLE, topP: 0.8});
		expect(p08.ids).toEqual([0, 1, 2]);
		close(p08.probabilities, [4 / 7, 2 / 7, 1 / 7]);
		const p09 = samplingDistribution(scores, {...SAMPLE, topP: 0.9});
		expect(p09.ids).toEqual([0, 1, 2, 3]);
	});

	it('applies top-p to the mass left after top-k', () => {
		// top-3 keeps 7/8; 0.8 of that is 0.7, reached by 1/2 + 1/4
		const d = samplingDistribution(scores, {...SAMPLE, topK: 3, topP: 0.8});
		expect(d.ids).toEqual([0, 1]);
		close(d.probabilities, [2 / 3, 1 / 3]);
	});

	it('divides scores by the temperature: 2 flattens 16:4:1:1 to 4:2:1:1', () => {
		const sharp = [Math.log(16), Math.log(4), 0, 0];
		const d = samplingDistribution(sharp, {...SAMPLE, temperature: 2});
		expect(d.ids).toEqual([0, 1, 2, 3]);
		close(d.probabilities, [4 / 8, 2 / 8, 1 / 8, 1 / 8]);
	});

	it('sharpens with a temperature below 1: 0.5 turns 4:2:1:1 into 16:4:1:1', () => {
		const d = samplingDistribution(scores, {...SAMPLE, temperature: 0.5});
		close(d.probabilities, [16 / 22, 4 / 22, 1 / 22, 1 / 22]);
	});

	it('orders tied tokens by the lowest id', () => {
		const d = samplingDistribution([0, 1, 0, 1], SAMPLE);
		expect(d.ids).toEqual([1, 3, 0, 2]);
	});
});

describe('chooseToken', () => {
	const scores = [Math.log(4), Math.log(2), 0, 0];
	const fixed = (u: number) => () => u;

	it('greedy takes the most likely token without drawing a number', () => {
		expect(chooseToken([0, 2, 1], GREEDY, noRandom)).toBe(1);
		expect(chooseToken([1, 1, 0], GREEDY, noRandom)).toBe(0);
	});

	it('sampling at temperature 0 is greedy', () => {
		expect(chooseToken([0, 2, 1], {...SAMPLE, temperature: 0}, noRandom)).toBe(1);
	});

	it('sampling picks the token whose cumulative interval holds the draw', () => {
		// intervals: id 0 [0, .5), id 1 [.5, .75), id 2 [.75, .875), id 3 [.875, 1)
		expect(chooseToken(scores, SAMPLE, fixed(0))).toBe(0);
		expect(chooseToken(scores, SAMPLE, fixed(0.49))).toBe(0);
		expect(chooseToken(scores, SAMPLE, fixed(0.6))).toBe(1);
		expect(chooseToken(scores, SAMPLE, fixed(0.8))).toBe(2);
		expect(chooseToken(scores, SAMPLE, fixed(0.9))).toBe(3);
		expect(chooseToken(scores, SAMPLE, fixed(0.999999))).toBe(3);
	});

	it('samples only among the top-k tokens', () => {
		// top-2: id 0 [0, 2/3), id 1 [2/3, 1)
		expect(chooseToken(scores, {...SAMPLE, topK: 2}, fixed(0.6))).toBe(0);
		expect(chooseToken(scores, {...SAMPLE, topK: 2}, fixed(0.7))).toBe(1);
		expect(chooseToken(scores, {...SAMPLE, topK: 2}, fixed(0.99))).toBe(1);
	});
});

describe('seededRandom', () => {
	const first = (seed: number, count: number) => {
		const random = seededRandom(seed);
		return Array.from({length: count}, () => random());
	};

	it('gives the same sequence for the same seed', () => {
		expect(first(7, 20)).toEqual(first(7, 20));
	});

	it('gives different sequences for different seeds', () => {
		const seeds = [0, 1, 2, 42, 1000, 2 ** 32 + 7];
		const starts = seeds.map((s) => first(s, 3).join(','));
		expect(new Set(starts).size).toBe(seeds.length);
	});

	it('returns values in [0, 1)', () => {
		const random = seededRandom(123);
		let min = 1;
		let max = 0;
		for (let i = 0; i < 10000; i++) {
			const u = random();
			min = Math.min(min, u);
			max = Math.max(max, u);
			if (!(u >= 0 && u < 1)) expect.fail(`value ${u} outside [0, 1)`);
		}
		// 10000 draws spread over the interval
		expect(min).toBeLessThan(0.01);
		expect(max).toBeGreaterThan(0.99);
	});

	// These values come from an independent Python implementation of sfc32
	// with the seed's low and high 32 bits as its first two words, the third
	// 0x9e3779b9 and the counter 1, 15 draws discarded, doubles built from
	// 27 + 26 bits as (a >> 5) * 2^26 + (b >> 6) over 2^53.
	it('gives the pinned first five values for seed 0', () => {
		expect(first(0, 5)).toEqual([0.7683905542347281, 0.048316842803767246, 0.04500053875174681, 0.3948122513542338, 0.5556036648568146]);
	});

	it('gives the pinned first five values for seed 42', () => {
		expect(first(42, 5)).toEqual([0.9066156002415592, 0.7557707351759388, 0.5034510364228689, 0.15968129172438594, 0.5461449183604248]);
	});

	it('uses the bits above 2^32 of a seed', () => {
		expect(first(2 ** 32 + 7, 5)).toEqual([0.1285411399927049, 0.19635224922177008, 0.6694434633486432, 0.9397958001232833, 0.7415615776020759]);
		expect(first(2 ** 32 + 7, 5)).not.toEqual(first(7, 5));
	});
});

describe('generate', () => {
	it('greedy continues the most likely path: a b -> c a b c', () => {
		expect(generate(model2, ['a', 'b'], 4, GREEDY, noRandom)).toEqual(['c', 'a', 'b', 'c']);
	});

	it('greedy from an unseen context takes token id 0 of the uniform row', () => {
		expect(generate(model2, ['a', 'a'], 3, GREEDY, noRandom)).toEqual(['a', 'a', 'a']);
	});

	it('returns nothing for a count of 0 and does not change the prompt', () => {
		const prompt = ['a', 'b'];
		expect(generate(model2, prompt, 0, GREEDY, noRandom)).toEqual([]);
		generate(model2, prompt, 3, GREEDY, noRandom);
		expect(prompt).toEqual(['a', 'b']);
	});

	it('is reproducible with a fixed seed', () => {
		const options: DecodeOptions = {mode: 'sample', temperature: 1.5, topK: 0, topP: 1};
		const one = generate(model2, ['a', 'b'], 40, options, seededRandom(42));
		const two = generate(model2, ['a', 'b'], 40, options, seededRandom(42));
		expect(one).toHaveLength(40);
		expect(two).toEqual(one);
		for (const token of one) expect(['a', 'b', 'c', 'd']).toContain(token);
	});

	it('draws one random number per sampled token', () => {
		let draws = 0;
		const random = seededRandom(3);
		generate(model2, ['a', 'b'], 7, SAMPLE, () => {
			draws++;
			return random();
		});
		expect(draws).toBe(7);
	});
});

describe('rankTokens on a large vocabulary', () => {
	it('picks the same top k as a full sort, ties to the lowest id', () => {
		let x = 1;
		const random = () => ((x = (Math.imul(x, 48271) >>> 0) % 2147483647) / 2147483647);
		for (let trial = 0; trial < 200; trial++) {
			const V = 50 + Math.floor(random() * 3000);
			// Few distinct values, so ties are common.
			const p = Float64Array.from({length: V}, () => Math.floor(random() * 20) / 20);
			const k = 1 + Math.floor(random() * 12);
			const full = Array.from({length: V}, (_, j) => j).sort((a, b) => p[b]! - p[a]! || a - b).slice(0, k);
			expect(rankTokens(p, k)).toEqual(full);
		}
	});
});

describe('decoding, step by step', () => {
	it('temperature 0.5 squares the odds: probabilities 0.8 and 0.2 (odds 4:1) become 16:1', () => {
		const scores = [Math.log(0.8), Math.log(0.2)];
		const p = softmaxWithTemperature(scores, 0.5);
		expect(p[0]! / p[1]!).toBeCloseTo(16, 10);
	});

	it('top-k keeps the k most likely; top-p the fewest that reach p', () => {
		const probabilities = [0.1, 0.5, 0.3, 0.1];
		const ranked = [1, 2, 0, 3];
		expect(topK(ranked, 2)).toEqual([1, 2]);
		expect(topK(ranked, 0)).toEqual([1, 2, 0, 3]);
		// 0.5 < 0.7, 0.5 + 0.3 = 0.8 ≥ 0.7: two tokens.
		expect(topP(ranked, 0.7, probabilities)).toEqual([1, 2]);
		expect(topP(ranked, 1, probabilities)).toEqual([1, 2, 0, 3]);
	});
});

describe('generateWhileKnown', () => {
	it('stops before a token chosen from no row, and returns that prediction', () => {
		const tokens = 'a b c d'.split(' ');
		const vocabulary = vocabularyFromTokens(tokens);
		const run = new TrainingRun(vocabulary, encode(vocabulary, tokens), 1, 0.5);
		for (let e = 0; e < 30; e++) run.epoch();
		// a → b → c → d, and "d" is never followed by anything: the bigram has no row for it.
		const {tokens: generated, stoppedAt} = generateWhileKnown(run.model, ['a'], 5, GREEDY, noRandom);
		expect(generated).toEqual(['b', 'c', 'd']);
		expect(stoppedAt?.reason).toBe('unseen-context');
		expect(stoppedAt?.context).toEqual(['d']);
		// generate, the headless command's, goes on from the uniform row: the lowest id, "a".
		expect(generate(run.model, ['a'], 5, GREEDY, noRandom)).toEqual(['b', 'c', 'd', 'a', 'b']);
	});
});

describe('sampling at every temperature the flag accepts, and with extreme weights', () => {
	const SMALLEST = 1e-310; // below 2^-1022: --temperature accepts it
	const bits = (p: ArrayLike<number>) => Array.from(p);

	it('a temperature of 1e-310 puts all the mass on the highest score (it was NaN)', () => {
		expect(bits(softmaxWithTemperature([0, 2, 1], SMALLEST))).toEqual([0, 1, 0]);
		expect(bits(softmaxWithTemperature([-3, -1, -2], SMALLEST))).toEqual([0, 1, 0]);
		// Scores that divide to -Infinity only: still the highest.
		expect(bits(softmaxWithTemperature([-1e306, -2e306], 1e-3))).toEqual([1, 0]);
	});

	it('sampling at 1e-310 draws the highest score whatever the draw (it took the last candidate)', () => {
		for (const u of [0, 0.5, 0.999999]) expect(chooseToken([0, 2, 1], {...SAMPLE, temperature: SMALLEST}, () => u)).toBe(1);
		const d = samplingDistribution([0, 2, 1], {...SAMPLE, temperature: SMALLEST});
		expect(d).toEqual({ids: [1, 0, 2], probabilities: [1, 0, 0]});
	});

	it('tokens tied at the highest score share it, at 1e-310 as at 1e-300', () => {
		expect(bits(softmaxWithTemperature([2, 0, 2], 1e-300))).toEqual([0.5, 0, 0.5]);
		expect(bits(softmaxWithTemperature([2, 0, 2], SMALLEST))).toEqual([0.5, 0, 0.5]);
	});

	it('scores near ±1e306 at a small temperature keep the highest (they overflowed to NaN)', () => {
		expect(bits(softmaxWithTemperature([5e305, 1e306, -1e306], 0.001))).toEqual([0, 1, 0]);
		expect(chooseToken([5e305, 1e306, -1e306], {...SAMPLE, temperature: 0.001}, () => 0.999)).toBe(1);
	});

	it('a row whose max minus min overflows gives the min no mass', () => {
		expect(1.5e308 - -1.5e308).toBe(Infinity);
		expect(bits(softmaxWithTemperature([-1.5e308, 0, 1.5e308], 1))).toEqual([0, 0, 1]);
		expect(bits(softmaxWithTemperature([-1.5e308, 0, 1.5e308], 0.5))).toEqual([0, 0, 1]);
		expect(chooseToken([-1.5e308, 0, 1.5e308], {...SAMPLE, temperature: 0.5}, () => 0.999)).toBe(2);
	});

	it('softmaxOfShifted is softmax(scores / T) bit for bit where the divisions are exact', () => {
		const random = lcg(15);
		for (let trial = 0; trial < 500; trial++) {
			const V = 1 + Math.floor(random() * 12);
			const scores = Array.from({length: V}, () => (random() - 0.5) * 2 ** Math.floor(random() * 20 - 8));
			const T = 2 ** Math.floor(random() * 12 - 8);
			const plain = softmax(scores.map((s) => s / T));
			const shifted = softmaxOfShifted(scores, T);
			expect(Buffer.from(shifted.buffer)).toEqual(Buffer.from(plain.buffer));
		}
	});

	it('softmaxWithTemperature takes the plain path for ordinary scores: softmax(scores / T) bit for bit', () => {
		const random = lcg(16);
		for (let trial = 0; trial < 200; trial++) {
			const scores = Array.from({length: 7}, () => (random() - 0.5) * 40);
			const T = [0.1, 0.3, 0.7, 1, 1.5, 3, 100][trial % 7]!;
			const plain = softmax(scores.map((s) => s / T));
			expect(Buffer.from(softmaxWithTemperature(scores, T).buffer)).toEqual(Buffer.from(plain.buffer));
		}
	});
});
