/**
 * The braille scatter plot (source/explorer/components/scatter.ts): exact
 * frames worked out by hand, the box's size kept whatever the points and
 * labels, and the labels' places (never overlapping, never touching, the
 * highlighted point's first).
 */
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {scatterLines, type ScatterFrame, type ScatterPoint} from '../../source/explorer/components/scatter.js';

/** Points from [x, y, label] triples. */
function points(...triples: [number, number, string][]): ScatterPoint[] {
	return triples.map(([x, y, label]) => ({x, y, label}));
}

/** A cloud of `count` points with labels of 1 to 6 columns, some of them wide, from a small fixed generator. */
function cloud(count: number, seed: number): ScatterPoint[] {
	let state = seed;
	const next = () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
	const words = ['a', 'cat', 'dog', 'the', 'mat', 'rug', '猫', 'sat on', '狗狗', 'é', 'and'];
	return Array.from({length: count}, (_, i) => ({x: next() * 10 - 5, y: next() * 3, label: words[i % words.length]!, highlight: i % 7 === 3}));
}

/** Every pair of labels on one line leaves at least one cell between them. */
function expectApart(frame: ScatterFrame): void {
	for (const a of frame.labels) {
		for (const b of frame.labels) {
			if (a === b || a.line !== b.line) continue;
			expect(a.column + a.width < b.column || b.column + b.width < a.column).toBe(true);
		}
	}
}

describe('the scatter plot', () => {
	it('three points in a 10×3 box: dots at the corners a dot in from the edge, labels right of them where they fit, else left', () => {
		// x 0..1 to dots 1..18 of 20, y 0..1 to dots 10..1 of 12 (y up).
		// cat (0, 0): dot (1, 10), cell (0, 2), right column third row: bit 5, ⠠.
		// dog (1, 1): dot (18, 1), cell (9, 0), left column second row: bit 1, ⠂; no room on the right, so left.
		// ox (1, 0): dot (18, 10), cell (9, 2), left column third row: bit 2, ⠄.
		const frame = scatterLines(points([0, 0, 'cat'], [1, 1, 'dog'], [1, 0, 'ox']), 10, 3);
		expect(frame.lines).toEqual(['      dog⠂', '          ', '⠠cat   ox⠄']);
		expect(frame.dots).toEqual([
			{line: 2, column: 0},
			{line: 0, column: 9},
			{line: 2, column: 9},
		]);
		expect(frame.labels).toEqual([
			{point: 0, line: 2, column: 1, width: 3},
			{point: 1, line: 0, column: 6, width: 3},
			{point: 2, line: 2, column: 7, width: 2},
		]);
	});

	it('puts the bits where braille has its dots: the right column and the bottom row', () => {
		// A 2×2 box is 4×8 dots: x 0..1 to dots 1..2, y 0..1 to dots 6..1.
		// (0, 0.6): dot (1, 3): cell (0, 0), right column bottom row, dot 8 (bit 7), ⢀.
		// (1, 1): dot (2, 1): cell (1, 0), dot 2 (bit 1), ⠂. (1, 0): dot (2, 6): cell (1, 1), dot 3 (bit 2), ⠄.
		const frame = scatterLines(points([0, 0.6, 'a'], [1, 1, 'b'], [1, 0, 'c']), 2, 2, {labels: false});
		expect(frame.lines).toEqual(['⢀⠂', ' ⠄']);
		expect(frame.labels).toEqual([]);
		// A 1×2 box, one dot across: the left column, dots 2, 7 and 3 (bits 1, 6, 2).
		expect(scatterLines(points([0, 1, ''], [0, 0.6, ''], [0, 0, '']), 1, 2).lines).toEqual(['⡂', '⠄']);
	});

	it('y grows upward: the point with the larger y is on an earlier line', () => {
		const frame = scatterLines(points([0, 5, 'high'], [0, -5, 'low']), 20, 6);
		expect(frame.dots[0]!.line).toBeLessThan(frame.dots[1]!.line);
		expect(frame.lines[0]).toContain('high');
		expect(frame.lines[5]).toContain('low');
	});

	it('one point, or all points equal, sit in the middle', () => {
		// The middle of 20 × 12 dots: dot (9, 6), cell (4, 1), right column third row, ⠠.
		expect(scatterLines(points([3, 7, 'a']), 10, 3).lines).toEqual(['          ', '    ⠠a    ', '          ']);
		// Three on one dot: the first label right of it, the second left, no room for the third.
		const frame = scatterLines(points([2, 2, 'a'], [2, 2, 'b'], [2, 2, 'c']), 10, 3);
		expect(frame.lines).toEqual(['          ', '   b⠠a    ', '          ']);
		expect(frame.labels.map((l) => l.point)).toEqual([0, 1]);
	});

	it('the highlighted point wins the place two labels want', () => {
		// Dots at cells 0 and 9 of one line: x's label right of its dot and y's left of its dot would overlap.
		const both = points([0, 0, 'xxxxxxx'], [1, 0, 'yyyyyyy']);
		expect(scatterLines(both, 10, 1).lines).toEqual(['⠠xxxxxxx ⠄']);
		const highlighted = [both[0]!, {...both[1]!, highlight: true}];
		const frame = scatterLines(highlighted, 10, 1);
		expect(frame.lines).toEqual(['⠠ yyyyyyy⠄']);
		expect(frame.labels).toEqual([{point: 1, line: 0, column: 2, width: 7}]);
	});

	it('keeps a cell between two labels, so they never read as one word', () => {
		// ab takes cells 1–2; cdefgh left of the dot at 9 would take 3–8, touching it.
		expect(scatterLines(points([0, 0, 'ab'], [1, 0, 'cdefgh']), 10, 1).lines).toEqual(['⠠ab      ⠄']);
		expect(scatterLines(points([0, 0, 'ab'], [1, 0, 'cdefg']), 10, 1).lines).toEqual(['⠠ab cdefg⠄']);
	});

	it('never covers a dot with a label', () => {
		// The middle point's dot (cell 4) is in the way of a's label right of it, and there is no room left of cell 0.
		const frame = scatterLines(points([0, 0, 'aaaaa'], [0.45, 0, 'b'], [1, 0, 'c']), 10, 1);
		expect(frame.lines).toEqual(['⠠   ⠠b  c⠄']);
		expect(frame.labels.map((l) => l.point)).toEqual([1, 2]);
	});

	it('measures labels in columns: a wide label fits when its columns do, and is left out when they do not', () => {
		// 6 columns, dots in cells 0 and 5: 4 columns between them.
		const fits = scatterLines(points([0, 0, '猫猫'], [1, 0, '']), 6, 1).lines;
		expect(fits).toEqual(['⠠猫猫⠄']);
		expect(stringWidth(fits[0]!)).toBe(6);
		expect(scatterLines(points([0, 0, '猫猫猫'], [1, 0, '']), 6, 1).lines).toEqual(['⠠    ⠄']);
	});

	it('leaves out a label holding a control character, and a point with a coordinate not finite', () => {
		const frame = scatterLines([...points([0, 0, 'a\nb'], [1, 1, 'ok']), {x: Number.NaN, y: 0, label: 'nan'}, {x: Infinity, y: 0, label: 'inf'}], 10, 2);
		expect(frame.labels.map((l) => l.point)).toEqual([1]);
		expect(frame.dots[2]).toBeNull();
		expect(frame.dots[3]).toBeNull();
		expect(frame.lines.join('')).not.toMatch(/nan|inf|\n/);
	});

	it('no points is a blank box; a size below 1 is no lines or empty lines', () => {
		expect(scatterLines([], 4, 2)).toEqual({lines: ['    ', '    '], dots: [], labels: []});
		expect(scatterLines(points([0, 0, 'a']), 3, 0)).toEqual({lines: [], dots: [null], labels: []});
		expect(scatterLines(points([0, 0, 'a']), 0, 2)).toEqual({lines: ['', ''], dots: [null], labels: []});
		expect(scatterLines(points([0, 0, 'a']), -3, Number.NaN).lines).toEqual([]);
		expect(scatterLines(points([0, 0, 'a']), 4.9, 1.5).lines).toEqual([' ⠠a ']);
	});

	it('every line is exactly the box width, and labels neither overlap nor touch, for clouds of every size', () => {
		for (const [count, width, height, seed] of [
			[1, 1, 1, 1],
			[5, 3, 2, 2],
			[40, 20, 6, 3],
			[200, 60, 16, 4],
			[500, 80, 24, 5],
		] as const) {
			const frame = scatterLines(cloud(count, seed), width, height);
			expect(frame.lines).toHaveLength(height);
			for (const line of frame.lines) expect(stringWidth(line)).toBe(width);
			expectApart(frame);
			for (const label of frame.labels) {
				expect(label.column).toBeGreaterThanOrEqual(0);
				expect(label.column + label.width).toBeLessThanOrEqual(width);
			}
		}
	});

	it('labels the highlighted points first', () => {
		const frame = scatterLines(cloud(200, 9), 60, 16);
		const highlighted = frame.labels.filter((l) => l.point % 7 === 3);
		expect(highlighted.length).toBeGreaterThan(0);
		expect(frame.labels.slice(0, highlighted.length)).toEqual(highlighted);
	});
});
