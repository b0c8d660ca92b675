/**
 * The train stage's other views: one training step made visible, and a
 * heatmap of the seen contexts' rows.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {StepDetail} from '../../../models/table/run.js';
import type {Model} from '../../../models/table/model.js';
import {theme} from '../../theme.js';
import {cell, fit, formatCount, visible} from '../../text.js';

function signed(x: number, digits = 4): string {
	return (x >= 0 ? ' ' : '') + x.toFixed(digits);
}

/** The lines of the step panel: the pair, the row before and after, the gradient, the loss. */
export function stepLines(step: StepDetail | undefined, model: Model, touchedRows: number, pairCount: number, columns: number, rows: number): string[] {
	if (!step) {
		return [
			'Press n to train one pair at a time and see exactly what that step does:',
			'the pair (context → target), its row before the step, the probabilities,',
			'the gradient p − y, and the row after. Only that row changes.',
		];
	}
	const tokens = model.vocabulary.tokens;
	const context = step.context.map((id) => visible(tokens[id]!)).join(' ');
	const target = visible(tokens[step.target]!);
	const lines: string[] = [];
	lines.push(`epoch ${step.epoch}, pair ${formatCount(step.pairIndex + 1)} of ${formatCount(pairCount)}: "${context || '(no context)'}" → "${target}"`);
	lines.push(
		`row ${visible(step.label)} (row ${formatCount(step.rowIndex)} of ${formatCount(model.fullRowCount)}) · loss −ln p(${target}) = −ln ${step.probabilities[step.target]!.toFixed(4)} = ${step.loss.toFixed(4)} · predicted "${visible(tokens[step.predicted]!)}"`,
	);
	lines.push(`token          score before       p    p − y   score after`);
	// The columns that matter most: the target, then by |gradient|.
	const ids = Array.from({length: model.V}, (_, j) => j).sort(
		(a, b) => Number(b === step.target) - Number(a === step.target) || Math.abs(step.gradient[b]!) - Math.abs(step.gradient[a]!) || a - b,
	);
	const room = Math.max(1, rows - 5);
	const shown = ids.slice(0, Math.min(room - 1, ids.length));
	for (const j of shown) {
		lines.push(
			`${cell(visible(tokens[j]!) + (j === step.target ? ' ◀' : ''), 14)} ${signed(step.scoresBefore[j]!).padStart(12)} ${step.probabilities[j]!.toFixed(4).padStart(8)} ${signed(step.gradient[j]!).padStart(8)} ${signed(step.scoresAfter[j]!).padStart(12)}`,
		);
	}
	if (ids.length > shown.length) {
		const rest = ids.length - shown.length;
		lines.push(`… ${formatCount(rest)} more token${rest === 1 ? '' : 's'}, each moved by −lr · p`);
	}
	lines.push(
		`Only row ${visible(step.label)} changed; ${formatCount(touchedRows)} of ${formatCount(model.fullRowCount)} rows have ever been touched, the rest are still all zero.`,
	);
	return lines.map((line) => fit(line, columns));
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

/** The heatmap's lines: one a seen context, one cell a token (the most frequent tokens that fit). */
export function heatmapLines(model: Model, top: number, columns: number, rows: number): string[] {
	const labelWidth = Math.min(18, Math.max(8, Math.floor(columns / 5)));
	const cells = Math.max(1, columns - labelWidth - 1);
	const {tokens, frequencies} = model.vocabulary;
	const order = Array.from({length: model.V}, (_, j) => j).sort((a, b) => frequencies[b]! - frequencies[a]! || a - b);
	const shownTokens = order.slice(0, cells);
	const lines: string[] = [];
	lines.push(
		fit(
			`Rows of the seen contexts, one cell a token (${shownTokens.length === model.V ? 'all' : `the ${formatCount(shownTokens.length)} most frequent of ${formatCount(model.V)}`}), shaded by p: █ ≥50% ▓ ≥25% ▒ ≥10% ░ ≥2% · less`,
			columns,
		),
	);
	lines.push(`${cell('', labelWidth)} ${shownTokens.map((j) => visible(tokens[j]!).charAt(0) || ' ').join('')}`.slice(0, columns));
	const height = Math.max(1, rows - 3);
	const first = Math.max(0, Math.min(top, Math.max(0, model.rowCount - height)));
	for (let slot = first; slot < Math.min(model.rowCount, first + height); slot++) {
		const p = model.probabilities(slot);
		lines.push(`${cell(visible(model.label(slot)), labelWidth)} ${shownTokens.map((j) => shade(p[j]!)).join('')}`);
	}
	lines.push(fit(`contexts ${formatCount(first + 1)}-${formatCount(Math.min(model.rowCount, first + height))} of ${formatCount(model.rowCount)} seen · ↑↓ PgUp PgDn scroll · c chart · n one pair`, columns));
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
