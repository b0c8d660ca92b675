/**
 * The vocabulary as a table: id, token, frequency, share of the corpus and a
 * bar relative to the most frequent token. Only the rows on screen are built.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Vocabulary} from '../../../text/vocabulary.js';
import type {StageViewProps} from '../types.js';
import {theme} from '../../theme.js';
import {bar, cell, fit, formatCount, joinWhole, percentWithin, visible, width} from '../../text.js';
import {tokenShape} from '../corpus/layout.js';
import {maxFrequency, scrollTop, tableRows, vocabList, type VocabList, type VocabSort, type VocabState} from './state.js';

export const SORT_NAMES: Record<VocabSort, string> = {
	id: 'sorted by id',
	frequency: 'sorted by frequency, highest first (ties by id)',
	token: 'sorted by token: code point order, the same as by id',
};

/** "showing 1-20 of 47, sorted by …", with the filter's matches when there is one; shortened to fit. */
export function statusText(state: VocabState, list: VocabList, top: number, height: number, columns: number): string {
	const shown = list.length === 0 ? 'showing 0' : `showing ${formatCount(top + 1)}-${formatCount(Math.min(list.length, top + height))}`;
	const filter =
		state.filter === '' ? '' : ` (filter "${visible(state.filter)}" → ${formatCount(list.length)} of ${formatCount(list.total)} match)`;
	const full = `${shown} of ${formatCount(list.length)}${filter}, ${SORT_NAMES[state.sort]}`;
	if (width(full) <= columns) return full;
	const short = `${shown} of ${formatCount(list.length)}${filter}, by ${state.sort}`;
	return fit(short, columns);
}

/** The highlighted token whole, for when the table's column cuts it: › "token" id 12 · count 34. */
export function selectedText(vocabulary: Vocabulary, id: number): string {
	return `› "${tokenShape(vocabulary.tokens, id).text}" id ${formatCount(id)} · count ${formatCount(vocabulary.frequencies[id]!)}`;
}

export function filterText(state: VocabState): string {
	const filter = visible(state.filter);
	if (state.filtering) return `filter: ${filter}▌  (case-sensitive substring) · Enter/Esc done · C-u clear`;
	if (state.filter !== '') return `filter: "${filter}" (case-sensitive substring) · / edit · C-u clear`;
	return '/ filters: tokens containing the text typed (case-sensitive) · i, f, t sort';
}

interface Columns {
	readonly id: number;
	readonly token: number;
	readonly count: number;
	readonly share: number;
	readonly bar: number;
}

const widestToken = new WeakMap<Vocabulary, number>();

/** The widest token's display width, measured once per vocabulary. */
function tokenColumnWidth(vocabulary: Vocabulary): number {
	let w = widestToken.get(vocabulary);
	if (w === undefined) {
		w = 0;
		for (let id = 0; id < vocabulary.tokens.length; id++) w = Math.max(w, tokenShape(vocabulary.tokens, id).width);
		widestToken.set(vocabulary, w);
	}
	return w;
}

export function tableColumns(vocabulary: Vocabulary, columns: number): Columns {
	const id = Math.max(2, String(Math.max(0, vocabulary.tokens.length - 1)).length);
	const count = Math.max(6, formatCount(maxFrequency(vocabulary)).length);
	const share = 6;
	const token = Math.max(6, Math.min(tokenColumnWidth(vocabulary), Math.floor(columns * 0.4)));
	// 5 spaces: the highlight mark's column and one between each two columns.
	const bar = Math.max(0, columns - id - token - count - share - 5);
	return {id, token, count, share, bar};
}

export function VocabStage({state, ctx}: StageViewProps<VocabState>) {
	const {vocabulary} = ctx.session.corpus;
	const {columns, rows} = ctx;
	const height = tableRows(rows);
	const list = vocabList(vocabulary, state.sort, state.filter);
	const selected = Math.max(0, Math.min(list.length - 1, state.selected));
	const top = scrollTop(state.top, selected, height, list.length);
	const widths = tableColumns(vocabulary, columns);
	const max = maxFrequency(vocabulary);
	const total = ctx.session.corpus.ids.length;
	// The sort mark where the column has room for it (the status line names the sort anyway).
	const arrow = (sort: VocabSort, text: string, room = Infinity) =>
		state.sort === sort && text.length < room ? text + (sort === 'frequency' ? '▼' : '▲') : text;
	const header =
		' ' +
		cell(arrow('id', 'id', widths.id), widths.id, 'right') +
		' ' +
		cell(arrow('token', 'token'), widths.token) +
		' ' +
		cell(arrow('frequency', 'count'), widths.count, 'right') +
		' ' +
		cell('share', widths.share, 'right') +
		' ' +
		(width(`bar (largest = ${formatCount(max)})`) <= widths.bar ? `bar (largest = ${formatCount(max)})` : fit('bar', widths.bar));
	// The highlighted token, when its column cuts it, is shown whole under the table (the filter's hint gives way).
	const highlighted = list.length > 0 ? list.at(selected) : undefined;
	const cutId =
		!state.filtering && highlighted !== undefined && tokenShape(vocabulary.tokens, highlighted).width > widths.token ? highlighted : undefined;
	const lines: React.ReactNode[] = [];
	for (let i = top; i < Math.min(list.length, top + height); i++) {
		const id = list.at(i);
		const frequency = vocabulary.frequencies[id]!;
		const current = i === selected;
		// › marks the highlighted row where inverse does not show (no styling at all).
		const text =
			(current ? '›' : ' ') +
			cell(String(id), widths.id, 'right') +
			' ' +
			cell(tokenShape(vocabulary.tokens, id).text, widths.token) +
			' ' +
			cell(formatCount(frequency), widths.count, 'right') +
			' ' +
			cell(total > 0 ? percentWithin(frequency / total, widths.share) : '', widths.share, 'right') +
			' ';
		lines.push(
			<Text key={i} wrap="truncate">
				<Text inverse={current}>{text}</Text>
				<Text color={theme.accent}>{max > 0 ? bar(frequency / max, widths.bar) : ''}</Text>
			</Text>,
		);
	}
	if (list.length === 0) lines.push(<Text key="none">{fit(`no token contains "${visible(state.filter)}"`, columns)}</Text>);
	while (lines.length < height) lines.push(<Text key={`p${lines.length}`}> </Text>);
	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			<Text bold wrap="truncate">
				{joinWhole([`Vocabulary: ${formatCount(vocabulary.tokens.length)} distinct tokens of ${formatCount(total)}`, 'ids in Unicode code point order'], columns, ', ')}
			</Text>
			<Text color={theme.muted} dimColor={!theme.muted} wrap="truncate">
				{header}
			</Text>
			{lines.slice(0, height)}
			<Text wrap="truncate" color={state.filtering ? theme.accent : undefined}>
				{fit(cutId === undefined ? filterText(state) : selectedText(vocabulary, cutId), columns)}
			</Text>
			<Text wrap="truncate">{statusText(state, list, top, height, columns)}</Text>
		</Box>
	);
}
