/**
 * The lesson --shuffle teaches: plain SGD in corpus order remembers the end
 * of the text best. A unigram on a text where "late" (10 times, all near the
 * end) is rarer than "often" (16 times, spread out) gives "late" 84% in corpus
 * order, the last thing it saw, and 8% when the pairs are shuffled, below
 * "often" (13%).
 */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';

function text(): string {
	const words: string[] = [];
	for (let i = 0; i < 200; i++) words.push(i % 13 === 0 ? 'often' : `filler${i % 7}`);
	for (let i = 0; i < 10; i++) words.push('late');
	return words.join(' ') + '\n';
}

describe('the unigram in corpus order and shuffled', () => {
	const corpus = corpusFromBytes('c.txt', Buffer.from(text()));
	const id = (token: string) => corpus.vocabulary.tokens.indexOf(token);
	const count = (token: string) => corpus.vocabulary.frequencies[id(token)]!;

	it('ranks the rarer token near the end above the commoner one in corpus order, and not when shuffled', () => {
		expect(count('often')).toBeGreaterThan(count('late'));
		const plain = new TrainingRun(corpus.vocabulary, corpus.ids, 0, 1);
		for (let e = 0; e < 5; e++) plain.epoch();
		const p = plain.model.probabilities(0);
		expect(p[id('late')]).toBeGreaterThan(0.8);
		expect(p[id('late')]).toBeGreaterThan(p[id('often')]!);

		const shuffled = new TrainingRun(corpus.vocabulary, corpus.ids, 0, 1);
		shuffled.shuffle(0);
		for (let e = 0; e < 5; e++) shuffled.epoch();
		const q = shuffled.model.probabilities(0);
		expect(q[id('often')]).toBeGreaterThan(q[id('late')]!);
		expect(q[id('late')]).toBeLessThan(0.1);
	});
});
