/**
 * The train stage's step and heatmap views on an embeddings model: what one
 * SGD step changed (W and b in summary, which embedding rows moved and how
 * far, how far the series' in-place update is from the true gradient), and
 * the embedding table itself, one row a token, moving as it trains.
 */
import type {EmbeddingsStep} from '../../../models/embeddings/run.js';
import type {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {cell, fit, fixed, formatCount, joinWhole, lossText, visible, wrapText} from '../../text.js';
import {largest, vectorCells} from '../model/embeddings-lines.js';

/** A small number with its sign, in 3 significant digits: "+1.23e-4". */
function small(x: number): string {
	return (x < 0 ? '−' : '+') + Math.abs(x).toExponential(2);
}

/**
 * The lines every vector model's step panel opens with: the pair (context →
 * target), and the prediction and loss before the step with the target's
 * probability after it.
 */
export function pairLines(step: {readonly epoch: number; readonly pairIndex: number; readonly context: readonly number[]; readonly target: number; readonly predicted: number; readonly loss: number; readonly probabilities: Float64Array; readonly probabilitiesAfter: Float64Array}, tokens: readonly string[], pairCount: number, columns: number): string[] {
	const name = (id: number) => visible(tokens[id]!);
	const p = step.probabilities[step.target]!;
	const after = step.probabilitiesAfter[step.target]!;
	return [
		...wrapText(`epoch ${step.epoch}, pair ${formatCount(step.pairIndex + 1)} of ${formatCount(pairCount)}: "${step.context.map(name).join(' ')}" → "${name(step.target)}"`, columns),
		...wrapText(`predicted "${name(step.predicted)}" · loss −ln p(${name(step.target)}) = −ln ${fixed(p, 4)} = ${lossText(step.loss)} · after the step p = ${fixed(after, 4)}`, columns),
	];
}

/** The step panel's lines, at most `rows`. */
export function embeddingsStepLines(step: EmbeddingsStep | undefined, model: EmbeddingsModel, pairCount: number, columns: number, rows: number): string[] {
	if (!step) {
		return wrapText(
			"Press n to train one pair at a time and see what that step does: the pair (context → target), the prediction and loss before it, how W and b moved, which embedding rows moved and how far, and how far the series' in-place update is from the true gradient.",
			columns,
		);
	}
	const tokens = model.vocabulary.tokens;
	const name = (id: number) => visible(tokens[id]!);
	const lines = [
		...pairLines(step, tokens, pairCount, columns),
		...wrapText(
			`W: all ${formatCount(model.n * model.d)}×${formatCount(model.V)} weights move by −lr·h_i·δ_j (|ΔW| = ${step.weightChange.norm.toExponential(2)}, largest ${small(step.weightChange.largest)} at input ${step.weightChange.input} → "${name(step.weightChange.token)}")`,
			columns,
		),
		...wrapText(`b: every bias moves by −lr·δ_j (largest ${small(step.biasChange.largest)}, "${name(step.biasChange.token)}")`, columns),
		fit(`E: only the context's rows move; the other ${formatCount(model.V - step.moved.length)} stay`, columns),
	];
	const scale = Math.max(...step.moved.map((row) => largest(model.E.subarray(row.token * model.d, row.token * model.d + model.d))), 1e-300);
	const labelWidth = Math.min(14, Math.max(...step.moved.map((row) => name(row.token).length)) + 4);
	const room = Math.max(0, Math.floor((columns - labelWidth - 18) / 2));
	for (const row of step.moved) {
		lines.push(fit(`  ${cell(`E[${name(row.token)}]`, labelWidth)} moved ${row.distance.toExponential(2)}  ${vectorCells(model.E.subarray(row.token * model.d, row.token * model.d + model.d), scale, room)}`, columns));
	}
	lines.push(
		...wrapText(
			step.gradientGap === 0
				? 'The true gradient was applied (--exact-gradient): E moved by −lr·Σ_j W_ij·δ_j with W from before the step.'
				: `The series reads E's gradient from W after W's update: ${(step.gradientGap * 100).toFixed(2)}% away from the true gradient this step (about lr·|δ|).`,
			columns,
		),
	);
	return lines.slice(0, rows);
}

/** The embedding table as a heatmap: one token a line, sign and size of each number (▒ etc.), the most frequent tokens first. */
export function embeddingsHeatmapLines(model: EmbeddingsModel, top: number, columns: number, rows: number): string[] {
	const {V, d, E} = model;
	const order = Array.from({length: V}, (_, t) => t).sort((a, b) => model.vocabulary.frequencies[b]! - model.vocabulary.frequencies[a]! || a - b);
	const labelWidth = Math.min(16, Math.max(8, Math.floor(columns / 6)));
	const scale = largest(E);
	const fits = Math.max(1, Math.floor((columns - labelWidth - 2) / 2));
	const lines = wrapText(`The embedding table E, one token a line (most frequent first), two cells a number: its sign and size, █ = ${scale.toPrecision(2)}`, columns).slice(0, 2);
	const height = Math.max(1, rows - lines.length - 1);
	const first = Math.max(0, Math.min(top, Math.max(0, V - height)));
	for (const t of order.slice(first, first + height)) {
		lines.push(`${cell(visible(model.vocabulary.tokens[t]!), labelWidth)}  ${vectorCells(E.subarray(t * d, t * d + d), scale, fits)}${d > fits ? '…' : ''}`);
	}
	lines.push(joinWhole([`tokens ${formatCount(first + 1)}-${formatCount(Math.min(V, first + height))} of ${formatCount(V)}`, '↑↓ PgUp PgDn scroll', 'c chart', 'n one pair'], columns));
	return lines;
}
