/**
 * How the corpus stage lays text out, with no Ink: lines, their wrapping at
 * token boundaries into screen rows, and moving between those rows.
 *
 * Everything is built so that a key or a frame costs about a screen of work
 * on a corpus of a million tokens:
 * - the line index (where each line starts and its first token) is built
 *   once per corpus, in one pass over the text;
 * - each token's display form and width is computed once per vocabulary id;
 * - a line's wrapping (where each of its screen rows starts) is computed on
 *   first use and cached per text width.
 */
import stringWidth from 'string-width';
import type {Corpus} from '../../../text/corpus.js';
import {fit, visible} from '../../text.js';

/** A position among the screen rows: a line and the wrapped row within it. */
export interface RowPos {
	readonly line: number;
	readonly sub: number;
}

export interface LineIndex {
	readonly lineCount: number;
	/** UTF-16 offset where each line starts. */
	readonly lineStart: Int32Array;
	/** Offset where each line's text ends (its line break, or the end of the text). */
	readonly lineEnd: Int32Array;
	/** First token of each line, plus a sentinel: line i holds tokens [lineFirstToken[i], lineFirstToken[i+1]). */
	readonly lineFirstToken: Int32Array;
}

const lineIndexes = new WeakMap<Corpus, LineIndex>();

/**
 * The corpus's lines, split at `\n`, `\r\n` and `\r` (the breaks the corpus
 * counts lines by). A final line break does not start another, empty line.
 */
export function lineIndex(corpus: Corpus): LineIndex {
	let index = lineIndexes.get(corpus);
	if (!index) {
		index = buildLineIndex(corpus);
		lineIndexes.set(corpus, index);
	}
	return index;
}

function buildLineIndex(corpus: Corpus): LineIndex {
	const {text, tokenStart} = corpus;
	const length = text.length;
	let breaks = 0;
	for (let i = 0; i < length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0a || c === 0x0d) {
			if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
			if (i + 1 < length) breaks++;
		}
	}
	const lineCount = breaks + 1;
	const lineStart = new Int32Array(lineCount);
	const lineEnd = new Int32Array(lineCount);
	let line = 0;
	for (let i = 0; i < length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0a || c === 0x0d) {
			lineEnd[line] = i;
			if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
			if (i + 1 < length) lineStart[++line] = i + 1;
			else line++;
		}
	}
	if (line < lineCount) lineEnd[line] = length;
	const tokenCount = tokenStart.length;
	const lineFirstToken = new Int32Array(lineCount + 1);
	let t = 0;
	for (let l = 0; l < lineCount; l++) {
		while (t < tokenCount && tokenStart[t]! < lineStart[l]!) t++;
		lineFirstToken[l] = t;
	}
	lineFirstToken[lineCount] = tokenCount;
	return {lineCount, lineStart, lineEnd, lineFirstToken};
}

/** The line a token is on (binary search over the lines' first tokens). */
export function lineOfToken(index: LineIndex, token: number): number {
	const first = index.lineFirstToken;
	let lo = 0;
	let hi = index.lineCount - 1;
	// The last line whose first token is <= token: empty lines before it share its value.
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (first[mid]! <= token) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** How a token is shown: escaped, and never zero columns wide. */
export interface TokenShape {
	readonly text: string;
	readonly width: number;
}

interface TokenShapes {
	readonly texts: Array<string | undefined>;
	readonly widths: Int32Array;
}

const shapeCaches = new WeakMap<readonly string[], TokenShapes>();
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/** The display form of a token: control characters escaped, width by string-width. */
export function shapeToken(token: string): TokenShape {
	if (PRINTABLE_ASCII.test(token)) return {text: token, width: token.length};
	let text = visible(token);
	let width = stringWidth(text);
	if (width === 0) {
		// Only zero-width characters (e.g. U+200B): show their code points, or the token would vanish.
		text = Array.from(token, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('');
		width = text.length;
	}
	return {text, width};
}

/** The shape of vocabulary token `id`, computed once per id. */
export function tokenShape(tokens: readonly string[], id: number): TokenShape {
	let cache = shapeCaches.get(tokens);
	if (!cache) {
		cache = {texts: new Array<string | undefined>(tokens.length), widths: new Int32Array(tokens.length)};
		shapeCaches.set(tokens, cache);
	}
	let text = cache.texts[id];
	if (text === undefined) {
		const shape = shapeToken(tokens[id]!);
		cache.texts[id] = shape.text;
		cache.widths[id] = shape.width;
		return shape;
	}
	return {text, width: cache.widths[id]!};
}

/** The one-column mark of a whitespace character inside a line. */
export function spaceMark(code: number): string {
	if (code === 0x20) return ' ';
	if (code === 0x09) return '→';
	return '·';
}

/**
 * The marker drawn under a token `width` columns wide: │, └┘, └─┘, └──┘ …;
 * heavy (┃, ┗┛, ┗━┛) under the cursor's token, so the cursor shows even
 * where no styling reaches the terminal.
 */
export function tokenMarker(width: number, heavy = false): string {
	if (width <= 0) return '';
	if (width === 1) return heavy ? '┃' : '│';
	return heavy ? '┗' + '━'.repeat(width - 2) + '┛' : '└' + '─'.repeat(width - 2) + '┘';
}

/** One piece of a screen row: a token (maybe cut to the row) or a whitespace character. */
export type RowItem =
	| {readonly kind: 'token'; readonly token: number; readonly x: number; readonly text: string; readonly width: number; readonly cut: boolean}
	| {readonly kind: 'space'; readonly x: number; readonly text: string; readonly plain: boolean};

interface RowEnd {
	readonly offset: number;
	readonly token: number;
}

/**
 * Lay one screen row out from text offset `offset` (whose first token at or
 * after it is `token`) to at most `width` columns, calling `emit` for each
 * piece. Returns where the next row starts. A token that does not fit goes to
 * the next row; one wider than the whole row is cut with …; whitespace that
 * does not fit is where the row breaks, and the rest of that run is skipped.
 */
function layRow(corpus: Corpus, end: number, offset: number, token: number, width: number, emit?: (item: RowItem) => void): RowEnd {
	const {text, tokenStart, tokenEnd, ids} = corpus;
	const tokens = corpus.vocabulary.tokens;
	const tokenCount = ids.length;
	let x = 0;
	let o = offset;
	let t = token;
	while (o < end) {
		if (t < tokenCount && tokenStart[t] === o) {
			const shape = tokenShape(tokens, ids[t]!);
			if (x > 0 && x + shape.width > width) break;
			const cut = shape.width > width;
			if (emit) {
				const shown = cut ? fit(shape.text, Math.max(1, width)) : shape.text;
				emit({kind: 'token', token: t, x, text: shown, width: cut ? width : shape.width, cut});
			}
			x += cut ? width : shape.width;
			o = tokenEnd[t]!;
			t++;
		} else {
			if (x + 1 > width) {
				// Break here; the next row starts at the next token of the line (or the line's end).
				o = t < tokenCount && tokenStart[t]! < end ? tokenStart[t]! : end;
				break;
			}
			const code = text.charCodeAt(o);
			if (emit) emit({kind: 'space', x, text: spaceMark(code), plain: code === 0x20});
			x++;
			o++;
		}
	}
	return {offset: o, token: t};
}

/** Where each screen row of a line starts: its text offset and first token. */
export interface LineLayout {
	readonly rowOffset: Int32Array;
	readonly rowToken: Int32Array;
}

interface LayoutCache {
	readonly lines: Map<number, LineLayout>;
}

const layoutCaches = new WeakMap<Corpus, Map<number, LayoutCache>>();
/** Lines kept per width before the cache starts over (a line's layout is small). */
const MAX_CACHED_LINES = 4096;

/** The wrapping of line `line` at `width` columns, cached. */
export function lineLayout(corpus: Corpus, line: number, width: number): LineLayout {
	let byWidth = layoutCaches.get(corpus);
	if (!byWidth) {
		byWidth = new Map();
		layoutCaches.set(corpus, byWidth);
	}
	let cache = byWidth.get(width);
	if (!cache) {
		if (byWidth.size > 4) byWidth.clear(); // old terminal widths
		cache = {lines: new Map()};
		byWidth.set(width, cache);
	}
	let layout = cache.lines.get(line);
	if (!layout) {
		layout = computeLineLayout(corpus, line, width);
		if (cache.lines.size >= MAX_CACHED_LINES) cache.lines.clear();
		cache.lines.set(line, layout);
	}
	return layout;
}

function computeLineLayout(corpus: Corpus, line: number, width: number): LineLayout {
	const index = lineIndex(corpus);
	const end = index.lineEnd[line]!;
	const offsets: number[] = [index.lineStart[line]!];
	const tokens: number[] = [index.lineFirstToken[line]!];
	let at: RowEnd = {offset: offsets[0]!, token: tokens[0]!};
	for (;;) {
		at = layRow(corpus, end, at.offset, at.token, Math.max(1, width));
		if (at.offset >= end) break;
		offsets.push(at.offset);
		tokens.push(at.token);
	}
	return {rowOffset: Int32Array.from(offsets), rowToken: Int32Array.from(tokens)};
}

/** The pieces of one screen row. */
export function rowItems(corpus: Corpus, pos: RowPos, width: number): RowItem[] {
	const index = lineIndex(corpus);
	const layout = lineLayout(corpus, pos.line, width);
	const items: RowItem[] = [];
	const end = pos.sub + 1 < layout.rowOffset.length ? layout.rowOffset[pos.sub + 1]! : index.lineEnd[pos.line]!;
	layRow(corpus, end, layout.rowOffset[pos.sub]!, layout.rowToken[pos.sub]!, Math.max(1, width), (item) => items.push(item));
	return items;
}

/** The tokens of a screen row: [from, to). */
export function rowTokens(corpus: Corpus, pos: RowPos, width: number): {from: number; to: number} {
	const index = lineIndex(corpus);
	const layout = lineLayout(corpus, pos.line, width);
	const from = layout.rowToken[pos.sub]!;
	const to = pos.sub + 1 < layout.rowToken.length ? layout.rowToken[pos.sub + 1]! : index.lineFirstToken[pos.line + 1]!;
	return {from, to};
}

export function rowsOfLine(corpus: Corpus, line: number, width: number): number {
	return lineLayout(corpus, line, width).rowOffset.length;
}

/** The screen row a token is on. */
export function rowOfToken(corpus: Corpus, token: number, width: number): RowPos {
	const line = lineOfToken(lineIndex(corpus), token);
	const starts = lineLayout(corpus, line, width).rowToken;
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid]! <= token) lo = mid;
		else hi = mid - 1;
	}
	return {line, sub: lo};
}

export function compareRows(a: RowPos, b: RowPos): number {
	return a.line !== b.line ? a.line - b.line : a.sub - b.sub;
}

export function lastRow(corpus: Corpus, width: number): RowPos {
	const line = lineIndex(corpus).lineCount - 1;
	return {line, sub: rowsOfLine(corpus, line, width) - 1};
}

/** Move `by` screen rows (either way), stopping at the first and last row. */
export function advanceRows(corpus: Corpus, pos: RowPos, by: number, width: number): RowPos {
	const lineCount = lineIndex(corpus).lineCount;
	let {line, sub} = pos;
	let left = by;
	while (left > 0) {
		const rows = rowsOfLine(corpus, line, width);
		if (sub + left < rows) return {line, sub: sub + left};
		if (line + 1 >= lineCount) return {line, sub: rows - 1};
		left -= rows - sub;
		line++;
		sub = 0;
	}
	while (left < 0) {
		if (sub + left >= 0) return {line, sub: sub + left};
		if (line === 0) return {line: 0, sub: 0};
		left += sub + 1;
		line--;
		sub = rowsOfLine(corpus, line, width) - 1;
	}
	return {line, sub};
}

/** Screen rows from `from` to `to` (positive when `to` is below), counting at most `limit`. */
export function rowDistance(corpus: Corpus, from: RowPos, to: RowPos, width: number, limit: number): number {
	const sign = compareRows(from, to) <= 0 ? 1 : -1;
	let [a, b] = sign > 0 ? [from, to] : [to, from];
	let distance = 0;
	while (compareRows(a, b) < 0 && distance < limit) {
		if (a.line === b.line) {
			distance += b.sub - a.sub;
			break;
		}
		distance += rowsOfLine(corpus, a.line, width) - a.sub;
		a = {line: a.line + 1, sub: 0};
	}
	return sign * Math.min(distance, limit);
}

/**
 * The top row to show so that the cursor's row is on screen and the screen
 * is not scrolled past the last row: `top` moved as little as needed.
 */
export function keepVisible(corpus: Corpus, top: RowPos, cursorRow: RowPos, height: number, width: number): RowPos {
	const h = Math.max(1, height);
	let t = clampRow(corpus, top, width);
	if (compareRows(cursorRow, t) < 0) t = cursorRow;
	else if (rowDistance(corpus, t, cursorRow, width, h) >= h) t = advanceRows(corpus, cursorRow, -(h - 1), width);
	// Do not leave empty space below the last row when there is text above.
	const maxTop = advanceRows(corpus, lastRow(corpus, width), -(h - 1), width);
	if (compareRows(t, maxTop) > 0) t = maxTop;
	return t;
}

/** A row position valid at this width (the width may have changed since it was stored). */
export function clampRow(corpus: Corpus, pos: RowPos, width: number): RowPos {
	const lineCount = lineIndex(corpus).lineCount;
	const line = Math.max(0, Math.min(lineCount - 1, pos.line));
	const sub = Math.max(0, Math.min(rowsOfLine(corpus, line, width) - 1, pos.sub));
	return {line, sub};
}

/** Column (within its row) where token `token` starts. */
export function tokenColumn(corpus: Corpus, token: number, width: number): number {
	const row = rowOfToken(corpus, token, width);
	for (const item of rowItems(corpus, row, width)) if (item.kind === 'token' && item.token === token) return item.x;
	return 0;
}

/** The token of a row nearest to column `x` (one spanning x, else the closest; ties to the left), or -1 if none. */
export function tokenNearColumn(corpus: Corpus, pos: RowPos, x: number, width: number): number {
	let best = -1;
	let bestDistance = Infinity;
	for (const item of rowItems(corpus, pos, width)) {
		if (item.kind !== 'token') continue;
		const distance = x < item.x ? item.x - x : x >= item.x + item.width ? x - (item.x + item.width - 1) : 0;
		if (distance < bestDistance) {
			best = item.token;
			bestDistance = distance;
		}
	}
	return best;
}
