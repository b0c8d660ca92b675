/**
 * The corpus as the tokenizer sees it: each screen row of text has a marker
 * row under it where └──┘ spans each token, so the boundaries read without
 * colour too. Only the rows on screen are laid out.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Corpus} from '../../../text/corpus.js';
import type {StageViewProps} from '../types.js';
import {theme} from '../../theme.js';
import {fit, fitEnd, formatCount, joinWhole, visible, width as textWidth} from '../../text.js';
import {clampCursor, corpusGeometry, visibleTop, type CorpusState} from './state.js';
import {advanceRows, compareRows, lastRow, lineIndex, lineOfToken, rowItems, tokenMarker, tokenShape, type RowItem, type RowPos} from './layout.js';

/** The header: the path (its end when long: the file name stays) and as much of the sha256 as fits, then the counts. */
export function headerLines(corpus: Corpus, columns: number): [string, string] {
	const shaLabel = '  sha256 ';
	const path = fitEnd(visible(corpus.path), Math.max(8, columns - textWidth(shaLabel) - 12));
	const shaRoom = columns - textWidth(path) - textWidth(shaLabel);
	const sha = corpus.sha256.length <= shaRoom ? corpus.sha256 : corpus.sha256.slice(0, Math.max(0, shaRoom - 1)) + '…';
	const first = shaRoom >= 5 ? path + shaLabel + sha : fitEnd(path, columns);
	const lines = formatCount(corpus.numLines);
	const long = [`${lines} non-blank lines`, `${formatCount(corpus.ids.length)} tokens`, `${formatCount(corpus.numChars)} characters`, `vocabulary ${formatCount(corpus.vocabulary.tokens.length)}`];
	const short = [`${lines} lines`, long[1]!, `${formatCount(corpus.numChars)} chars`, long[3]!];
	const counts = textWidth(long.join(' · ')) <= columns ? long : short;
	return [first, joinWhole(counts, columns)];
}

/** The status line for the token under the cursor: the token whole when it fits, then what else fits whole. */
export function statusText(corpus: Corpus, cursor: number, columns: number): string {
	const total = corpus.ids.length;
	if (total === 0) return fit('no tokens: the corpus is empty or only whitespace', columns);
	const id = corpus.ids[cursor]!;
	const index = lineIndex(corpus);
	const line = formatCount(lineOfToken(index, cursor) + 1);
	const head = `token ${formatCount(cursor + 1)} of ${formatCount(total)}`;
	const token = tokenShape(corpus.vocabulary.tokens, id).text;
	const facts = [`id ${formatCount(id)}`, `freq ${formatCount(corpus.vocabulary.frequencies[id]!)}`];
	const lineOf = `line ${line} of ${formatCount(index.lineCount)}`;
	if (textWidth(`${head} · "${token}"`) <= columns) {
		const withLineOf = joinWhole([head, `"${token}"`, ...facts, lineOf], columns);
		return withLineOf.endsWith(lineOf) ? withLineOf : joinWhole([head, `"${token}"`, ...facts, `line ${line}`], columns);
	}
	// A token longer than the line: as much of it as fits, after the count.
	return fit(`${head} · "${fit(token, Math.max(12, columns - textWidth(head) - 5))}"`, columns);
}

export const LEGEND_PARTS = ['split at whitespace: └─┘ a token, ┗━┛ the cursor\'s', '│ 1 column', '→ tab', '· space'];
export const LEGEND = LEGEND_PARTS.join(' · ');

interface Segment {
	readonly text: string;
	readonly color?: string;
	readonly inverse?: boolean;
	readonly bold?: boolean;
	readonly dim?: boolean;
}

/** The text row and the marker row of one screen row, as coloured segments. */
export function rowSegments(items: readonly RowItem[], cursor: number): {text: Segment[]; marker: Segment[]} {
	const text: Segment[] = [];
	const marker: Segment[] = [];
	let x = 0;
	for (const item of items) {
		if (item.kind === 'space') {
			const last = text[text.length - 1];
			const dim = !item.plain;
			if (last && !last.color && !last.inverse && Boolean(last.dim) === dim) text[text.length - 1] = {...last, text: last.text + item.text};
			else text.push({text: item.text, dim});
			continue;
		}
		const color = item.token % 2 === 0 ? theme.tokenA : theme.tokenB;
		const current = item.token === cursor;
		if (item.x > x) marker.push({text: ' '.repeat(item.x - x)});
		text.push({text: item.text, color, inverse: current});
		marker.push({text: tokenMarker(item.width, current), color, bold: current});
		x = item.x + item.width;
	}
	return {text, marker};
}

function Line({gutter, segments, gutterDim = true}: {gutter: string; segments: readonly Segment[]; gutterDim?: boolean}) {
	return (
		<Text wrap="truncate">
			<Text dimColor={gutterDim}>{gutter}</Text>
			{segments.map((s, i) => (
				<Text key={i} color={s.color} inverse={s.inverse} bold={s.bold} dimColor={s.dim}>
					{s.text}
				</Text>
			))}
		</Text>
	);
}

export function CorpusStage({state, ctx}: StageViewProps<CorpusState>) {
	const {corpus} = ctx.session;
	const {columns, rows} = ctx;
	const geometry = corpusGeometry(corpus, rows, columns);
	const header = headerLines(corpus, columns);
	const cursor = clampCursor(corpus, state.cursor);
	const top = visibleTop(state, corpus, geometry);
	const end = lastRow(corpus, geometry.textWidth);
	const body: React.ReactNode[] = [];
	let pos: RowPos | undefined = top;
	let previousLine = -1;
	for (let r = 0; r < geometry.visibleRows && pos; r++) {
		const items = rowItems(corpus, pos, geometry.textWidth);
		const {text, marker} = rowSegments(items, cursor);
		const number = pos.line !== previousLine ? String(pos.line + 1) : '';
		const gutter = number.padStart(geometry.gutter - 1) + ' ';
		const blank = ' '.repeat(geometry.gutter);
		body.push(<Line key={`t${r}`} gutter={gutter} segments={text} />);
		body.push(<Line key={`m${r}`} gutter={blank} segments={marker} />);
		previousLine = pos.line;
		pos = compareRows(pos, end) < 0 ? advanceRows(corpus, pos, 1, geometry.textWidth) : undefined;
	}
	const bodyRows = rows - geometry.headerRows - geometry.statusRows;
	while (body.length < bodyRows) body.push(<Text key={`p${body.length}`}> </Text>);
	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			<Text bold wrap="truncate">
				{header[0]}
			</Text>
			<Text wrap="truncate">{header[1]}</Text>
			{geometry.legend ? (
				<Text color={theme.muted} dimColor={!theme.muted} wrap="truncate">
					{joinWhole(LEGEND_PARTS, columns)}
				</Text>
			) : null}
			{body.slice(0, Math.max(0, bodyRows))}
			<Text wrap="truncate">{statusText(corpus, cursor, columns)}</Text>
		</Box>
	);
}
