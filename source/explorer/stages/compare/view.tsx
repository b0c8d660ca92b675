/**
 * The compare stage: the prompt's next-token distribution under the four
 * context sizes side by side, and a sentence reading them.
 */
import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {NAMES, NO_HELD_OUT_NOTE, readComparison, readGeneralisation, viewOf, type ContextView, type Generalisation, type Settling} from '../../../models/compare.js';
import {convergence} from '../../../models/convergence.js';
import type {ContextSize} from '../../../models/table/model.js';
import {readPrompt} from '../../../models/prompt.js';
import type {CompareSnapshot} from '../../compare-models.js';
import {theme} from '../../theme.js';
import {bar, cell, fit, formatCount, percentWithin, visible, width, wrapText, wrapWithin} from '../../text.js';
import type {StageContext} from '../types.js';
import {wrapPrompt} from '../prompt/layout.js';

const TITLES = ['unigram (0)', 'bigram (1)', 'context-2', 'context-3'];

const REASONS: Record<string, string> = {
	'too-short': 'too short',
	'unknown-token': 'unknown',
	'unseen-context': 'unseen',
};

/**
 * Candidates per model for a stage of `rows` lines: 5 from 80x24 down to
 * where the columns need the rows, and on a taller terminal what it has
 * beyond the 16 other lines (title, row, entropy, best, the reading…).
 */
export function topCandidates(rows: number): number {
	return Math.max(1, Math.min(rows - 12, Math.max(5, rows - 16), 40));
}

export function CompareStage({ctx, text, typing, compare}: {ctx: StageContext; text: string; typing: boolean; compare: CompareSnapshot}) {
	const {columns, rows, session} = ctx;
	const models = session.compare;
	const topCount = topCandidates(rows);
	const views = useMemo(() => {
		// Looked up as the prompt stage does (the series' case rule); the four share the corpus's vocabulary.
		const {tokens} = readPrompt(session.corpus.vocabulary, text);
		return [0, 1, 2, 3].map((n) => {
			const model = models.model(n as ContextSize);
			return model ? viewOf(model, tokens, topCount) : undefined;
		});
	}, [text, compare.version, compare.ready.join(), topCount, models]);
	const ready = views.filter((v): v is ContextView => v !== undefined);
	// On a large corpus the unigram (and the bigram) can take long: read the
	// models that are ready, and say which are still to come.
	const waiting = [0, 1, 2, 3].filter((n) => !views[n] && !models.tooShort(n));
	// A model trained here is read only once its loss has settled (models/convergence.ts).
	const settling = (n: ContextSize): Settling => {
		const losses = models.losses(n);
		if (!losses) return {unknown: 'from the artifacts, settled or not is not known'};
		const c = convergence(losses);
		if (c.settled === undefined) return {unknown: 'one epoch is too few to tell whether it settled'};
		return c.settled ? {} : {falling: {drop: c.drop, over: c.over}};
	};
	// With held-out text: each model's loss on it, and which generalises and which memorises.
	const generalisation = [0, 1, 2, 3].map((n) => models.generalisation(n as ContextSize)).filter((g): g is Generalisation => g !== undefined);
	let reading =
		ready.length === 0 || (ready.length === 1 && waiting.length > 0)
			? 'The comparison is read once two models are ready.'
			: readComparison(ready, settling) +
				(waiting.length > 0 ? ` (So far: ${waiting.map((n) => NAMES[n]).join(' and ')} ${waiting.length === 1 ? 'is' : 'are'} still training.)` : '') +
				// Which generalises best is read once all four are ready (one still training could be it).
				(models.holdsOut && generalisation.length >= 2 && waiting.length === 0 ? ` ${readGeneralisation(generalisation)}` : '');
	// Without held-out text, a note that one would tell memorising from generalising, where it fits whole.
	const note = !models.holdsOut && ready.length >= 2 ? ` ${NO_HELD_OUT_NOTE}` : '';

	const gap = 1;
	const cw = Math.floor((columns - gap * 3) / 4);
	const column = (n: number): string[] => {
		const v = views[n];
		const lines: string[] = [TITLES[n]!];
		if (!v) {
			lines.push(
				models.tooShort(n)
					? 'corpus too short'
					: compare.started
						? `training ${compare.epochs[n]}/${compare.target}`
						: 'waiting',
			);
			return lines;
		}
		// The longest wording that fits the column (the reading below says why a model has no row).
		const rowLine = v.row !== null ? [`row ${visible(v.row)}`, visible(v.row)] : [`uniform: ${REASONS[v.reason ?? ''] ?? 'no row'}`, 'uniform'];
		lines.push(rowLine.find((text) => width(text) <= cw) ?? rowLine[rowLine.length - 1]!);
		lines.push(`H ${v.entropy.toFixed(2)} bits`);
		const g = generalisation.find((x) => x.n === n);
		if (models.holdsOut) {
			// The longest wording that fits the column.
			const held = g ? [`held-out ${g.heldOut.loss.toFixed(2)} nats`, `held ${g.heldOut.loss.toFixed(2)} nats`, `held ${g.heldOut.loss.toFixed(2)}`] : ['held-out …'];
			lines.push(fit(held.find((text) => width(text) <= cw) ?? held[held.length - 1]!, cw));
		}
		const tokenWidth = Math.max(4, Math.min(12, cw - 13));
		const barWidth = Math.max(1, cw - tokenWidth - 8);
		// Tokens tied at the last listed probability (every token a row never saw) are one line.
		const lastP = v.top[v.top.length - 1]!.probability;
		const firstTied = v.top.findIndex((t) => t.probability === lastP);
		const collapse = v.top.length - firstTied >= 2 && v.tiedWithLast > v.top.length - firstTied;
		for (const t of collapse ? v.top.slice(0, firstTied) : v.top) lines.push(`${cell(visible(t.token), tokenWidth)} ${cell(percentWithin(t.probability, 6), 6, 'right')} ${bar(t.probability, barWidth)}`);
		if (collapse) lines.push(fit(`… ${formatCount(v.tiedWithLast)} at ${percentWithin(lastP, 6)} each`, cw));
		lines.push(`best: ${visible(v.best)}`);
		return lines;
	};
	const blocks = [0, 1, 2, 3].map(column);
	const height = Math.max(...blocks.map((b) => b.length));

	const SHORT = ['unigram', 'bigram', 'context-2', 'context-3'];
	const progress = [0, 1, 2, 3]
		.map((n) =>
			models.tooShort(n)
				? `${SHORT[n]} -`
				: compare.fromArtifacts[n]
					? `${SHORT[n]} (artifacts)`
					: `${SHORT[n]} ${compare.ready[n] ? '✓' : `${compare.epochs[n]}/${compare.target}`}`,
		)
		.join(' · ');

	const lines: React.ReactNode[] = [];
	// The prompt's newest text and the cursor (a glyph, seen without colour), as on the prompt stage.
	const hint = typing ? '' : `${text ? '' : '(empty)'}  Enter or i to type`;
	const [tail = []] = wrapPrompt(text, '', typing, columns - 9 - width(hint), 1);
	lines.push(
		<Text wrap="truncate">
			<Text bold color={typing ? theme.accent : undefined}>{typing ? 'Prompt › ' : 'Prompt   '}</Text>
			{tail.map((piece) => piece.text).join('')}
			<Text color={theme.muted}>{hint}</Text>
		</Text>,
	);
	lines.push(<Text> </Text>);
	for (let r = 0; r < height; r++) {
		lines.push(
			<Text wrap="truncate">
				{blocks.map((b, n) => (
					<Text key={n} bold={r === 0} color={r === 0 ? theme.accent : undefined}>
						{cell(b[r] ?? '', cw) + (n < 3 ? ' '.repeat(gap) : '')}
					</Text>
				))}
			</Text>,
		);
	}
	// The reading is a sentence to read whole: the blank lines, then the progress line, give way to it.
	const room = rows - lines.length;
	if (note && wrapText(visible(reading + note), columns).length + 1 <= room) reading += note;
	const readingLines = wrapText(visible(reading), columns);
	const spaced = readingLines.length + 3 <= room;
	const withProgress = readingLines.length + 1 <= room;
	if (spaced) lines.push(<Text> </Text>);
	for (const line of wrapWithin(visible(reading), columns, Math.max(1, room - (spaced ? 3 : withProgress ? 1 : 0)))) lines.push(<Text wrap="truncate">{line}</Text>);
	if (spaced) lines.push(<Text> </Text>);
	if (withProgress) {
		lines.push(
			<Text color={theme.muted} wrap="truncate">
				{fit(`${session.settings.epochs} epochs, lr ${session.settings.learningRate}: ${progress}`, columns)}
			</Text>,
		);
	}
	return (
		<Box flexDirection="column" width={columns} height={rows}>
			{lines.slice(0, rows).map((node, i) => (
				<Box key={i} width={columns}>
					{node}
				</Box>
			))}
		</Box>
	);
}
