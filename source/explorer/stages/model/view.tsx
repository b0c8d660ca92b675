/**
 * What is being trained: the table's shape and how little of it a corpus
 * touches, the contexts the corpus has, and one context's row turned into
 * next-token probabilities step by step.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Model} from '../../../models/table/model.js';
import type {StageViewProps} from '../types.js';
import {stageModel, type ModelInUse} from '../../session.js';
import {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {EmbeddingsModelView} from './embeddings-view.js';
import {AttentionModelView} from './attention-view.js';
import {AttentionModel} from '../../../models/attention/model.js';
import type {TrainSnapshot} from '../../train-controller.js';
import {theme} from '../../theme.js';
import {cell, fit, formatCount, joinWhole, lossText, visible, width, wrapText} from '../../text.js';
import {tokenShape} from '../corpus/layout.js';
import {summaryBlock} from './summary.js';

export {summaryLines} from './summary.js';
import {listTop, modelGeometry, type ModelState} from './state.js';
import {
	entriesToShow,
	formatBig,
	formatProbability,
	formatValue,
	rowSteps,
	STEP_NAMES,
	type RowEntry,
	type RowSteps,
} from './row.js';

/** Row `slot`'s index in the full table: its context ids read in base V. */
export function fullRowIndex(model: Model, slot: number): bigint {
	let index = 0n;
	for (const id of model.contextIds(slot)) index = index * BigInt(model.V) + BigInt(id);
	return index;
}

/** The last epoch's loss of this session's run (with pairs trained since), or nothing before one. */
function lossOf(train: TrainSnapshot): string {
	const last = train.log[train.log.length - 1];
	const pairs = train.position > 0 ? ` + ${formatCount(train.position)} pairs` : '';
	return last ? `loss ${lossText(last.avgLoss, 3)}${pairs}` : pairs.trim();
}

const STEP_TEXT = [
	'the row: one score (weight) per next token',
	'minus the largest score, so that no exp overflows',
	'exp of each: all positive, the largest is 1',
	'divided by their sum: the probabilities',
	'pick the most probable token (ties: lowest id)',
];

const VALUE_WIDTH = 9;

const VALUE_NAMES = ['score', '−max', 'exp', 'p'];

/** The value columns shown at `step`: the steps so far, the latest ones when not all fit in `room` columns. */
function valueColumns(step: number, room: number): number[] {
	const upTo = Math.min(step, 3);
	const fits = Math.max(1, Math.min(upTo + 1, Math.floor(room / VALUE_WIDTH)));
	return Array.from({length: fits}, (_, i) => upTo - fits + 1 + i);
}

function valuesOf(entry: RowEntry, shown: readonly number[]): string {
	const values = [formatValue(entry.score), formatValue(entry.shifted), formatValue(entry.exp), formatProbability(entry.p)];
	return shown.map((i) => cell(values[i]!, VALUE_WIDTH, 'right')).join('');
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
	if (step === 3 && model.n === 0 && !steps.allZero) {
		return `Σ p = ${formatProbability(steps.pSum)}; "in text" is each token's share: corpus-order SGD favours the end (try --shuffle)`;
	}
	if (step === 3) return `Σ p over all ${formatCount(steps.V)} tokens = ${formatProbability(steps.pSum)}`;
	const token = tokenShape(model.vocabulary.tokens, steps.chosen.id).text;
	const tie = steps.tiedForBest > 1 ? `: ${formatCount(steps.tiedForBest)} tie, lowest id wins` : '';
	return `chosen: "${token}" (id ${steps.chosen.id}), p = ${formatProbability(steps.chosen.p)}${tie}`;
}

export function ModelStage({state, ctx}: StageViewProps<ModelState>) {
	// The model every stage uses (the one on disk until this session trains its own).
	const shown = stageModel(ctx.session, ctx.train);
	// Each family draws its own model: a table's rows here, an embeddings model's path and map there.
	if (shown.model instanceof EmbeddingsModel) return <EmbeddingsModelView state={state} ctx={ctx} model={shown.model} label={shown.label} />;
	if (shown.model instanceof AttentionModel) return <AttentionModelView state={state} ctx={ctx} model={shown.model} label={shown.label} />;
	return <TableModelView state={state} ctx={ctx} model={shown.model} label={shown.label} inUse={shown.inUse} />;
}

function TableModelView({state, ctx, model, label, inUse}: StageViewProps<ModelState> & {model: Model; label: string; inUse: ModelInUse | null}) {
	const version = inUse?.origin === 'disk' ? -1 : ctx.train.version;
	const {columns, rows} = ctx;
	const summary = summaryBlock(model, rows, columns);
	const g = modelGeometry(rows, columns, summary.length);
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
		// On a short screen the step bar and the shared line give their rows to the tokens.
		const short = g.bodyRows < 12;
		// The row's name and the step's result wrap (two lines at most): they are what the keys change.
		const first = rowSteps(model, row, version, 3);
		const rowText = wrapText(
			`row ${visible(first.label)}: ${formatCount(first.explicitCount)} token${first.explicitCount === 1 ? '' : 's'} seen after it, ${formatCount(first.sharedCount)} never`,
			g.panelWidth,
		).slice(0, 2);
		const resultText = wrapText(resultNote(model, first, step), g.panelWidth).slice(0, 2);
		const headLines = rowText.length + (short ? 2 : 3);
		const footLines = resultText.length + (short ? 0 : 1);
		const space = Math.max(3, g.bodyRows - headLines - footLines);
		const steps = rowSteps(model, row, version, space);
		untrained = steps.allZero;
		rowText.forEach((text, i) => line(`row${i}`, text, {bold: true}));
		if (!short) {
			panel.push(
				<Text key="steps" wrap="truncate">
					{STEP_NAMES.map((name, i) => (
						<Text key={i} inverse={i === step} bold={i === step} dimColor={i > step}>
							{`${i === 0 ? '' : ' › '}${i} ${name}`}
						</Text>
					))}
				</Text>,
			);
		}
		line('what', `step ${step}: ${STEP_TEXT[step]}`, {color: theme.accent});
		const {entries, more} = entriesToShow(steps, space);
		const names = entries.map((entry) => (entry.shared ? `… ${formatCount(entry.count)} others` : tokenShape(model.vocabulary.tokens, entry.id).text));
		// The token column as wide as its widest name (the values sit beside the tokens), leaving one value's room.
		const tokenWidth = Math.max(6, Math.min(g.panelWidth - VALUE_WIDTH - 2, Math.max(...names.map((name) => width(name))) + 1));
		// The unigram's probabilities beside each token's share of the text: plain SGD in
		// corpus order favours the tokens near the end of the text; --shuffle does not.
		const withShare = model.n === 0 && step >= 3 && g.panelWidth - tokenWidth - 2 >= 2 * VALUE_WIDTH;
		const shownValues = valueColumns(step, g.panelWidth - tokenWidth - 2 - (withShare ? VALUE_WIDTH : 0));
		const totalTokens = model.vocabulary.frequencies.reduce((a, b) => a + b, 0);
		const shareOf = (entry: RowEntry) => (entry.shared ? '' : formatProbability(model.vocabulary.frequencies[entry.id]! / totalTokens));
		line('cols', cell('token', tokenWidth) + shownValues.map((i) => cell(VALUE_NAMES[i]!, VALUE_WIDTH, 'right')).join('') + (withShare ? cell('in text', VALUE_WIDTH, 'right') : ''), {dim: true});
		entries.forEach((entry, k) => {
			// The shared line stands for the chosen token when the lowest id among its tokens won.
			const chosen = step === 4 && entry.id === steps.chosen.id;
			const mark = chosen ? ' ◀' : '';
			panel.push(
				<Text key={`e${entry.shared ? 's' : entry.id}`} bold={chosen} color={chosen ? theme.good : undefined} wrap="truncate">
					{fit(cell(names[k]!, tokenWidth) + valuesOf(entry, shownValues) + (withShare ? cell(shareOf(entry), VALUE_WIDTH, 'right') : '') + mark, g.panelWidth)}
				</Text>,
			);
		});
		if (more > 0) line('more', `… and ${formatCount(more)} more with lower p`, {dim: true});
		while (panel.length < g.bodyRows - footLines) panel.push(<Text key={`p${panel.length}`}> </Text>);
		if (!short) line('shared', sharedNote(steps, step), {dim: true});
		resultText.forEach((text, i) => line(`result${i}`, text, {bold: step >= 3}));
	}

	const status =
		count === 0
			? ''
			: untrained
				? `before training every weight is 0: every probability is 1/${formatCount(model.V)} = ${formatProbability(1 / model.V)}`
				: joinWhole(
						[
							// Which model this is comes first: every stage shows the same one.
							visible(label),
							inUse?.origin === 'session' ? lossOf(ctx.train) : '',
							`context ${formatCount(row + 1)} of ${formatCount(count)}`,
							`row ${formatBig(fullRowIndex(model, row))} of the full table`,
						],
						columns,
					);

	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			{summary.map((s, i) => (
				<Text key={`s${i}`} bold={s.sentence === 0} wrap="truncate">
					{s.text}
				</Text>
			))}
			<Box height={g.bodyRows} overflow="hidden">
				{g.listWidth ? (
					<Box flexDirection="column" width={g.listWidth}>
						{list}
					</Box>
				) : null}
				<Box flexDirection="column" width={g.panelWidth} marginLeft={g.listWidth ? 1 : 0}>
					{panel.slice(0, g.bodyRows)}
				</Box>
			</Box>
			<Text wrap="truncate" color={untrained ? theme.warn : undefined}>
				{fit(status, columns)}
			</Text>
		</Box>
	);
}
