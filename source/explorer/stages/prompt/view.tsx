import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {entropyBits, explainUniform} from '../../../models/sample.js';
import {theme} from '../../theme.js';
import {bar, cell, fit, formatCount, percent, percentWithin, visible, width} from '../../text.js';
import type {StageViewProps} from '../types.js';
import {analyse, candidateCount, currentModel, type PromptState} from './state.js';
import {hasTrained} from '../../train-controller.js';

function decodingText(state: PromptState): string {
	const d = state.decode;
	if (d.mode === 'greedy') return `greedy (always the most likely token) · seed ${state.seed}`;
	return `sample · temperature ${d.temperature} · top-k ${d.topK === 0 ? 'all' : d.topK} · top-p ${d.topP} · seed ${state.seed}`;
}

export function PromptStage({state, ctx}: StageViewProps<PromptState>) {
	const {columns, rows} = ctx;
	const {model, source, error} = currentModel(ctx);
	const count = model ? candidateCount(rows, model.V) : 0;
	const version = hasTrained(ctx.train) ? ctx.train.version : -1;
	const view = useMemo(() => (model ? analyse(model, state.text, count) : null), [model, state.text, count, version]);
	const lines: React.ReactNode[] = [];
	const line = (node: React.ReactNode) => lines.push(node);

	line(
		<Text wrap="truncate">
			<Text bold>Model </Text>
			{fit(model ? `${source} · ${formatCount(model.V)} tokens` : 'none yet', columns - 6)}
		</Text>,
	);
	line(
		<Text wrap="truncate">
			<Text bold>Decoding </Text>
			{fit(`${decodingText(state)} · ${state.num} tokens per Enter`, columns - 9)}
		</Text>,
	);
	line(<Text> </Text>);

	// The prompt: its tail, so the end (where typing happens) is always visible.
	const appendedText = state.appended.length ? state.appended.join(' ') : '';
	const shown = visible(state.text);
	const budget = columns - 10;
	let body = shown;
	while (width(body) > budget) body = body.slice(Math.max(1, Math.floor(body.length / 8)));
	const cutAt = appendedText && body.endsWith(visible(appendedText)) ? body.length - visible(appendedText).length : body.length;
	line(
		<Text wrap="truncate">
			<Text bold color={state.typing ? theme.accent : undefined}>{state.typing ? 'Prompt › ' : 'Prompt   '}</Text>
			{body.length < shown.length ? '…' : ''}
			{body.slice(0, cutAt)}
			<Text bold color={theme.good} underline={appendedText !== ''}>
				{body.slice(cutAt)}
			</Text>
			{state.typing ? <Text inverse> </Text> : <Text color={theme.muted}>{state.text ? '' : '(empty)'}  Enter or i to type</Text>}
		</Text>,
	);
	line(<Text> </Text>);

	if (!model || !view) {
		line(<Text color={theme.bad} wrap="truncate">{fit(`No model to ask: ${error ?? 'none'}`, columns)}</Text>);
		line(<Text wrap="truncate">{fit('Train one in stage 4; this stage uses it as soon as the run finishes.', columns)}</Text>);
	} else {
		const {prediction, candidates, tokens} = view;
		const n = model.n;
		if (prediction.row !== null) {
			line(
				<Text wrap="truncate">
					<Text bold>Context </Text>
					{fit(
						n === 0
							? 'none: a unigram model has one row for every prompt'
							: `last ${n} token${n === 1 ? '' : 's'} "${visible(prediction.context.join(' '))}" → row ${visible(prediction.row)} (row ${formatCount(model.rowIndex(prediction.slot))} of ${formatCount(model.fullRowCount)})`,
						columns - 8,
					)}
				</Text>,
			);
		} else {
			line(
				<Text wrap="truncate" color={theme.warn}>
					<Text bold>Uniform </Text>
					{fit(visible(explainUniform(model, prediction)), columns - 8)}
				</Text>,
			);
		}
		const entropy = entropyBits(prediction.probabilities);
		line(
			<Text wrap="truncate">
				<Text bold>Next token </Text>
				{fit(`entropy ${entropy.toFixed(2)} bits (uniform: ${Math.log2(model.V).toFixed(2)}) · ${tokens.length} prompt token${tokens.length === 1 ? '' : 's'}`, columns - 11)}
			</Text>,
		);
		const tokenColumn = Math.min(24, Math.max(8, ...candidates.map((id) => width(visible(model.vocabulary.tokens[id]!)))));
		const barWidth = Math.max(5, columns - tokenColumn - 14);
		candidates.forEach((id, k) => {
			const p = prediction.probabilities[id]!;
			const picked = k === state.selected;
			line(
				<Text wrap="truncate" inverse={picked}>
					{picked ? ' › ' : '   '}
					{cell(visible(model.vocabulary.tokens[id]!), tokenColumn)}
					{' '}
					{cell(percentWithin(p, 8), 8, 'right')}
					{' '}
					<Text color={picked ? undefined : theme.accent}>{bar(p, barWidth)}</Text>
				</Text>,
			);
		});
		if (model.V > candidates.length) {
			let rest = 0;
			for (let j = 0; j < model.V; j++) rest += prediction.probabilities[j]!;
			for (const id of candidates) rest -= prediction.probabilities[id]!;
			line(<Text color={theme.muted} wrap="truncate">{fit(`   … ${formatCount(model.V - candidates.length)} more tokens hold ${percent(Math.max(0, rest))}`, columns)}</Text>);
		}
		line(<Text> </Text>);
		const top = visible(model.vocabulary.tokens[candidates[0]!]!);
		line(
			<Text color={theme.muted} wrap="truncate">
				{fit(
					state.typing
						? state.selected >= 0
							? `Enter appends "${visible(model.vocabulary.tokens[candidates[state.selected]!]!)}" · Esc unpicks`
							: `Enter continues ${state.num} tokens (${state.decode.mode}) · → takes "${top}" · ↑↓ pick a candidate`
						: 'm greedy/sample · t/T temperature · k/K top-k · p/P top-p · e/E seed · x clear',
					columns,
				)}
			</Text>,
		);
	}
	return (
		<Box flexDirection="column" height={rows} width={columns}>
			{lines.slice(0, rows).map((node, i) => (
				<Box key={i} width={columns}>
					{node}
				</Box>
			))}
		</Box>
	);
}
