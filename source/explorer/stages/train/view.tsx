import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {LossChart, type LossSeries} from '../../components/loss-chart.js';
import {PACES, type TrainSnapshot} from '../../train-controller.js';
import {theme} from '../../theme.js';
import {bar, cell, fit, fixed, formatCount, formatDuration, lossText, perplexity, visible, wrapText, width} from '../../text.js';
import type {StageContext} from '../types.js';
import type {TrainViewState} from '../../app-state.js';
import {EPOCHS_STEP} from '../../train-controller.js';
import {runFolders} from '../../session.js';
import {Panel} from './panels.js';
import {trainFamilyView} from './family.js';

/** 950, 12.3k, 2.06M */
export function formatRate(perSecond: number): string {
	if (perSecond < 1000) return perSecond.toFixed(0);
	if (perSecond < 1e6) return `${(perSecond / 1000).toFixed(1)}k`;
	return `${(perSecond / 1e6).toFixed(2)}M`;
}

export function paceText(index: number): string {
	const pace = PACES[index]!;
	return pace === Infinity ? 'full speed' : `${pace} epoch${pace === 1 ? '' : 's'}/s`;
}

/** Estimated time to the end of the run, or undefined when unknown. */
export function timeLeftMs(train: TrainSnapshot): number | undefined {
	if (train.status !== 'running') return undefined;
	const epochsLeft = train.epochsTarget - train.log.length - train.position / Math.max(1, train.pairCount);
	const pace = PACES[train.paceIndex]!;
	const bySpeed = train.pairsPerSecond > 0 ? ((epochsLeft * train.pairCount) / train.pairsPerSecond) * 1000 : undefined;
	const byPace = pace === Infinity ? 0 : (epochsLeft / pace) * 1000;
	return bySpeed === undefined ? undefined : Math.max(bySpeed, byPace);
}

function statusText(train: TrainSnapshot): string {
	switch (train.status) {
		case 'idle':
			return 'ready: space starts, s trains one epoch';
		case 'running':
			return 'training';
		case 'paused':
			return train.log.length >= train.epochsTarget && train.position === 0 ? 'paused' : `paused: space trains on to epoch ${train.epochsTarget}`;
		case 'done':
			return `finished, model kept: space trains ${EPOCHS_STEP} more epochs, r starts a new run`;
	}
}

/** The folders a finished run writes to, and why there (see runFolders). */
function targetText(session: StageContext['session']): {artifacts: string; outputs: string; note?: string} {
	const {settings, corpus} = session;
	const folders = runFolders(settings.artifactsDir, settings.outputsDir, corpus);
	return {artifacts: folders.artifactsDir, outputs: folders.outputsDir, note: folders.note};
}

/**
 * The status line's parts, most important first; what does not fit is left
 * out from the end, and the status itself keeps only its first clause when
 * even that is too long (so nothing is cut mid-word).
 */
export function statusLine(parts: readonly string[], columns: number): string {
	const [status = '', ...rest] = parts.filter((part) => part !== '');
	const build = (head: string) => {
		let line = head;
		let count = 0;
		for (const part of rest) {
			if (width(`${line} · ${part}`) > columns) break;
			line = `${line} · ${part}`;
			count++;
		}
		return {line, count};
	};
	// The status's first clause alone when the whole of it would crowd out a part (the loss, the accuracy).
	const whole = build(status);
	const short = build(status.split(':')[0]!);
	return fit(width(status) <= columns && whole.count >= short.count ? whole.line : short.line, columns);
}

/** "wrote to a/: x.json, y.csv; to o/: train_log.csv": every file, grouped by folder. */
export function writtenText(paths: readonly string[]): string {
	const folders = new Map<string, string[]>();
	for (const path of paths) {
		const cut = path.lastIndexOf('/');
		const folder = cut >= 0 ? path.slice(0, cut + 1) : './';
		folders.set(folder, [...(folders.get(folder) ?? []), path.slice(cut + 1)]);
	}
	return 'wrote ' + [...folders].map(([folder, files]) => `to ${folder}: ${files.join(', ')}`).join('; ');
}

/** The chart's curves and reference lines: ln V, the unigram entropy and the floor of a context-n table, in nats. */
export function chartSeries(ctx: StageContext): LossSeries {
	const {train, session} = ctx;
	const {references} = session;
	const n = session.controller.run.model.n;
	return {
		train: train.log.map((e) => e.avgLoss),
		heldOut: session.heldOut ? train.heldOutLog.map((e) => e.loss) : undefined,
		references: [
			{label: 'ln V', value: references.uniform},
			// For a unigram the floor is the unigram entropy itself.
			...(n > 0 ? [{label: 'unigram', value: references.unigram}] : []),
			...(references.conditional === undefined ? [] : [{label: 'floor', value: references.conditional}]),
		],
	};
}

/**
 * The lines above the chart: what each curve is (the training curve is the
 * running average before each step, the held-out one is measured after the
 * epoch, so part of the gap between them is not overfitting) and what each
 * reference line is, with its value.
 */
export function chartLegend(ctx: StageContext, columns: number): string[] {
	const {train, session} = ctx;
	const done = train.log.length;
	const n = session.controller.run.model.n;
	const {references} = session;
	const lines: string[] = [];
	if (done < 2) lines.push(`Average loss per epoch, in nats${session.heldOut ? ', training and held-out' : ''} (the chart starts at epoch 2)`);
	else if (session.heldOut) {
		// The shorter wording on a narrow screen, so the chart keeps its rows.
		const wide = '── training: average before each step  ══ held-out: after the epoch  ◆ lowest';
		lines.push(width(wide) <= columns ? wide : '── training, before each step ══ held-out, after ◆ lowest');
	} else lines.push(`Average loss per epoch in nats, epochs 1-${done}`);
	const what = n === 0 ? 'a unigram' : `a context-${n} table`;
	const values = `┄ ln V ${fixed(references.uniform, 2)}${n > 0 ? ` · unigram ${fixed(references.unigram, 2)}` : ''}${references.conditional === undefined ? '' : ` · floor ${fixed(references.conditional, 2)}`}`;
	const full = `${values}: best ${what} can do (nats)`;
	lines.push(width(full) <= columns ? full : `${values} (nats)`);
	return lines.flatMap((line) => wrapText(line, columns)).slice(0, 3);
}

export function TrainStage({ctx, view}: {ctx: StageContext; view?: TrainViewState}) {
	const {train, session, columns, rows} = ctx;
	const {settings} = session;
	// What belongs to the run's model family (its name and size, the step and heatmap views).
	const family = useMemo(() => trainFamilyView(session.controller.run.model, session.controller.run), [session.controller.run.model]);
	const done = train.log.length;
	const fraction = Math.min(1, (done + train.position / Math.max(1, train.pairCount)) / train.epochsTarget);
	const last = train.log[done - 1];
	const lastHeld = train.heldOutLog[train.heldOutLog.length - 1];
	const held = session.heldOut !== undefined;
	const left = timeLeftMs(train);

	// The side table: loss in nats, and its perplexity where there is room;
	// with held-out text, its loss and accuracy beside the training loss.
	const withPerplexity = columns >= 100;
	const sideWidth = columns >= 72 ? (held ? (withPerplexity ? 35 : 26) : withPerplexity ? 32 : 20) : 0;
	const chartWidth = columns - sideWidth - (sideWidth ? 1 : 0);
	const progressWidth = Math.max(10, Math.min(30, columns - 50));

	let footnote = '';
	let footColour: string | undefined = theme.muted;
	// Where the run goes: read from disk when the run's state changes, not at every frame.
	const target = useMemo(() => targetText(session), [session, train.status, train.written]);
	const where = `${target.artifacts}/ and ${target.outputs}/${target.note ? ` (${target.note})` : ''}`;
	if (view?.confirmReset) {
		footnote = `Discard the model trained for ${done} epoch${done === 1 ? '' : 's'} and start a new run from zero? y discards, any other key keeps it`;
		footColour = theme.warn;
	} else if (train.writing) {
		footnote = `writing the artifacts to ${where}…`;
		footColour = theme.warn;
	} else if (train.writeError) {
		footnote = `could not write the artifacts: ${train.writeError}`;
		footColour = theme.bad;
	} else if (train.written) {
		// Said once the files exist: when the series' web client cannot open them, and why.
		const client = family.clientNote();
		footnote = writtenText(train.written) + (train.writeNote ? ` (${train.writeNote})` : '') + (client ? `. Note: ${client}` : '');
		footColour = theme.good;
	} else if (done === 0 && train.status === 'idle') {
		footnote = `A run writes the artifacts to ${where}.`;
	} else {
		footnote = `After epoch ${train.epochsTarget} the artifacts are written to ${where}.`;
	}

	// The footnote wraps (a path is never cut); the step and heatmap views give
	// its rows to their panel on a short screen.
	const chartView = view?.view !== 'step' && view?.view !== 'heatmap';
	// A question asked or a write that failed shows in every view.
	const footLines = chartView || rows >= 30 || view?.confirmReset || train.writeError ? wrapText(visible(footnote), columns).slice(0, Math.max(1, rows - 9)) : [];
	// The chart's legend: one line or more above it; the other views' panels take one.
	const legend = chartView ? chartLegend(ctx, columns) : [];
	const chartHeight = Math.max(3, rows - 3 - (chartView ? legend.length : 1) - footLines.length - (footLines.length ? 1 : 0));

	const side: string[] = [];
	if (sideWidth) {
		// epoch 5 · loss 6 or 10 · perplexity 8 · accuracy 6, one space between.
		const lossWidth = withPerplexity ? 10 : 6;
		const recent = train.log.slice(-Math.max(0, chartHeight - 3));
		if (held) {
			// epoch · training loss · held-out loss (its perplexity) · held-out accuracy.
			side.push(`epoch ${'train'.padStart(6)} ${'held'.padStart(6)}${withPerplexity ? ' ' + 'perplex.'.padStart(8) : ''} ${'h.acc'.padStart(6)}`);
			for (const e of recent) {
				const h = train.heldOutLog[e.epoch - 1];
				const ppl = withPerplexity ? ` ${(h ? perplexity(h.loss) : '').padStart(8)}` : '';
				side.push(`${String(e.epoch).padStart(5)} ${fixed(e.avgLoss, 3).padStart(6)} ${(h ? fixed(h.loss, 3) : '').padStart(6)}${ppl} ${(h ? `${(h.accuracy * 100).toFixed(1)}%` : '').padStart(6)}`);
			}
			if (train.heldOutLog.length > 0) {
				const best = train.heldOutLog.reduce((a, b) => (b.loss < a.loss ? b : a));
				while (side.length < chartHeight - 1) side.push('');
				side.push(`◆ lowest held: epoch ${best.epoch}`);
			}
		} else {
			side.push(`epoch ${(withPerplexity ? 'loss nats' : 'nats').padStart(lossWidth)}${withPerplexity ? ' ' + 'perplex.'.padStart(8) : ''} ${'acc'.padStart(6)}`);
			for (const e of recent) {
				const ppl = withPerplexity ? ` ${perplexity(e.avgLoss).padStart(8)}` : '';
				side.push(`${String(e.epoch).padStart(5)} ${fixed(e.avgLoss, 3).padStart(lossWidth)}${ppl} ${`${(e.accuracy * 100).toFixed(1)}%`.padStart(6)}`);
			}
			if (done > 0) {
				const best = Math.max(...train.log.map((e) => e.accuracy));
				while (side.length < chartHeight - 1) side.push('');
				side.push(`best acc ${(best * 100).toFixed(1)}%`);
			}
		}
	}

	return (
		<Box flexDirection="column" width={columns} height={rows}>
			<Text wrap="truncate">
				<Text bold>Training </Text>
				{statusLine(
					[
						`${train.epochsTarget} epoch${train.epochsTarget === 1 ? '' : 's'} at lr ${train.learningRate}`,
						family.name,
						`${formatCount(train.pairCount)} pairs per epoch`,
						family.size,
					],
					columns - 9,
				)}
			</Text>
			<Text wrap="truncate">
				{train.status === 'running' ? (
					<Text color={theme.accent}>
						<Spinner type="dots" />
					</Text>
				) : (
					<Text>{train.status === 'done' ? '✓' : '•'}</Text>
				)}
				{` epoch ${done}/${train.epochsTarget} `}
				<Text color={theme.accent}>{cell(bar(fraction, progressWidth), progressWidth)}</Text>
				{` ${Math.floor(fraction * 100)}% · ${formatDuration(train.elapsedMs)} · ${paceText(train.paceIndex)}`}
			</Text>
			<Text wrap="truncate">
				{statusLine(
					[
						statusText(train),
						// With held-out text, its loss carries the perplexity; the training loss is short.
						last ? `loss ${lastHeld ? fixed(last.avgLoss, 4) : lossText(last.avgLoss)}` : '',
						lastHeld ? `held-out ${lossText(lastHeld.loss)}` : '',
						last ? `accuracy ${(last.accuracy * 100).toFixed(1)}%` : '',
						lastHeld ? `held-out accuracy ${(lastHeld.accuracy * 100).toFixed(1)}%` : '',
						lastHeld ? `coverage ${(lastHeld.coverage * 100).toFixed(1)}%` : '',
						left !== undefined ? `${formatDuration(left)} left` : '',
						// Progress inside an epoch matters when an epoch takes a while.
						train.position > 0 || (train.status === 'running' && train.pairCount >= 100_000)
							? `pair ${formatCount(train.position)}/${formatCount(train.pairCount)}`
							: '',
						train.status === 'running' && train.pairsPerSecond > 0 ? `${formatRate(train.pairsPerSecond)} pairs/s` : '',
						train.status === 'running' && train.pairsPerSecond > 0 && train.pairCount > 0 ? `${epochRate(train.pairsPerSecond / train.pairCount)} epochs/s` : '',
					],
					columns,
				)}
			</Text>
			{view?.view === 'step' ? (
				<Panel
					lines={[
						fit('One step, then stop (n for the next pair, c for the chart)', columns),
						...family.stepLines(train.lastStep, train.touchedRows, train.pairCount, columns, chartHeight),
					]}
					columns={columns}
					height={chartHeight + 1}
				/>
			) : view?.view === 'heatmap' ? (
				<Panel lines={family.heatmapLines(view.heatTop, columns, chartHeight + 1, view.heatColumn)} columns={columns} height={chartHeight + 1} />
			) : (
				<>
			{legend.map((line, i) => (
				<Text key={`l${i}`} wrap="truncate">
					{fit(line, columns)}
				</Text>
			))}
			<Box height={chartHeight}>
				<LossChart series={chartSeries(ctx)} columns={chartWidth} height={chartHeight} />
				{sideWidth ? (
					<Box flexDirection="column" width={sideWidth} marginLeft={1}>
						{side.slice(0, chartHeight).map((s, i) => (
							<Text key={i} bold={i === 0} wrap="truncate">
								{fit(s, sideWidth)}
							</Text>
						))}
					</Box>
				) : null}
			</Box>
				</>
			)}
			{footLines.length ? <Text> </Text> : null}
			{footLines.map((line, i) => (
				<Text key={`f${i}`} color={footColour} wrap="truncate">
					{line}
				</Text>
			))}
		</Box>
	);
}

/** Epochs a second: "3.2", "0.041", "120". */
function epochRate(rate: number): string {
	return rate >= 100 ? rate.toFixed(0) : rate >= 1 ? rate.toFixed(1) : rate.toPrecision(2);
}
