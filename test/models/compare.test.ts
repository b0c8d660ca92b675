import {describe, expect, it} from 'vitest';
import {readComparison, trainContexts, viewOf, type ContextView} from '../../source/models/compare.js';
import {corpusFromBytes} from '../../source/text/corpus.js';
import type {ContextSize} from '../../source/models/table/model.js';
import {MODEL_KINDS} from '../../source/models/table/model.js';

/** A view with a hand-made distribution over `V` tokens: `top` as given, the rest shared equally. */
function view(n: ContextSize, probabilities: number[], best = 'a', row: string | null = 'row'): ContextView {
	const entropy = -probabilities.filter((p) => p > 0).reduce((h, p) => h + p * Math.log2(p), 0);
	return {
		n,
		kind: MODEL_KINDS[n],
		context: [],
		row,
		reason: row === null ? 'unseen-context' : undefined,
		explanation: '',
		top: [{id: 0, token: best, probability: Math.max(...probabilities)}],
		entropy,
		best,
		bestProbability: Math.max(...probabilities),
		vocabSize: probabilities.length,
		tiedWithLast: probabilities.filter((p) => p === Math.max(...probabilities)).length,
	};
}

const uniform4 = [0.25, 0.25, 0.25, 0.25];
const certain = [1, 0, 0, 0];

describe('reading a comparison', () => {
	it('all equal: more context does not help, and says they agree', () => {
		const text = readComparison([0, 1, 2, 3].map((n) => view(n as ContextSize, uniform4)));
		expect(text).toBe('More context does not help here: every model is equally unsure (2.00 bits) and they agree on "a".');
	});

	it('one certain (context-3 only): says only context-3 is certain', () => {
		const text = readComparison([view(0, uniform4), view(1, uniform4), view(2, [0.5, 0.5, 0, 0]), view(3, certain, 'sat')]);
		expect(text).toBe('Only context-3 is certain: 3 words of context pin the next token to "sat", where the unigram spreads over 2.00 bits.');
	});

	it('context helps only from 2: names context-2 and up', () => {
		const text = readComparison([view(0, uniform4), view(1, [0.5, 0.5, 0, 0]), view(2, certain, 'mat'), view(3, certain, 'mat')]);
		expect(text).toBe('Only context-2 and up are certain: 2 words of context pin the next token to "mat", where the unigram spreads over 2.00 bits.');
	});

	it('helps, then stops: the extra word of context-3 changes nothing', () => {
		const text = readComparison([view(0, uniform4, 'the'), view(1, [0.7, 0.1, 0.1, 0.1], 'cat'), view(2, [0.6, 0.4, 0, 0], 'cat'), view(3, [0.6, 0.4, 0, 0], 'cat')]);
		expect(text).toBe(
			'More context helps here: entropy falls from 2.00 bits (the unigram) to 0.97 bits (context-2); the extra word of context-3 changes nothing, and the most likely token moves from "the" (the unigram) to "cat" (the bigram).',
		);
	});

	it('says when the longer contexts have no row', () => {
		const text = readComparison([view(0, uniform4), view(1, [0.7, 0.1, 0.1, 0.1]), view(2, uniform4, 'a', null), view(3, uniform4, 'a', null)]);
		expect(text).toContain('Context-2 and context-3 have no row for it (that context never occurs in the corpus), so they guess uniformly.');
		expect(text).toContain('entropy falls from 2.00 bits (the unigram) to 1.36 bits (the bigram)');
	});

	it('says when no model has a row', () => {
		const views = [0, 1, 2, 3].map((n) => view(n as ContextSize, uniform4, 'a', null));
		expect(readComparison(views)).toMatch(/^No model has seen this context/);
	});
});

describe('comparing real models', () => {
	it('on a corpus where two words decide the next one, context-2 is certain and the bigram is not', () => {
		const corpus = corpusFromBytes('c.txt', Buffer.from('a x b\nc x d\na x b\nc x d\na x b\nc x d\n'));
		const models = trainContexts(corpus, 200, 0.5);
		const views = models.map(({model}) => viewOf(model, ['a', 'x'], 3));
		expect(views.map((v) => v.kind)).toEqual(['unigram', 'bigram', 'context2', 'context3']);
		expect(views[1]!.row).toBe('x');
		expect(views[2]!.row).toBe('a|x');
		expect(views[2]!.best).toBe('b');
		expect(views[2]!.entropy).toBeLessThan(views[1]!.entropy - 0.5);
		expect(views[3]!.row).toBeNull();
		expect(views[3]!.reason).toBe('too-short');
	});
});

describe('reading a comparison where the extra word does not help', () => {
	it('says so when the longer context is no surer', () => {
		const text = readComparison([view(0, uniform4, 'the'), view(1, [0.5, 0.5, 0, 0], 'sat'), view(2, [0.4, 0.4, 0.2, 0], 'sat'), view(3, [0.4, 0.4, 0.2, 0], 'sat')]);
		expect(text).toBe(
			'More context helps here: entropy falls from 2.00 bits (the unigram) to 1.00 bits (the bigram); more words do not help (context-2, 1.52 bits; context-3, 1.52 bits: each of their rows has seen fewer examples), and the most likely token moves from "the" (the unigram) to "sat" (the bigram).',
		);
	});
});

describe('reading a comparison where the unigram is surest', () => {
	it('says more context does not help, without claiming a fall', () => {
		const text = readComparison([view(0, [0.5, 0.5, 0, 0], 'the'), view(1, uniform4), view(2, uniform4), view(3, uniform4)]);
		expect(text).toBe(
			'More context does not help here: the unigram is the least unsure (1.00 bits), and the longer contexts are no surer (the bigram, 2.00 bits; context-2, 2.00 bits; context-3, 2.00 bits: each of their rows has seen fewer examples).',
		);
	});
});

describe('a reading that agrees with the columns it reads', () => {
	// "the cow eats the": context-2 is surest with "dry", context-3 less sure but picks "green" (83.1%), the corpus's own next word.
	const cow = [
		view(0, [0.3, 0.3, 0.2, 0.2], 'the'),
		view(1, [0.5, 0.3, 0.1, 0.1], 'dry'),
		view(2, [0.97, 0.01, 0.01, 0.01], 'dry'),
		view(3, [0.831, 0.069, 0.05, 0.05], 'green'),
	];

	it('never calls a longer context unhelpful when it picks another token; names each model\'s answer', () => {
		const text = readComparison(cow);
		expect(text).not.toMatch(/context-3[^.]*does not help|more words do not help/);
		expect(text).toBe(
			'More context helps here: entropy falls from 1.97 bits (the unigram) to 0.24 bits (context-2); context-3 is at 0.92 bits, and the most likely token moves from "the" (the unigram) to "dry" (the bigram) to "green" (context-3).',
		);
	});

	it('says "still training" instead of concluding while a model\'s loss is still falling', () => {
		const text = readComparison(cow, (n) => (n === 3 ? {falling: {drop: 0.0997, over: 5}} : {}));
		expect(text).toMatch(/^Still training, no conclusion yet: context-3's loss fell 10\.0% over its last 5 epochs/);
		expect(text).not.toMatch(/helps|does not help/);
		expect(text).toBe("Still training, no conclusion yet: context-3's loss fell 10.0% over its last 5 epochs, so more epochs (--epochs) would still change its distribution.");
	});

	it('says when whether a model settled is not known', () => {
		const text = readComparison(cow, (n) => (n === 2 ? {unknown: 'read from the artifacts, whose training log is not read here'} : {}));
		expect(text).toContain('(context-2: read from the artifacts, whose training log is not read here.)');
	});
});

describe('viewOf', () => {
	it('counts every token tied at the last listed probability', () => {
		const corpus = corpusFromBytes('t.txt', Buffer.from('a b a c a b a d\n'));
		const [, bigram] = trainContexts(corpus, 5, 0.1);
		// After "d" the bigram has no row: all four tokens tie at 25%.
		const unseen = viewOf(bigram!.model, ['d'], 2);
		expect(unseen.top.map((t) => t.probability)).toEqual([0.25, 0.25]);
		expect(unseen.tiedWithLast).toBe(4);
	});
});
