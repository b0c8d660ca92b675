/**
 * A scatter plot as plain text: points drawn as braille dots, their labels
 * beside them where there is room.
 *
 * Each terminal cell is a braille character, a grid of 2×4 dots: U+2800
 * plus one bit per raised dot, the left column's top three dots bits 0, 1, 2,
 * the right column's bits 3, 4, 5, and the bottom row's left and right dots
 * bits 6 and 7. So a box of w × h cells is a grid of 2w × 4h dots. The x and
 * y values are each scaled to fill that grid, less one dot at every edge (so
 * x and y have scales of their own, and a cloud fills the box whatever its
 * shape); y grows upward.
 *
 * Then the labels, highlighted points first, the rest in the order given:
 * each starts one cell right of its point's dot, or, if that does not fit,
 * ends one cell left of it, or is left out. A label only covers blank cells
 * (never a dot, so every point stays visible, nor another label) and keeps
 * one cell away from any other label, so two labels never read as one word.
 */
import stringWidth from 'string-width';

export interface ScatterPoint {
	readonly x: number;
	readonly y: number;
	/** Drawn as given: escape control characters first (visible() of source/text/escape.ts); a label holding one is left out. */
	readonly label: string;
	/** Labelled before the others, so it wins a place they both want. */
	readonly highlight?: boolean;
}

export interface ScatterOptions {
	/** Draw the labels (the default), or only the dots. */
	readonly labels?: boolean;
}

/** A cell of the box: its line (0 at the top) and its column (0 at the left). */
export interface ScatterCell {
	readonly line: number;
	readonly column: number;
}

/** A label drawn: whose it is, and the cells it covers (width columns from `column` on `line`). */
export interface ScatterLabel extends ScatterCell {
	/** The index of its point in the points given. */
	readonly point: number;
	readonly width: number;
}

export interface ScatterFrame {
	/** Exactly `height` lines of exactly `width` columns, plain text. */
	readonly lines: string[];
	/** dots[i]: the cell holding point i's dot, or null when it has none (a coordinate not finite, or a box of no cells). */
	readonly dots: (ScatterCell | null)[];
	/** The labels drawn, in the order they were placed. */
	readonly labels: ScatterLabel[];
}

/** BRAILLE_BIT[row][column]: the bit of the dot at that place in a cell's 4×2 grid. */
const BRAILLE_BIT = [
	[0x01, 0x08],
	[0x02, 0x10],
	[0x04, 0x20],
	[0x40, 0x80],
];
const BRAILLE_BLANK = 0x2800;

/** The scatter plot of `points` in a box of `width` × `height` cells (counts below 1 give an empty box, fractions are cut). */
export function scatterLines(points: readonly ScatterPoint[], width: number, height: number, options: ScatterOptions = {}): ScatterFrame {
	const columns = wholeCount(width);
	const rows = wholeCount(height);
	const canvas = new Canvas(columns, rows);
	const dots = placeDots(points, canvas);
	const labels: ScatterLabel[] = [];
	if (options.labels ?? true) {
		for (const point of labelOrder(points)) {
			const dot = dots[point];
			const label = points[point]!.label;
			if (dot === null || /\p{Cc}/u.test(label)) continue;
			const placed = placeLabel(canvas, dot, label);
			if (placed) labels.push({point, ...placed});
		}
	}
	return {lines: canvas.lines(), dots, labels};
}

/** A count of cells: whole, and 0 for anything below 1 (or not a number). */
function wholeCount(n: number): number {
	return n >= 1 ? Math.floor(n) : 0;
}

/**
 * The box's cells: the braille bits of the dots in each, and the label
 * text, if any, each covers. A label's first cell holds the whole label and
 * the others it covers hold '' (so a line is its cells joined).
 */
class Canvas {
	readonly columns: number;
	readonly height: number;
	readonly bits: Uint8Array;
	readonly text: (string | null)[];

	constructor(columns: number, height: number) {
		this.columns = columns;
		this.height = height;
		this.bits = new Uint8Array(columns * height);
		this.text = new Array<string | null>(columns * height).fill(null);
	}

	/** Raise the dot at (dotX, dotY) of the 2·columns × 4·height dot grid (dotY 0 at the top); returns its cell. */
	raise(dotX: number, dotY: number): ScatterCell {
		const cell = {line: Math.floor(dotY / 4), column: Math.floor(dotX / 2)};
		this.bits[cell.line * this.columns + cell.column] |= BRAILLE_BIT[dotY % 4]![dotX % 2]!;
		return cell;
	}

	/** A cell holding at least one dot. */
	hasDot(line: number, column: number): boolean {
		return this.bits[line * this.columns + column] !== 0;
	}

	/** A cell inside the box that a label covers; false outside it. */
	hasLabel(line: number, column: number): boolean {
		return column >= 0 && column < this.columns && this.text[line * this.columns + column] !== null;
	}

	/** Cover `width` cells from `column` on with `label`. */
	write(line: number, column: number, label: string, width: number): void {
		for (let c = column; c < column + width; c++) this.text[line * this.columns + c] = c === column ? label : '';
	}

	/** Each line: its cells' labels, dots (as braille), or a space. */
	lines(): string[] {
		return Array.from({length: this.height}, (_, line) => {
			let out = '';
			for (let column = 0; column < this.columns; column++) {
				const k = line * this.columns + column;
				out += this.text[k] ?? (this.bits[k] === 0 ? ' ' : String.fromCharCode(BRAILLE_BLANK + this.bits[k]!));
			}
			return out;
		});
	}
}

/** Raise each point's dot, x and y each scaled to the dot grid; a point with a coordinate not finite gets none. */
function placeDots(points: readonly ScatterPoint[], canvas: Canvas): (ScatterCell | null)[] {
	const shown = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
	if (canvas.columns === 0 || canvas.height === 0 || shown.length === 0) return points.map(() => null);
	const toDotX = axisScale(shown.map((p) => p.x), 2 * canvas.columns);
	const toDotY = axisScale(shown.map((p) => p.y), 4 * canvas.height);
	const lastDotY = 4 * canvas.height - 1;
	return points.map((p) => (Number.isFinite(p.x) && Number.isFinite(p.y) ? canvas.raise(toDotX(p.x), lastDotY - toDotY(p.y)) : null));
}

/**
 * The map from values to dots 0..dots−1 along one axis: the smallest value
 * to dot 1 and the largest to dot dots−2 (a dot of margin at each end), the
 * rest in proportion, rounded to the nearest dot. All values equal, or an
 * axis too short for margins, puts every value at the middle dot.
 */
function axisScale(values: readonly number[], dots: number): (value: number) => number {
	let min = Infinity;
	let max = -Infinity;
	for (const value of values) {
		min = Math.min(min, value);
		max = Math.max(max, value);
	}
	const first = 1;
	const last = dots - 2;
	if (max === min || last < first) {
		const middle = Math.floor((dots - 1) / 2);
		return () => middle;
	}
	return (value) => first + Math.round(((value - min) / (max - min)) * (last - first));
}

/** The points' indices in labelling order: highlighted ones first, each group in the order given. */
function labelOrder(points: readonly ScatterPoint[]): number[] {
	const indices = points.map((_, i) => i);
	return [...indices.filter((i) => points[i]!.highlight), ...indices.filter((i) => !points[i]!.highlight)];
}

/** Write `label` beside its dot, right of it if it fits there, else left of it; where it went, or null if neither fits. */
function placeLabel(canvas: Canvas, dot: ScatterCell, label: string): Omit<ScatterLabel, 'point'> | null {
	const width = stringWidth(label);
	if (width === 0) return null;
	for (const column of [dot.column + 1, dot.column - width]) {
		if (labelFits(canvas, dot.line, column, width)) {
			canvas.write(dot.line, column, label, width);
			return {line: dot.line, column, width};
		}
	}
	return null;
}

/** Cells column..column+width−1 of the line are inside the box, free of dots and labels, and no label is in the cell on either side. */
function labelFits(canvas: Canvas, line: number, column: number, width: number): boolean {
	if (column < 0 || column + width > canvas.columns) return false;
	for (let c = column; c < column + width; c++) if (canvas.hasDot(line, c) || canvas.hasLabel(line, c)) return false;
	return !canvas.hasLabel(line, column - 1) && !canvas.hasLabel(line, column + width);
}
