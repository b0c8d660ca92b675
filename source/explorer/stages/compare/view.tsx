/**
 * The compare stage: the prompt's next-token distribution under the four
 * context sizes side by side, and a sentence reading them.
 */
import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {NAMES, NO_HELD_OUT_NOTE, readComparison, readEmbeddings, readGeneralisation, viewOf, type ContextView, type Generalisation, type Settling} from '../../../models/compare.js';
import {convergence} from '../../../models/convergence.js';
import type {ContextSize} from '../../../models/table/model.js';
import {readPrompt} from '../../../models/prompt.js';
import {VECTOR_KINDS, type CompareSnapshot} from '../../compare-models.js';
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

/** From this width the five models stand side by side; below it, one model a row (v: the table columns). */
export const FIVE_COLUMNS = 100;
/** From this width the two vector models are columns too, beside the four tables. */
export const SIX_COLUMNS = 132;

export function CompareStage({ctx, text, typing, compare, columnsView = false}: {ctx: StageContext; text: string; typing: boolean; compare: CompareSnapshot; columnsView?: boolean}) {
	const {columns, rows, session} = ctx;
	const models = session.compare;
	const topCount = topCandidates(rows);
	const views = useMemo(() => {
		// Looked up as the prompt stage does (the series' case rule); the four share the corpus's vocabulary.
		const {tokens} = readPrompt(session.corpus.vocabulary, text);
		return [
			...[0, 1, 2, 3].map((n) => {
				const model = models.model(n as ContextSize);
				return model ? viewOf(model, tokens, topCount) : undefined;
			}),
			// The embeddings model (4) and the attention model (5).
			...[0, 1].map((k) => {
				const model = models.vectorModel(k);
				return model ? viewOf(model, tokens, topCount) : undefined;
			}),
		];
	}, [text, compare.version, compare.ready.join(), compare.vectors.map((v) => v.state).join(), topCount, models]);
	const figures = [0, 1].map((k) => models.vectorFigures(k));
	const vectorOf = (n: number) => (n >= 4 ? {k: n - 4, view: views[n], figures: figures[n - 4]!, progress: compare.vectors[n - 4]!, kind: VECTOR_KINDS[n - 4]!} : undefined);
	const ready = views.slice(0, 4).filter((v): v is ContextView => v !== undefined);
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
	// The vector models beside the table of their context, once both are ready (added below where each fits whole).
	const vectorReadings: string[] = [];
	for (const n of [4, 5]) {
		const {view, figures: f, kind} = vectorOf(n)!;
		if (!view || ready.length < 2) continue;
		let part = ` ${readEmbeddings(view, f.n <= 3 ? views[f.n] : undefined)}`;
		const held = f.heldOut;
		const table = generalisation.find((g) => g.n === f.n);
		if (models.holdsOut && held) part += ` On the held-out text the ${kind} model scores ${held.loss.toFixed(2)} nats${table ? ` (${NAMES[table.n]} ${table.heldOut.loss.toFixed(2)})` : ''}.`;
		vectorReadings.push(part);
	}
	// Without held-out text, a note that one would tell memorising from generalising, where it fits whole.
	const note = !models.holdsOut && ready.length >= 2 ? ` ${NO_HELD_OUT_NOTE}` : '';

	// Six columns from SIX_COLUMNS; the four tables as columns (the vector models a line each under them) from FIVE_COLUMNS or with v; else a row per model.
	const wide = columns >= SIX_COLUMNS;
	const listed = columns < FIVE_COLUMNS && !columnsView;
	const count = wide ? 6 : 4;
	const gap = 1;
	const cw = Math.floor((columns - gap * (count - 1)) / count);
	const titleOf = (n: number) => (n >= 4 ? `${VECTOR_KINDS[n - 4]} (${figures[n - 4]!.n})` : TITLES[n]!);
	const waitingText = (n: number): string => {
		if (n >= 4) {
			const {progress: e, figures: f} = vectorOf(n)!;
			if (models.tooShort(f.n)) return 'corpus too short';
			if (e.state === 'asked') return `slow: about ${duration(e.estimateSeconds ?? 0)}; t trains it`;
			return e.state === 'training' ? `training ${e.epochs}/${compare.target}` : n === 4 ? 'after the tables' : 'after embeddings';
		}
		return models.tooShort(n) ? 'corpus too short' : compare.started ? `training ${compare.epochs[n]}/${compare.target}` : 'waiting';
	};
	const column = (n: number): string[] => {
		const v = views[n];
		const lines: string[] = [titleOf(n)];
		if (!v) {
			lines.push(waitingText(n));
			return lines;
		}
		// The longest wording that fits the column (the reading below says why a model has no row).
		// The attention model's row line is where it looks: a weight per context position.
		const looks = v.attention ? [`looks ${v.attention.map((a) => a.toFixed(2)).join(' ')}`, `a ${v.attention.map((a) => a.toFixed(2)).join(' ')}`] : undefined;
		const rowLine = looks && v.row !== null ? looks : n >= 4 && v.row !== null ? ['from the vectors', 'vectors'] : v.row !== null ? [`row ${visible(v.row)}`, visible(v.row)] : [`uniform: ${REASONS[v.reason ?? ''] ?? 'no row'}`, 'uniform'];
		lines.push(fit(rowLine.find((text) => width(text) <= cw) ?? rowLine[rowLine.length - 1]!, cw));
		lines.push(`H ${v.entropy.toFixed(2)} bits`);
		const vector = vectorOf(n);
		const g = vector ? (vector.figures.heldOut ? {n: 2 as ContextSize, heldOut: vector.figures.heldOut} : undefined) : generalisation.find((x) => x.n === n);
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
	const blocks = (wide ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3]).map(column);
	const height = listed ? 0 : Math.max(...blocks.map((b) => b.length));

	const SHORT = ['unigram', 'bigram', 'context-2', 'context-3'];
	const progress = [0, 1, 2, 3]
		.map((n) =>
			models.tooShort(n)
				? `${SHORT[n]} -`
				: compare.fromArtifacts[n]
					? `${SHORT[n]} (artifacts)`
					: `${SHORT[n]} ${compare.ready[n] ? '✓' : `${compare.epochs[n]}/${compare.target}`}`,
		)
		.concat(
			compare.vectors.map((e, k) =>
				e.state === 'ready' ? `${VECTOR_KINDS[k]} ✓` : e.state === 'asked' ? `${VECTOR_KINDS[k]} on request (t, ~${duration(e.estimateSeconds ?? 0)})` : `${VECTOR_KINDS[k]} ${e.epochs}/${compare.target}`,
			),
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
	// On a short screen the rows of models sit right under the prompt, so the reading keeps its lines.
	if (!(listed && rows < 16)) lines.push(<Text> </Text>);
	for (let r = 0; r < height; r++) {
		lines.push(
			<Text wrap="truncate">
				{blocks.map((b, n) => (
					<Text key={n} bold={r === 0} color={r === 0 ? theme.accent : undefined}>
						{cell(b[r] ?? '', cw) + (n < blocks.length - 1 ? ' '.repeat(gap) : '')}
					</Text>
				))}
			</Text>,
		);
	}
	if (!wide && !listed) {
		// The vector models, a line each under the four columns.
		for (const n of [4, 5]) {
			const v = views[n];
			const looks = v?.attention ? `, a ${v.attention.map((a) => a.toFixed(2)).join(' ')}` : '';
			lines.push(<Text wrap="truncate">{fit(`${titleOf(n)}: ${v ? `best ${visible(v.best)} ${percentWithin(v.bestProbability, 6)}, H ${v.entropy.toFixed(2)} bits${looks}` : waitingText(n)}`, columns)}</Text>);
		}
	}
	if (listed) {
		const trainLoss = (n: number) => (n >= 4 ? figures[n - 4]!.losses.at(-1) : models.losses(n as ContextSize)?.at(-1));
		const heldLoss = (n: number) => (n >= 4 ? figures[n - 4]!.heldOut?.loss : generalisation.find((g) => g.n === n)?.heldOut.loss);
		for (const line of modelRows(views, columns, models.holdsOut, trainLoss, heldLoss, waitingText, titleOf)) {
			lines.push(
				<Text wrap="truncate" bold={line.header} color={line.header ? theme.accent : undefined}>
					{line.text}
				</Text>,
			);
		}
	}
	// The reading is a sentence to read whole: the blank lines, then the progress line, give way to it.
	const room = rows - lines.length;
	// A closing aside in parentheses ("(context-2: from the artifacts, …)") gives way first when the reading would not fit whole.
	const aside = / \([^()]*\)$/.exec(reading);
	if (aside && wrapText(visible(reading), columns).length > room) reading = reading.slice(0, aside.index);
	// Each vector model's sentences, where they fit whole (the embeddings model's first).
	for (const part of vectorReadings) if (wrapText(visible(reading + part), columns).length + 1 <= room) reading += part;
	if (note && wrapText(visible(reading + note), columns).length + 1 <= room) reading += note;
	const readingLines = wrapText(visible(reading), columns);
	const spaced = readingLines.length + 3 <= room;
	const withProgress = readingLines.length + 1 <= room;
	if (spaced) lines.push(<Text> </Text>);
	for (const line of wrapWithin(visible(reading), columns, Math.max(1, room - (spaced ? 3 : withProgress ? 1 : 0)))) lines.push(<Text wrap="truncate">{line}</Text>);
	if (spaced) lines.push(<Text> </Text>);
	// Every model ready: one short line, with the vector models' own rate when it differs.
	const [embeddingsRate, attentionRate] = compare.vectors.map((v) => v.learningRate);
	const own =
		embeddingsRate === attentionRate
			? embeddingsRate !== compare.learningRate
				? ` (embeddings, attention lr ${embeddingsRate})`
				: ''
			: ` (embeddings lr ${embeddingsRate}, attention lr ${attentionRate})`;
	const allReady = [0, 1, 2, 3].every((n) => compare.ready[n] || models.tooShort(n)) && compare.vectors.every((e, k) => e.state === 'ready' || models.tooShort(figures[k]!.n));
	const progressLine = allReady ? `${session.settings.epochs} epochs, lr ${compare.learningRate}${own}: every model trained` : `${session.settings.epochs} epochs, lr ${compare.learningRate}${own}: ${progress}`;
	if (withProgress) {
		lines.push(
			<Text color={theme.muted} wrap="truncate">
				{fit(progressLine, columns)}
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

/** "45 s", "3 min", "2.5 h". */
function duration(seconds: number): string {
	if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
	if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
	return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * One model a row, for a terminal below FIVE_COLUMNS wide: its name, its
 * last training loss, its held-out loss (with held-out text), the entropy of
 * its distribution in bits, and its top tokens with their probabilities, as
 * many as fit.
 */
export function modelRows(
	views: ReadonlyArray<ContextView | undefined>,
	columns: number,
	holdsOut: boolean,
	trainLoss: (n: number) => number | undefined,
	heldLoss: (n: number) => number | undefined,
	waiting: (n: number) => string,
	title: (n: number) => string,
): Array<{text: string; header?: boolean}> {
	const nameWidth = columns < 70 ? 15 : 16;
	const lossWidth = 7;
	const bitsWidth = 6;
	const fixedWidth = nameWidth + lossWidth + (holdsOut ? lossWidth + 1 : 0) + bitsWidth + 2;
	const rest = Math.max(8, columns - fixedWidth);
	const header = cell('model', nameWidth) + cell('train', lossWidth, 'right') + (holdsOut ? ' ' + cell('held', lossWidth, 'right') : '') + cell('bits', bitsWidth, 'right') + '  ' + 'next tokens';
	const rows: Array<{text: string; header?: boolean}> = [{text: fit(header, columns), header: true}];
	for (let n = 0; n < views.length; n++) {
		const v = views[n];
		const name = title(n);
		const loss = (x: number | undefined) => cell(x === undefined ? '–' : x.toFixed(3), lossWidth, 'right');
		let tail: string;
		if (!v) tail = waiting(n);
		else if (v.row === null) tail = `uniform: ${REASONS[v.reason ?? ''] ?? 'no row'} (${v.vocabSize} tokens at ${percentWithin(1 / v.vocabSize, 6)})`;
		else {
			const parts: string[] = [];
			for (const t of v.top) {
				const part = `${visible(t.token)} ${percentWithin(t.probability, 6)}`;
				if (width([...parts, part].join(' · ')) > rest) break;
				parts.push(part);
			}
			tail = parts.join(' · ');
		}
		const bits = cell(v ? v.entropy.toFixed(2) : '', bitsWidth, 'right');
		rows.push({text: fit(cell(name, nameWidth) + loss(v ? trainLoss(n) : undefined) + (holdsOut ? ' ' + loss(v ? heldLoss(n) : undefined) : '') + bits + '  ' + tail, columns)});
	}
	return rows;
}
