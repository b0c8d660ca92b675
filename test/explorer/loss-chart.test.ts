import {describe, expect, it} from 'vitest';
import {chartLines, stretch} from '../../source/explorer/components/loss-chart.js';

describe('the loss chart uses the width it has', () => {
	it('spreads a short series over the columns with straight lines between the epochs', () => {
		expect(stretch([4, 2, 3], 5)).toEqual([4, 3, 2, 2.5, 3]);
		expect(stretch([1, 2], 2)).toEqual([1, 2]);
	});

	it('20 epochs in 80 columns draw a curve across the whole plot, not its first 20 columns', () => {
		const losses = Array.from({length: 20}, (_, e) => 3.8 - 0.1 * e);
		const lines = chartLines(losses, 80, 10);
		// The lowest line holds the curve's end: at the right edge of the plot (80 columns minus the labels).
		const last = lines.at(-1)!;
		expect(last.trimEnd().length).toBeGreaterThanOrEqual(75);
		expect(lines[0]!.trimEnd().length).toBeLessThan(20);
	});
});
