/**
 * The train stage's step and heatmap views on an attention model: what one
 * SGD step changed (where the last position looked before and after, how
 * far each parameter group moved), and the attention weights of the watched
 * training contexts, one a line, moving as it trains.
 */
import type {AttentionStep, AttentionRun} from '../../../models/attention/run.js';
import type {AttentionModel} from '../../../models/attention/model.js';
import {cell, fit, fixed, formatCount, joinWhole, visible, wrapText} from '../../text.js';
import {weightBar, weightShade} from '../model/attention-lines.js';
import {pairLines} from './embeddings-panels.js';

/** The step panel's lines, at most `rows`. */
export function attentionStepLines(step: AttentionStep | undefined, model: AttentionModel, pairCount: number, columns: number, rows: number, settings: {readonly clip: number; readonly exactGradient: boolean} = {clip: 1, exactGradient: false}): string[] {
	const {clip, exactGradient} = settings;
	if (!step) {
		return wrapText(
			'Press n to train one pair at a time and see what that step does: the pair (context → target), the prediction and loss before it, where the last position looked before and after the step, and how far each parameter group moved.',
			columns,
		);
	}
	const tokens = model.vocabulary.tokens;
	const name = (id: number) => visible(tokens[id]!);
	const lines = [...pairLines(step, tokens, pairCount, columns), fit('attention of the last position, before → after the step:', columns)];
	const labelWidth = Math.min(16, Math.max(...step.context.map((id) => name(id).length)) + 4);
	const bar = Math.max(4, Math.min(20, Math.floor((columns - labelWidth - 24) / 2)));
	step.context.forEach((id, t) => {
		const before = step.attentionBefore[t]!;
		const later = step.attentionAfter[t]!;
		lines.push(fit(`  ${cell(`${t} ${name(id)}`, labelWidth)} ${weightBar(before, bar)} ${before.toFixed(4)} → ${later.toFixed(4)} (${later - before >= 0 ? '+' : '−'}${Math.abs(later - before).toExponential(1)})`, columns));
	});
	lines.push(...wrapText(`moved (Euclidean length of each group's change): ${step.moved.map((m) => `${m.group} ${m.distance.toExponential(1)}`).join(', ')}`, columns));
	lines.push(
		...wrapText(
			exactGradient
				? `The true gradient (--exact-gradient): every group's gradient from the parameters before the step, each entry clipped once to [−${clip}, ${clip}].`
				: `Each entry clipped to [−${clip}, ${clip}]; W_out and b move first, then W_V, W_K, W_Q position by position, and E and P from the matrices just updated (the series' order).`,
			columns,
		),
	);
	return lines.slice(0, rows);
}

/**
 * The watched training contexts (the first 256 in id order), one a line:
 * the last position's weights now, as shades and numbers, and how far they
 * are from uniform.
 */
export function attentionHeatmapLines(run: AttentionRun | undefined, model: AttentionModel, top: number, columns: number, rows: number): string[] {
	const {n} = model;
	const lines = wrapText(`Where the last position looks, for each training context (first ${formatCount(256)} in id order): a shade and the weight of each position; uniform is ${fixed(1 / n, 3)}`, columns).slice(0, 2);
	const contexts = run?.history.contexts ?? new Int32Array(0);
	const count = contexts.length / n;
	const height = Math.max(1, rows - lines.length - 1);
	const first = Math.max(0, Math.min(top, Math.max(0, count - height)));
	const labelWidth = Math.min(28, Math.max(8, Math.floor(columns / 3)));
	for (let c = first; c < Math.min(count, first + height); c++) {
		const context = Array.from(contexts.subarray(c * n, c * n + n));
		const a = model.attentionWeights(context);
		const label = context.map((id) => visible(model.vocabulary.tokens[id]!)).join('|');
		let spread = 0;
		for (let t = 0; t < n; t++) spread = Math.max(spread, Math.abs(a[t]! - 1 / n));
		lines.push(fit(`${cell(label, labelWidth)} ${Array.from(a, (x) => `${weightShade(x)}${fixed(x, 2)}`).join(' ')}  ${spread < 5e-4 ? 'uniform' : `±${fixed(spread, 3)}`}`, columns));
	}
	if (count === 0) lines.push('no training contexts');
	lines.push(joinWhole([`contexts ${formatCount(Math.min(count, first + 1))}-${formatCount(Math.min(count, first + height))} of ${formatCount(count)}`, '↑↓ PgUp PgDn scroll', 'c chart', 'n one pair'], columns));
	return lines;
}
