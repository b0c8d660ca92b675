/** Holding out the last lines of a corpus: which lines, which tokens, which pairs, and the refusals. */
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {holdoutSplit, nonBlankLineStarts, roundHalfEven} from '../../source/text/split.js';

const corpus = (text: string) => corpusFromBytes('c.txt', Buffer.from(text));

describe('roundHalfEven', () => {
	it('rounds as Python round() does: ties to the even number', () => {
		expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 0.1 * 25, 0.1 * 35].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 2, 4]);
	});
});

describe('nonBlankLineStarts', () => {
	it('counts lines as num_lines does: \\n, \\r\\n and \\r end a line; a line of only spaces is blank', () => {
		const text = 'a b\r\n\r\n  \t\nc\rd e\n\nf';
		expect(nonBlankLineStarts(text).map((start) => text.slice(start, start + 3))).toEqual(['a b', 'c\rd', 'd e', 'f']);
		expect(corpus(text).numLines).toBe(4);
	});
});

describe('holdoutSplit', () => {
	// 10 non-blank lines of 3 tokens, a blank line between each.
	const ten = corpus(Array.from({length: 10}, (_, k) => `l${k}a l${k}b l${k}c`).join('\n\n') + '\n');

	it('holds out the last k = max(1, round-half-even(F·L)) non-blank lines, as one cut in the tokens', () => {
		expect(holdoutSplit(ten, 0.25, 2)).toEqual({fraction: 0.25, lines: 10, heldOutLines: 2, cut: 24, tokens: 30}); // 2.5 -> 2
		expect(holdoutSplit(ten, 0.35, 2).heldOutLines).toBe(4); // 3.5 -> 4
		expect(holdoutSplit(ten, 0.01, 2).heldOutLines).toBe(1); // at least one
		expect(ten.vocabulary.tokens[ten.ids[24]!]).toBe('l8a');
	});

	it('refuses a share outside (0, 0.9), a split with no line left to train on, and a side with no pair', () => {
		expect(() => holdoutSplit(ten, 0.9, 2)).toThrow('--holdout 0.9: the held-out share must be more than 0 and less than 0.9');
		expect(() => holdoutSplit(corpus('a b c\n'), 0.5, 1)).toThrow('--holdout 0.5 of corpus c.txt: it has 1 non-blank line, so holding out 1 line leaves none to train on');
		expect(() => holdoutSplit(corpus('a b c d\ne f\n'), 0.5, 2)).toThrow(
			'--holdout 0.5 of corpus c.txt: the last 1 line (2 tokens) hold no window of 3 tokens, so there is no held-out pair; hold out more',
		);
		expect(() => holdoutSplit(corpus('a\nb c d e\nf g h i\n'), 0.6, 1)).toThrow(
			'--holdout 0.6 of corpus c.txt: the first 1 line (1 token) hold no window of 2 tokens, so there is no training pair; hold out less',
		);
	});
});
