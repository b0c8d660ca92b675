import {describe, expect, it} from 'vitest';
import {percent} from '../../source/explorer/text.js';

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
