/**
 * The train stage's other views: one training step made visible, and a
 * heatmap of the seen contexts' rows.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {StepDetail} from '../../../models/table/run.js';
import type {Model} from '../../../models/table/model.js';
import {theme} from '../../theme.js';
import {cell, fit, fixed, formatCount, joinWhole, lossText, visible, width, wrapText} from '../../text.js';

/** A value with room for its sign: " 0.1234", "-0.1234"; one that rounds to zero is " 0.0000". */
export function signed(x: number, digits = 4): string {
	const text = fixed(x, digits);
	return (text.startsWith('-') ? '' : ' ') + text;
}

/**
 * The lines of the step panel, at most `rows` of them: the pair, its row, the
 * loss (in nats) and the prediction, the row's columns before and after, and
 * what the step left alone. Sentences wrap; the table gets the rows left.
 */
export function stepLines(step: StepDetail | undefined, model: Model, touchedRows: number, pairCount: number, columns: number, rows: number): string[] {
	if (!step) {
		return wrapText(
			'Press n to train one pair at a time and see exactly what that step does: the pair (context → target), its row before the step, the probabilities, the gradient p − y, and the row after. Only that row changes.',
			columns,
		);
	}
	const tokens = model.vocabulary.tokens;
	const context = step.context.map((id) => visible(tokens[id]!)).join(' ');
	const target = visible(tokens[step.target]!);
	const p = step.probabilities[step.target]!;
	const head = [
		...wrapText(`epoch ${step.epoch}, pair ${formatCount(step.pairIndex + 1)} of ${formatCount(pairCount)}: "${context || '(no context)'}" → "${target}"`, columns),
		...wrapText(`predicted "${visible(tokens[step.predicted]!)}" · loss −ln p(${target}) = −ln ${fixed(p, 4)} = ${lossText(step.loss)}`, columns),
	];
	const tail = wrapText(
		`Only row ${visible(step.label)} (row ${formatCount(step.rowIndex)} of ${formatCount(model.fullRowCount)}) changed; ${formatCount(touchedRows)} of ${formatCount(model.fullRowCount)} rows have ever been touched, the rest are still all zero.`,
		columns,
	);
	// The columns that matter most: the target, then by |gradient|.
	const ids = Array.from({length: model.V}, (_, j) => j).sort(
		(a, b) => Number(b === step.target) - Number(a === step.target) || Math.abs(step.gradient[b]!) - Math.abs(step.gradient[a]!) || a - b,
	);
	const room = rows - head.length - tail.length - 1;
	const numbers = 12 + 8 + 8 + 12 + 4;
	const tokenWidth = Math.max(8, Math.min(24, columns - numbers, Math.max(5, ...ids.slice(0, Math.max(1, room)).map((j) => width(visible(tokens[j]!)) + 2))));
	const shown = ids.slice(0, Math.max(0, Math.min(ids.length === room ? room : room - 1, ids.length)));
	const lines = [...head, fit(`${cell('token', tokenWidth)} ${'score before'.padStart(12)} ${'p'.padStart(8)} ${'p − y'.padStart(8)} ${'score after'.padStart(12)}`, columns)];
	for (const j of shown) {
		lines.push(
			fit(
				`${cell(visible(tokens[j]!) + (j === step.target ? ' ◀' : ''), tokenWidth)} ${signed(step.scoresBefore[j]!).padStart(12)} ${fixed(step.probabilities[j]!, 4).padStart(8)} ${signed(step.gradient[j]!).padStart(8)} ${signed(step.scoresAfter[j]!).padStart(12)}`,
				columns,
			),
		);
	}
	if (ids.length > shown.length && room > 0) {
		const rest = ids.length - shown.length;
		lines.push(fit(`… ${formatCount(rest)} more token${rest === 1 ? '' : 's'}, each moved by −lr · p`, columns));
	}
	return [...lines, ...tail];
}

const SHADES = [' ', '░', '▒', '▓', '█'];

/** A probability as a block: readable without colour. */
export function shade(p: number): string {
	if (p >= 0.5) return SHADES[4]!;
	if (p >= 0.25) return SHADES[3]!;
	if (p >= 0.1) return SHADES[2]!;
	if (p >= 0.02) return SHADES[1]!;
	return '·';
}

/** The heatmap's tokens, one a column: the most frequent that fit in `cells`. */
export function heatmapTokens(model: Model, cells: number): number[] {
	const {frequencies} = model.vocabulary;
	return Array.from({length: model.V}, (_, j) => j)
		.sort((a, b) => frequencies[b]! - frequencies[a]! || a - b)
		.slice(0, Math.max(1, cells));
}

/**
 * The heatmap's lines: one a seen context, one cell a token (the most frequent
 * tokens that fit). A cursor column (▼, moved with ←→) is named above the map,
 * with its probability in the first row shown.
 */
export function heatmapLines(model: Model, top: number, columns: number, rows: number, cursor = 0): string[] {
	const labelWidth = Math.min(18, Math.max(8, Math.floor(columns / 5)));
	const cells = Math.max(1, columns - labelWidth - 1);
	const {tokens} = model.vocabulary;
	const shownTokens = heatmapTokens(model, cells);
	const column = Math.max(0, Math.min(shownTokens.length - 1, cursor));
	// A few tokens on a wide screen: each gets up to 3 cells, so the columns are easier to tell apart.
	const cellWidth = Math.max(1, Math.min(3, Math.floor(cells / shownTokens.length)));
	// The title and its legend wrap (the shades must be readable); two lines at most, or the legend alone.
	const title = wrapText(
		`Rows of the seen contexts, one cell a token (${shownTokens.length === model.V ? 'all' : `the ${formatCount(shownTokens.length)} most frequent of ${formatCount(model.V)}`}), shaded by p: █ ≥50% ▓ ≥25% ▒ ≥10% ░ ≥2% · less`,
		columns,
	);
	const legend = 'Cells shaded by p: █ ≥50% ▓ ≥25% ▒ ≥10% ░ ≥2% · less';
	const lines: string[] = title.length <= (rows >= 12 ? 2 : 1) ? title : rows >= 12 ? [title[0]!, ...wrapText(legend, columns)].slice(0, 2) : [fit(legend, columns)];
	const height = Math.max(1, rows - 3 - lines.length);
	const first = Math.max(0, Math.min(top, Math.max(0, model.rowCount - height)));
	lines.push(fit(`column ${formatCount(column + 1)}: "${visible(tokens[shownTokens[column]!]!)}" (id ${formatCount(shownTokens[column]!)}) · ←→ another column`, columns));
	lines.push(`${cell('', labelWidth)} ${' '.repeat(column * cellWidth + Math.floor((cellWidth - 1) / 2))}▼`);
	for (let slot = first; slot < Math.min(model.rowCount, first + height); slot++) {
		const p = model.probabilities(slot);
		lines.push(`${cell(visible(model.label(slot)), labelWidth)} ${shownTokens.map((j) => shade(p[j]!).repeat(cellWidth)).join('')}`);
	}
	lines.push(joinWhole([`contexts ${formatCount(first + 1)}-${formatCount(Math.min(model.rowCount, first + height))} of ${formatCount(model.rowCount)} seen`, '↑↓ PgUp PgDn scroll', 'c chart', 'n one pair'], columns));
	return lines;
}

export function Panel({lines, columns, height}: {lines: string[]; columns: number; height: number}) {
	return (
		<Box flexDirection="column" width={columns} height={height}>
			{lines.slice(0, height).map((line, i) => (
				<Text key={i} wrap="truncate" color={i === 0 ? theme.accent : undefined}>
					{line}
				</Text>
			))}
		</Box>
	);
}
