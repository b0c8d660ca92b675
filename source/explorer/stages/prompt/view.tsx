/**
 * The prompt stage's view. From the top: the model, the decoding settings,
 * the prompt (wrapped, its newest text and the cursor always shown), whether
 * keys are typing, what the last action did, the context looked up, and the
 * candidates: the model's probabilities and, when sampling, the distribution
 * actually drawn from beside them. The candidates take the rows a terminal
 * has beyond FIXED_ROWS and the prompt's.
 */
import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {entropyBits, samplingDistribution} from '../../../models/sample.js';
import {theme} from '../../theme.js';
import {attentionMatrixLines, weightShade} from '../model/attention-lines.js';
import {bar, cell, fit, formatCount, visible, width, wrapWithin} from '../../text.js';
import type {StageViewProps} from '../types.js';
import {analyse, attentionRows, candidateCount, currentModel, type PromptState} from './state.js';
import {AttentionModel} from '../../../models/attention/model.js';
import {Model} from '../../../models/table/model.js';
import {hasTrained} from '../../train-controller.js';
import {covered, PROBABILITY_WIDTH, probabilityText, shortReason, tokenCount, wrapPrompt, type Piece} from './layout.js';

function decodingParts(state: PromptState): string[] {
	const d = state.decode;
	const each = `${state.num} tokens per Enter`;
	if (d.mode === 'greedy') return ['greedy (always the most likely token)', `seed ${state.seed}`, each];
	return ['sample', `temperature ${d.temperature}`, `top-k ${d.topK === 0 ? 'all' : d.topK}`, `top-p ${d.topP}`, `seed ${state.seed}`, each];
}

/** As many of `parts` as fit in `columns`, joined: the first always, cut only if it alone is too wide. */
function joinWithin(parts: readonly string[], separator: string, columns: number): string {
	let out = parts[0] ?? '';
	for (const part of parts.slice(1)) {
		const next = `${out}${separator}${part}`;
		if (width(next) > columns) break;
		out = next;
	}
	return fit(out, columns);
}

/**
 * Where the last position looks, on one line: each context token with a
 * shade (░▒▓█ by fifths) and its weight, as many as fit.
 */
export function attentionLine(context: readonly string[], weights: ArrayLike<number>, columns: number): React.ReactNode {
	const parts = context.map((token, t) => `${visible(token)} ${weightShade(weights[t]!)}${weights[t]!.toFixed(2)}`);
	return (
		<>
			<Text bold>Attention </Text>
			{joinWithin([...parts, '(where the last token looks)'], '  ', columns - 10)}
		</>
	);
}

const LABEL = 'Prompt › ';
const LABEL_WIDTH = width(LABEL);

function PieceText({piece}: {piece: Piece}) {
	switch (piece.kind) {
		case 'generated':
			return <Text bold color={theme.good}>{piece.text}</Text>;
		case 'mark':
		case 'cut':
			return <Text color={theme.muted}>{piece.text}</Text>;
		case 'cursor':
			return <Text color={theme.accent}>{piece.text}</Text>;
		default:
			return <Text>{piece.text}</Text>;
	}
}

export function PromptStage({state, ctx}: StageViewProps<PromptState>) {
	const {columns, rows} = ctx;
	const {model, source, error, inUse} = currentModel(ctx);
	const count = model ? candidateCount(rows, model.V, attentionRows(model, rows)) : 0;
	const version = hasTrained(ctx.train) ? ctx.train.version : -1;
	const view = useMemo(() => (model ? analyse(model, state.text, count) : null), [model, state.text, count, version]);
	const sampled = useMemo(
		() => (model && view && state.decode.mode === 'sample' ? samplingDistribution(view.prediction.scores, state.decode) : null),
		[model, view, state.decode],
	);
	const head: React.ReactNode[] = [];
	const body: React.ReactNode[] = [];

	// Which model answers, whole (up to two lines): corpus, context, epochs, lr, when, where.
	const other = inUse !== undefined && !inUse.sameCorpus;
	wrapWithin(model ? visible(source) : 'none yet', columns - 6, 2).forEach((text, i) =>
		head.push(
			<Text wrap="truncate" color={other ? theme.warn : undefined}>
				<Text bold>{i === 0 ? 'Model ' : '      '}</Text>
				{text}
			</Text>,
		),
	);
	head.push(
		<Text wrap="truncate">
			<Text bold>Decoding </Text>
			{joinWithin(decodingParts(state), ' · ', columns - 9)}
		</Text>,
	);

	// The mode, said in words: whether keys are text or commands.
	const top = model && view && view.prediction.row !== null ? visible(model.vocabulary.tokens[view.candidates[0] ?? 0]!) : undefined;
	const modeParts = state.typing
		? state.selected >= 0 && model && view
			? ['typing', `Enter appends "${visible(model.vocabulary.tokens[view.candidates[state.selected]!]!)}"`, 'Esc unpicks']
			: ['typing — Esc to stop', `Enter continues ${state.num} tokens`, ...(top ? [`→ takes "${top}"`] : []), '↑↓ pick']
		: ['not typing — press i or Enter to type', 'm t/T k/K p/P e/E decoding', 'x resets it'];
	const modeLine = (
		<Text wrap="truncate" color={state.typing ? theme.accent : theme.warn} bold={state.typing}>
			{joinWithin(modeParts, ' · ', columns)}
		</Text>
	);
	// The last action's result, else how the prompt was read (The owl as the owl), if differently.
	const noteText = state.note || (state.appended.length ? `Appended ${tokenCount(state.appended.length)} (between « »).` : '') || (view?.readingNote ? `Prompt ${view.readingNote}.` : '');
	// What the last action did: up to two lines, so a reason is read whole.
	const noteLines = wrapWithin(visible(noteText), columns, 2).map((text) => (
		<Text wrap="truncate" color={state.note ? theme.warn : theme.muted}>
			{text}
		</Text>
	));

	if (!model || !view) {
		for (const text of wrapWithin(`No model to ask: ${visible(error ?? 'none')}`, columns, 3)) {
			body.push(
				<Text color={theme.bad} wrap="truncate">
					{text}
				</Text>,
			);
		}
		body.push(<Text wrap="truncate">{fit('A run in stage 4 answers here from its first step.', columns)}</Text>);
	} else {
		const {prediction, lines, tokens} = view;
		const n = model.n;
		body.push(
			prediction.fromVectors ? (
				<Text wrap="truncate" color={prediction.fromVectors.seen === false ? theme.accent : undefined}>
					<Text bold>Context </Text>
					{joinWithin(
						[
							`"${visible(prediction.context.join(' '))}"`,
							prediction.fromVectors.seen === false ? "never seen in training: predicted from the tokens' vectors" : prediction.fromVectors.seen ? "seen in training; predicted from the tokens' vectors" : "predicted from the tokens' vectors",
						],
						' ',
						columns - 8,
					)}
				</Text>
			) : prediction.row !== null && model instanceof Model ? (
				<Text wrap="truncate">
					<Text bold>Context </Text>
					{n === 0
						? fit('none: a unigram model has one row for every prompt', columns - 8)
						: joinWithin(
								[
									`last ${n} token${n === 1 ? '' : 's'} "${visible(prediction.context.join(' '))}" → row ${visible(prediction.row)}`,
									`(row ${formatCount(model.rowIndex(prediction.slot))} of ${formatCount(model.fullRowCount)})`,
								],
								' ',
								columns - 8,
							)}
				</Text>
			) : (
				<Text wrap="truncate" color={theme.warn}>
					<Text bold>Uniform </Text>
					{joinWithin([shortReason(model, prediction), 'every next token is equally likely'], ': ', columns - 8)}
				</Text>
			),
		);
		if (prediction.attention && model instanceof AttentionModel && attentionRows(model, rows) > 1) {
			// A tall screen: the whole matrix, a row per query position (the last one predicts).
			const ids = prediction.context.map((token) => model.vocabulary.ids.get(token)!);
			attentionMatrixLines(model, ids, columns - 10, model.n + 1).forEach((line, i) =>
				body.push(
					<Text wrap="truncate" bold={line.bold}>
						<Text bold>{i === 0 ? 'Attention ' : '          '}</Text>
						{line.text}
					</Text>,
				),
			);
		} else if (prediction.attention) body.push(<Text wrap="truncate">{attentionLine(prediction.context, prediction.attention, columns)}</Text>);
		const entropy = entropyBits(prediction.probabilities);
		const kept = sampled ? new Map(sampled.ids.map((id, k) => [id, sampled.probabilities[k]!])) : null;
		const drawn = sampled ? `sampled from ${sampled.ids.length === model.V ? 'all' : formatCount(sampled.ids.length)} of ${tokenCount(model.V)}` : '';
		body.push(
			<Text wrap="truncate">
				<Text bold>Next token </Text>
				{joinWithin([`entropy ${entropy.toFixed(2)} bits`, ...(drawn ? [drawn] : []), `uniform: ${Math.log2(model.V).toFixed(2)} bits`, `${tokenCount(tokens.length)} in the prompt`], ' · ', columns - 11)}
			</Text>,
		);
		const tokenColumn = Math.min(24, Math.max(8, ...lines.map((line) => (line.kind === 'token' ? width(visible(model.vocabulary.tokens[line.id]!)) : 0))));
		const P = PROBABILITY_WIDTH;
		// prefix 3, token, then " p% bar" (and " │ p% bar" when sampling).
		const free = columns - 3 - tokenColumn - (P + 2) - (sampled ? P + 4 : 9);
		const barWidth = Math.max(3, sampled ? Math.floor(free / 2) : free);
		let listed = 0;
		for (const line of lines) {
			if (line.kind === 'tie') {
				let note = '';
				if (kept) {
					let keptTies = 0;
					let share = 0;
					for (const [id, q] of kept) {
						if (prediction.probabilities[id] === line.p) {
							keptTies++;
							share = q;
						}
					}
					note = keptTies === 0 ? ' · all cut' : keptTies === line.count ? ` · sampled ${probabilityText(share)} each` : ` · ${formatCount(keptTies)} kept, ${probabilityText(share)} each`;
				}
				body.push(
					<Text wrap="truncate" color={theme.muted}>
						{fit(`   ${listed === 0 ? '' : '… '}${tokenCount(line.count)} tied at ${probabilityText(line.p)} each${note}`, columns)}
					</Text>,
				);
				listed++;
				continue;
			}
			const index = view.candidates.indexOf(line.id);
			const picked = state.typing && index === state.selected;
			const q = kept?.get(line.id);
			body.push(
				<Text wrap="truncate" inverse={picked}>
					{picked ? ' › ' : '   '}
					{cell(visible(model.vocabulary.tokens[line.id]!), tokenColumn)}
					{' '}
					{cell(probabilityText(line.p), P, 'right')}
					{' '}
					<Text color={picked ? undefined : theme.accent}>{cell(bar(line.p, barWidth), barWidth)}</Text>
					{kept ? (
						<>
							{' │ '}
							{cell(q === undefined ? 'cut' : probabilityText(q), P, 'right')}
							{' '}
							<Text color={picked ? undefined : theme.good}>{bar(q ?? 0, barWidth)}</Text>
						</>
					) : listed === 0 && prediction.row !== null ? (
						<Text color={theme.muted}> ← greedy</Text>
					) : null}
				</Text>,
			);
			listed++;
		}
		const {tokens: shown, probability} = covered(lines);
		// How many of the tokens not listed sampling can still draw.
		let restSampled = '';
		if (sampled) {
			let keptListed = 0;
			for (const line of lines) {
				if (line.kind === 'token') keptListed += kept!.has(line.id) ? 1 : 0;
				else for (const id of sampled.ids) if (prediction.probabilities[id] === line.p) keptListed++;
			}
			const keptRest = sampled.ids.length - keptListed;
			restSampled = keptRest === 0 ? ' · all cut' : ` · ${formatCount(keptRest)} kept`;
		}
		if (model.V > shown) {
			body.push(
				<Text color={theme.muted} wrap="truncate">
					{fit(`   … ${formatCount(model.V - shown)} more token${model.V - shown === 1 ? '' : 's'} hold ${probabilityText(Math.max(0, 1 - probability))}${restSampled}`, columns)}
				</Text>,
			);
		}
	}

	// The prompt takes the rows left; it shows its last lines when it needs more.
	const promptRows = Math.max(1, rows - head.length - 1 - noteLines.length - body.length);
	const generated = state.appended.length && state.text.endsWith(state.appended.join(' ')) ? state.appended.join(' ') : '';
	const typed = state.text.slice(0, state.text.length - generated.length);
	const wrapped = wrapPrompt(typed, generated, state.typing, columns - LABEL_WIDTH, promptRows);
	const promptLines = wrapped.map((pieces, i) => (
		<Text wrap="truncate">
			<Text bold color={state.typing ? theme.accent : undefined}>
				{i === 0 ? LABEL : ' '.repeat(LABEL_WIDTH)}
			</Text>
			{pieces.map((piece, k) => (
				<PieceText key={k} piece={piece} />
			))}
			{i === 0 && state.text === '' && !state.typing ? <Text color={theme.muted}>(empty)</Text> : null}
		</Text>
	));
	const all = [...head, ...promptLines, modeLine, ...noteLines, ...body];
	return (
		<Box flexDirection="column" height={rows} width={columns}>
			{all.slice(0, rows).map((node, i) => (
				<Box key={i} width={columns}>
					{node}
				</Box>
			))}
		</Box>
	);
}
