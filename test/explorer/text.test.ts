import {describe, expect, it} from 'vitest';
import {fixed, lossText, percent, percentWithin, perplexity, wrapText, wrapWithin} from '../../source/explorer/text.js';

describe('percent', () => {
	it('shows shares with the digits that tell them apart', () => {
		expect(percent(0.434)).toBe('43.4%');
		expect(percent(0.0052)).toBe('0.52%');
		expect(percent(0.000018)).toBe('0.0018%');
		expect(percent(0)).toBe('0%');
		expect(percent(1)).toBe('100%');
	});

	it('never shows 100% for less than all', () => {
		expect(percent(0.99978)).toBe('99.97%');
		expect(percent(0.999999)).toBe('99.99%');
		expect(percent(0.9995)).toBe('99.95%');
		expect(percent(0.9994)).toBe('99.9%');
	});
});

describe('percentWithin', () => {
	it('keeps a share that fits, and reads one too small for its columns as below the smallest that fits', () => {
		expect(percentWithin(0.434, 6)).toBe('43.4%');
		expect(percentWithin(0.0052, 6)).toBe('0.52%');
		expect(percentWithin(0.00052, 6)).toBe('0.052%');
		expect(percentWithin(0.000018, 6)).toBe('<0.01%'); // 0.0018% needs 7
		expect(percentWithin(0.000018, 7)).toBe('0.0018%');
		expect(percentWithin(1e-7, 8)).toBe('<0.0001%'); // 0.000010% needs 9
		expect(percentWithin(0, 6)).toBe('0%');
		for (let exponent = -12; exponent <= 0; exponent += 0.25) {
			for (const width of [6, 7, 8, 9]) {
				const p = 10 ** exponent;
				const text = percentWithin(p, width);
				expect(text.length, `${p} in ${width}`).toBeLessThanOrEqual(width);
				if (text.startsWith('<')) expect(p * 100).toBeLessThan(Number(text.slice(1, -1)));
			}
		}
	});
});


describe('numbers a learner can read', () => {
	it('percent never uses exponent notation, even for 1.6e-7 (0.000016%) or 1e-20', () => {
		expect(percent(1.6e-7)).toBe('0.000016%');
		expect(percent(1e-20)).toBe('<0.0000000001%');
		for (let exponent = -30; exponent < 0; exponent += 0.5) expect(percent(10 ** exponent)).not.toMatch(/e/);
	});

	it('a value that rounds to zero prints without a minus sign', () => {
		expect(fixed(-0.00001, 4)).toBe('0.0000');
		expect(fixed(-0, 2)).toBe('0.00');
		expect(fixed(-0.5, 1)).toBe('-0.5');
		expect(fixed(0.12345, 4)).toBe('0.1235');
	});

	it('a loss is shown in nats with its perplexity, exp(loss)', () => {
		expect(lossText(Math.log(4))).toBe('1.3863 nats (perplexity 4.00)');
		expect(lossText(0)).toBe('0.0000 nats (perplexity 1.00)');
		expect(perplexity(Math.log(2500))).toBe('2,500');
	});

	it('wraps at spaces and breaks a word longer than the line, cutting nothing', () => {
		expect(wrapText('a run writes the artifacts to /tmp/x/artifacts/', 20)).toEqual(['a run writes the', 'artifacts to', '/tmp/x/artifacts/']);
		expect(wrapText('abcdefghij klm', 4)).toEqual(['abcd', 'efgh', 'ij', 'klm']);
	});
});

describe('wrapWithin', () => {
	it('wraps at spaces in up to maxLines lines; the rest goes on the last line, cut with …', () => {
		expect(wrapWithin('the cat sat on the mat', 7, 3)).toEqual(['the cat', 'sat on', 'the mat']);
		expect(wrapWithin('the cat sat on the mat', 7, 2)).toEqual(['the cat', 'sat on…']);
		expect(wrapWithin('short', 20, 2)).toEqual(['short']);
	});
});
