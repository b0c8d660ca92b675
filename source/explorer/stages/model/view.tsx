/**
 * What is being trained: the table's shape and how little of it a corpus
 * touches, the contexts the corpus has, and one context's row turned into
 * next-token probabilities step by step.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Model} from '../../../models/table/model.js';
import type {StageViewProps} from '../types.js';
import {stageModel} from '../../session.js';
import {theme} from '../../theme.js';
import {cell, fit, formatCount, visible} from '../../text.js';
import {tokenShape} from '../corpus/layout.js';
import {listTop, modelGeometry, type ModelState} from './state.js';
import {
	entriesToShow,
	formatBig,
	formatProbability,
	formatShare,
	formatValue,
	fullRows,
	rowSteps,
	STEP_NAMES,
	type RowEntry,
	type RowSteps,
} from './row.js';

/** The summary lines: the kind of model, the full table, what the corpus fills of it. */
export function summaryLines(model: Model): [string, string, string, string] {
	const {n, V} = model;
	const example = ['a', 'b', 'c'].slice(0, n).join('|');
	const kind =
		n === 0
			? `${model.kind} model, n = 0: one row, (no context); columns = next tokens`
			: `${model.kind} model, n = ${n}: rows = ${n === 1 ? 'previous tokens' : `${n}-token contexts`} like ${example}, columns = next tokens`;
	const rows = fullRows(V, n);
	const weights = rows * BigInt(V);
	const table = `full table: ${formatCount(V)}^${n} = ${formatBig(rows)} rows × ${formatCount(V)} columns = ${formatBig(weights)} weights`;
	const seen = `seen in the corpus: ${formatCount(model.rowCount)} context${model.rowCount === 1 ? '' : 's'}, ${formatShare(model.rowCount, rows)} of the rows; the other rows stay 0`;
	const heldCount = model.explicitCount + model.rowCount;
	const held = `held: ${formatCount(model.explicitCount)} weights + 1 shared per row = ${formatCount(heldCount)}, ${formatShare(heldCount, weights)} of the table`;
	return [kind, table, seen, held];
}

/** Row `slot`'s index in the full table: its context ids read in base V. */
export function fullRowIndex(model: Model, slot: number): bigint {
	let index = 0n;
	for (const id of model.contextIds(slot)) index = index * BigInt(model.V) + BigInt(id);
	return index;
}

const STEP_TEXT = [
	'the row: one score (weight) per next token',
	'minus the largest score, so that no exp overflows',
	'exp of each: all positive, the largest is 1',
	'divided by their sum: the probabilities',
	'pick the most probable token (ties: lowest id)',
];

const VALUE_WIDTH = 9;

function valuesOf(entry: RowEntry, step: number): string {
	const values = [formatValue(entry.score), formatValue(entry.shifted), formatValue(entry.exp), formatProbability(entry.p)];
	return values
		.slice(0, Math.min(step, 3) + 1)
		.map((v) => cell(v, VALUE_WIDTH, 'right'))
		.join('');
}

function sharedNote(steps: RowSteps, step: number): string {
	const e = steps.sharedEntry;
	if (!e) return 'every token has followed this context: no shared score';
	const others = `… ${formatCount(e.count)} other token${e.count === 1 ? '' : 's'}`;
	switch (step) {
		case 0:
			return `${others} share the score ${formatValue(e.score)}`;
		case 1:
			return `${others} share score − max = ${formatValue(e.shifted)}`;
		case 2:
			return `${others} share exp = ${formatValue(e.exp)}`;
		default:
			return `${others} have p = ${formatProbability(e.p)} each, ${formatProbability(e.p * e.count)} together`;
	}
}

function resultNote(model: Model, steps: RowSteps, step: number): string {
	if (step <= 1) return `max = ${formatValue(steps.max)}`;
	if (step === 2) return `sum of exp over all ${formatCount(steps.V)} tokens = ${formatValue(steps.total)}`;
	if (step === 3) return `Σ p over all ${formatCount(steps.V)} tokens = ${formatProbability(steps.pSum)}`;
	const token = tokenShape(model.vocabulary.tokens, steps.chosen.id).text;
	const tie = steps.tiedForBest > 1 ? `: ${formatCount(steps.tiedForBest)} tie, lowest id wins` : '';
	return `chosen: "${token}" (id ${steps.chosen.id}), p = ${formatProbability(steps.chosen.p)}${tie}`;
}

export function ModelStage({state, ctx}: StageViewProps<ModelState>) {
	// The model every stage uses (the one on disk until this session trains its own).
	const {model, label, inUse} = stageModel(ctx.session, ctx.train);
	const version = inUse?.origin === 'disk' ? -1 : ctx.train.version;
	const {columns, rows} = ctx;
	const g = modelGeometry(rows, columns);
	const summary = summaryLines(model);
	const count = model.rowCount;
	const row = Math.max(0, Math.min(count - 1, state.row));
	const top = listTop(state.top, row, g.listRows, count);
	const step = Math.max(0, Math.min(STEP_NAMES.length - 1, state.step));

	const list: React.ReactNode[] = [
		<Text key="h" bold wrap="truncate">
			{cell(`contexts (${formatCount(count)})`, g.listWidth)}
		</Text>,
	];
	for (let r = top; r < Math.min(count, top + g.listRows); r++) {
		const label = visible(model.label(r));
		list.push(
			<Text key={r} inverse={r === row} wrap="truncate">
				{cell((r === row ? '› ' : '  ') + label, g.listWidth)}
			</Text>,
		);
	}

	const panel: React.ReactNode[] = [];
	const line = (key: string, text: string, props: {bold?: boolean; color?: string; dim?: boolean} = {}) =>
		panel.push(
			<Text key={key} bold={props.bold} color={props.color} dimColor={props.dim} wrap="truncate">
				{fit(text, g.panelWidth)}
			</Text>,
		);
	let untrained = false;
	if (count === 0) {
		line('none', 'no contexts: the corpus has no training pair');
	} else {
		const headLines = 4;
		const footLines = 2;
		const space = Math.max(1, g.bodyRows - headLines - footLines);
		const steps = rowSteps(model, row, version, space);
		untrained = steps.allZero;
		line('row', `row ${visible(steps.label)}: ${formatCount(steps.explicitCount)} token${steps.explicitCount === 1 ? '' : 's'} seen after it, ${formatCount(steps.sharedCount)} never`, {bold: true});
		panel.push(
			<Text key="steps" wrap="truncate">
				{STEP_NAMES.map((name, i) => (
					<Text key={i} inverse={i === step} bold={i === step} dimColor={i > step}>
						{`${i === 0 ? '' : ' › '}${i} ${name}`}
					</Text>
				))}
			</Text>,
		);
		line('what', `step ${step}: ${STEP_TEXT[step]}`, {color: theme.accent});
		const tokenWidth = Math.max(6, g.panelWidth - 4 * VALUE_WIDTH - 2);
		const names = ['score', '−max', 'exp', 'p'].slice(0, Math.min(step, 3) + 1);
		line('cols', cell('token', tokenWidth) + names.map((name) => cell(name, VALUE_WIDTH, 'right')).join(''), {dim: true});
		const {entries, more} = entriesToShow(steps, space);
		for (const entry of entries) {
			const name = entry.shared ? `… ${formatCount(entry.count)} others` : tokenShape(model.vocabulary.tokens, entry.id).text;
			// The shared line stands for the chosen token when the lowest id among its tokens won.
			const chosen = step === 4 && entry.id === steps.chosen.id;
			const mark = chosen ? ' ◀' : '';
			panel.push(
				<Text key={`e${entry.shared ? 's' : entry.id}`} bold={chosen} color={chosen ? theme.good : undefined} wrap="truncate">
					{fit(cell(name, tokenWidth) + valuesOf(entry, step) + mark, g.panelWidth)}
				</Text>,
			);
		}
		if (more > 0) line('more', `… and ${formatCount(more)} more with lower p`, {dim: true});
		while (panel.length < g.bodyRows - footLines) panel.push(<Text key={`p${panel.length}`}> </Text>);
		line('shared', sharedNote(steps, step), {dim: true});
		line('result', resultNote(model, steps, step), {bold: step >= 3});
	}

	const status =
		count === 0
			? ''
			: untrained
				? `before training every weight is 0: every probability is 1/${formatCount(model.V)} = ${formatProbability(1 / model.V)}`
				: `${label} · context ${formatCount(row + 1)} of ${formatCount(count)} · row ${formatBig(fullRowIndex(model, row))} of the full table`;

	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			<Text bold wrap="truncate">
				{fit(summary[0], columns)}
			</Text>
			<Text wrap="truncate">{fit(summary[1], columns)}</Text>
			<Text wrap="truncate">{fit(summary[2], columns)}</Text>
			<Text wrap="truncate">{fit(summary[3], columns)}</Text>
			<Box height={g.bodyRows} overflow="hidden">
				<Box flexDirection="column" width={g.listWidth}>
					{list}
				</Box>
				<Box flexDirection="column" width={g.panelWidth} marginLeft={1}>
					{panel.slice(0, g.bodyRows)}
				</Box>
			</Box>
			<Text wrap="truncate" color={untrained ? theme.warn : undefined}>
				{fit(status, columns)}
			</Text>
		</Box>
	);
}
