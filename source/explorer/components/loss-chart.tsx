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

export function LossChart({series, columns, height}: {series: readonly number[]; columns: number; height: number}) {
	const lines = chartLines(series, columns, height);
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
