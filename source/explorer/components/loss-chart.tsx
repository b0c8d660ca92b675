/**
 * The loss chart: asciichart inside Ink. asciichart draws one column per
 * value and throws on an empty series or non-finite values, so the series is
 * cut to finite values and averaged into buckets to fit the columns (or, when
 * shorter, spread over them); each
 * chart line is its own truncating Text so Ink never wraps it.
 */
import React from 'react';
import {Box, Text} from 'ink';
import asciichart from 'asciichart';
import {fit} from '../text.js';
import {theme} from '../theme.js';

/** Bucket means: at most `columns` values covering the whole series in order. */
export function downsample(values: readonly number[], columns: number): number[] {
	if (values.length <= columns) return [...values];
	const out: number[] = [];
	for (let c = 0; c < columns; c++) {
		const from = Math.floor((c * values.length) / columns);
		const to = Math.floor(((c + 1) * values.length) / columns);
		let sum = 0;
		for (let i = from; i < to; i++) sum += values[i]!;
		out.push(sum / (to - from));
	}
	return out;
}

/**
 * A short series spread over `columns` values: straight lines between the
 * points (the first and last values stay where they are), so a run of 20
 * epochs fills a wide chart instead of its first 20 columns.
 */
export function stretch(values: readonly number[], columns: number): number[] {
	if (values.length >= columns || values.length < 2) return [...values];
	const out: number[] = [];
	for (let c = 0; c < columns; c++) {
		const at = (c * (values.length - 1)) / (columns - 1);
		const i = Math.min(values.length - 2, Math.floor(at));
		const t = at - i;
		out.push(values[i]! * (1 - t) + values[i + 1]! * t);
	}
	return out;
}

const LABEL_WIDTH = 8;

/** The chart's lines for a series, exactly `height` of them (blank when there is nothing to draw). */
export function chartLines(series: readonly number[], columns: number, height: number): string[] {
	const finite = series.filter((v) => Number.isFinite(v));
	const plotWidth = Math.max(2, columns - LABEL_WIDTH - 2);
	if (finite.length < 2 || height < 2) return Array.from({length: Math.max(0, height)}, () => '');
	const values = finite.length > plotWidth ? downsample(finite, plotWidth) : stretch(finite, plotWidth);
	let min = Math.min(...values);
	let max = Math.max(...values);
	if (max - min < 1e-9) {
		min -= 0.5;
		max += 0.5;
	}
	const text = asciichart.plot(values, {
		height: height - 1,
		min,
		max,
		format: (x: number) => x.toFixed(x >= 100 ? 0 : x >= 10 ? 2 : 3).padStart(LABEL_WIDTH - 1),
	});
	const lines = text.split('\n');
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}

/** The held-out curve's symbols: double lines, told from the training curve's single ones without colour. */
const HELD_OUT_SYMBOLS: [string, string, string, string, string, string, string, string, string, string] = ['┼', '┤', '╶', '╴', '═', '╚', '╔', '╗', '╝', '║'];
/** A reference line's cells. */
const REFERENCE_CELL = '┄';
/** Where the held-out loss is lowest. */
const BEST_MARK = '◆';

/** A horizontal line on the chart at a loss, with its label. */
export interface ReferenceLine {
	readonly label: string;
	readonly value: number;
}

/** The series and lines of the loss chart. */
export interface LossSeries {
	/** Training loss per epoch (the running average before each step). */
	readonly train: readonly number[];
	/** Held-out loss per epoch (after the epoch), when the run holds text out. */
	readonly heldOut?: readonly number[];
	readonly references?: readonly ReferenceLine[];
}

/** The column of the plot where the value at `index` of a series of `length` values lands (fitSeries's mapping). */
function columnOf(index: number, length: number, plotWidth: number): number {
	if (length > plotWidth) return Math.min(plotWidth - 1, Math.floor((index * plotWidth) / length));
	if (length < 2) return 0;
	return Math.round((index * (plotWidth - 1)) / (length - 1));
}

function fitSeries(values: readonly number[], plotWidth: number): number[] {
	return values.length > plotWidth ? downsample(values, plotWidth) : stretch(values, plotWidth);
}

/**
 * The loss chart with the held-out curve and the reference lines: the
 * training curve in single lines (─ ╭ ╮ ╰ ╯ │), the held-out curve in double
 * lines (═ ╔ ╗ ╚ ╝ ║) with ◆ at its lowest epoch, each reference line dotted
 * (┄) under its label. One scale holds them all, so a curve is read against
 * the lines. Exactly `height` lines.
 */
export function lossChartLines(series: LossSeries, columns: number, height: number): string[] {
	const train = series.train.filter((v) => Number.isFinite(v));
	const held = (series.heldOut ?? []).filter((v) => Number.isFinite(v));
	const references = (series.references ?? []).filter((r) => Number.isFinite(r.value));
	if (held.length === 0 && references.length === 0) return chartLines(train, columns, height);
	const plotWidth = Math.max(2, columns - LABEL_WIDTH - 2);
	if (train.length < 2 || height < 2) return Array.from({length: Math.max(0, height)}, () => '');
	const trainValues = fitSeries(train, plotWidth);
	const heldValues = held.length >= 2 ? fitSeries(held, plotWidth) : [];
	const all = [...trainValues, ...heldValues, ...references.map((r) => r.value)];
	let min = Math.min(...all);
	let max = Math.max(...all);
	if (max - min < 1e-9) {
		min -= 0.5;
		max += 0.5;
	}
	const options = {height: height - 1, min, max, format: (x: number) => x.toFixed(x >= 100 ? 0 : x >= 10 ? 2 : 3).padStart(LABEL_WIDTH - 1)};
	const base = asciichart.plot(trainValues, options).split('\n');
	const over = heldValues.length ? asciichart.plot(heldValues, {...options, symbols: HELD_OUT_SYMBOLS}).split('\n') : [];
	// The plot area starts after each line's axis character.
	const grid = base.map((line) => {
		const axis = line.search(/[┤┼]/);
		return {head: line.slice(0, axis + 1), cells: [...line.slice(axis + 1).padEnd(plotWidth)]};
	});
	for (let r = 0; r < over.length && r < grid.length; r++) {
		const line = over[r]!;
		const cells = [...line.slice(line.search(/[┤┼]/) + 1)];
		cells.forEach((c, k) => {
			if (c !== ' ' && k < grid[r]!.cells.length) grid[r]!.cells[k] = c;
		});
	}
	// asciichart's rows: round(value · ratio) counted from round(min · ratio).
	const ratio = (height - 1) / (max - min);
	const top = Math.round(max * ratio);
	const rowOf = (value: number) => Math.min(grid.length - 1, Math.max(0, top - Math.round(value * ratio)));
	for (const reference of references) {
		const row = grid[rowOf(reference.value)]!;
		for (let k = 0; k < row.cells.length; k++) if (row.cells[k] === ' ') row.cells[k] = REFERENCE_CELL;
		// The label over the dotted cells near the left, where no curve passes.
		const label = ` ${reference.label} `;
		let at = 1;
		while (at + label.length <= row.cells.length && row.cells.slice(at, at + label.length).some((c) => c !== REFERENCE_CELL)) at++;
		if (at + label.length <= row.cells.length) [...label].forEach((c, k) => (row.cells[at + k] = c));
		// No room between the curves: the line goes unlabelled (the legend names it).
	}
	if (held.length >= 2) {
		let best = 0;
		for (let k = 1; k < held.length; k++) if (held[k]! < held[best]!) best = k;
		const column = columnOf(best, held.length, plotWidth);
		const value = heldValues[column]!;
		grid[rowOf(value)]!.cells[column] = BEST_MARK;
	}
	const lines = grid.map(({head, cells}) => head + cells.join('').trimEnd());
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}

export function LossChart({series, columns, height}: {series: readonly number[] | LossSeries; columns: number; height: number}) {
	const lines = Array.isArray(series) ? chartLines(series as readonly number[], columns, height) : lossChartLines(series as LossSeries, columns, height);
	return (
		<Box flexDirection="column" width={columns} height={height}>
			{lines.map((line, i) => (
				<Text key={i} color={theme.accent} wrap="truncate">
					{fit(line, columns)}
				</Text>
			))}
		</Box>
	);
}
