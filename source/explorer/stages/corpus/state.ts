/**
 * The corpus stage's state and keys: a cursor on one token, and the screen
 * row at the top. Moving down and up goes by screen rows (a wrapped line has
 * several) and lands on the token nearest to the column the cursor started
 * from, skipping rows without tokens.
 */
import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';
import type {Corpus} from '../../../text/corpus.js';
import {CORPUS} from '../../keymap.js';
import {
	advanceRows,
	compareRows,
	keepVisible,
	lineIndex,
	rowOfToken,
	rowTokens,
	tokenColumn,
	tokenNearColumn,
	type RowPos,
} from './layout.js';

export interface CorpusState {
	/** Index of the token under the cursor. */
	readonly cursor: number;
	/** The screen row shown at the top. */
	readonly top: RowPos;
	/** The column up/down moves aim for, kept over a run of vertical moves. */
	readonly goal?: number;
}

export function initialCorpusState(_session: ExplorerSession): CorpusState {
	return {cursor: 0, top: {line: 0, sub: 0}};
}

/** How the stage's rows and columns are spent (shared by the keys and the view). */
export interface CorpusGeometry {
	/** Columns of the line-number gutter, its space included. */
	readonly gutter: number;
	/** Columns for the text. */
	readonly textWidth: number;
	readonly headerRows: number;
	readonly statusRows: number;
	/** Screen rows of text shown, each with its marker row under it. */
	readonly visibleRows: number;
	/** Whether the legend line fits. */
	readonly legend: boolean;
}

export function corpusGeometry(corpus: Corpus, rows: number, columns: number): CorpusGeometry {
	const lineCount = lineIndex(corpus).lineCount;
	const gutter = String(lineCount).length + 1;
	const textWidth = Math.max(1, columns - gutter);
	const legend = rows >= 12;
	const headerRows = legend ? 3 : 2;
	const statusRows = 1;
	const visibleRows = Math.max(1, Math.floor((rows - headerRows - statusRows) / 2));
	return {gutter, textWidth, headerRows, statusRows, visibleRows, legend};
}

/** The cursor clamped to the corpus (0 when it has no tokens). */
export function clampCursor(corpus: Corpus, cursor: number): number {
	return Math.max(0, Math.min(corpus.ids.length - 1, cursor));
}

/** The top row the view shows for this state: the stored one, moved just enough to show the cursor. */
export function visibleTop(state: CorpusState, corpus: Corpus, geometry: CorpusGeometry): RowPos {
	if (corpus.ids.length === 0) return advanceRows(corpus, state.top, 0, geometry.textWidth);
	const cursorRow = rowOfToken(corpus, clampCursor(corpus, state.cursor), geometry.textWidth);
	return keepVisible(corpus, state.top, cursorRow, geometry.visibleRows, geometry.textWidth);
}

/**
 * Move the cursor `by` screen rows (negative: up), onto the token nearest the
 * goal column. A row without tokens (an empty line) is passed over to the
 * next row that has one, in the same direction; with none there, the cursor
 * stays.
 */
export function moveRows(corpus: Corpus, state: CorpusState, by: number, width: number): CorpusState {
	const cursor = clampCursor(corpus, state.cursor);
	const goal = state.goal ?? tokenColumn(corpus, cursor, width);
	const from = rowOfToken(corpus, cursor, width);
	let target = advanceRows(corpus, from, by, width);
	if (compareRows(target, from) === 0) return {...state, cursor, goal};
	let token = tokenNearColumn(corpus, target, goal, width);
	if (token < 0) {
		// An empty row: go on to the nearest row with a token in the direction of the move.
		const {from: next} = rowTokens(corpus, target, width);
		const candidate = by > 0 ? next : next - 1;
		if (candidate < 0 || candidate >= corpus.ids.length) return {...state, cursor, goal};
		target = rowOfToken(corpus, candidate, width);
		token = tokenNearColumn(corpus, target, goal, width);
	}
	return {...state, cursor: token, goal};
}

export const corpusKey: KeyReducer<CorpusState> = (state, input, key, ctx) => {
	const {corpus} = ctx.session;
	if (corpus.ids.length === 0) return state;
	const geometry = corpusGeometry(corpus, ctx.rows, ctx.columns);
	const width = geometry.textWidth;
	const last = corpus.ids.length - 1;
	const withTop = (next: CorpusState, scroll = 0): CorpusState => {
		const top = scroll === 0 ? visibleTop(state, corpus, geometry) : advanceRows(corpus, visibleTop(state, corpus, geometry), scroll, width);
		return {...next, top: visibleTop({...next, top}, corpus, geometry)};
	};
	if (CORPUS.tokenLeft.match(input, key)) {
		const cursor = clampCursor(corpus, state.cursor + (key.leftArrow ? -1 : 1));
		return withTop({cursor, top: state.top});
	}
	if (CORPUS.line.match(input, key)) return withTop(moveRows(corpus, state, key.upArrow ? -1 : 1, width));
	if (CORPUS.page.match(input, key)) {
		const by = key.pageUp ? -geometry.visibleRows : geometry.visibleRows;
		return withTop(moveRows(corpus, state, by, width), by);
	}
	if (CORPUS.ends.match(input, key)) {
		const toEnd = input === 'G' || key.end;
		return withTop({cursor: toEnd ? last : 0, top: state.top});
	}
	return state;
};
