import {describe, expect, it} from 'vitest';
import {percent, percentWithin} from '../../source/explorer/text.js';

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

