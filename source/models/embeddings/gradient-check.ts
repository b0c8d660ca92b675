/**
 * Checking the embeddings model's gradient by finite differences, and
 * measuring how far the series' in-place step is from the true gradient.
 *
 * The loss of one pair is L(θ) = −ln p_target(θ). Its derivative along one
 * parameter θ_k is, to second order in a small step h,
 *
 *   ∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h
 *
 * (the central difference: its error is h²/6 · ∂³L/∂θ_k³, plus the rounding
 * error of L divided by 2h). checkGradient compares that number with the
 * true gradient of plain.ts, entry by entry.
 *
 * The series' step (seriesStep) updates W first and then reads E's gradient
 * from the *updated* W. With δ = p − onehot(target) and W' = W − lr·h·δᵀ,
 *
 *   g_series − g_true = (W' − W)·δ = −lr · ‖δ‖² · h
 *
 * so the embeddings' update is off by a term proportional to the learning
 * rate. inPlaceGap measures that gap, relative to the true gradient, over an
 * epoch of the series' own training.
 */
import {agrees, centralDifference} from '../finite-difference.js';
import {forward, inputGradient, scoreGradient, seriesStep, trueGradient, type EmbeddingParameters} from './plain.js';

/** The agreement rule, from finite-difference.ts. */
export {agrees};

/** Which table a parameter lives in. */
export type ParameterGroup = 'E' | 'W' | 'b';

/** One parameter: E[row][col] (token id, k), W[row][col] (i, j), or b[row] (j; col ignored). */
export interface ParameterEntry {
	readonly group: ParameterGroup;
	readonly row: number;
	readonly col: number;
}

/** The gradient of one pair's loss as full tables, shaped like the parameters. */
export interface FullGradient {
	/** ∂L/∂E: V rows of d; zero except the context tokens' rows. */
	readonly E: number[][];
	/** ∂L/∂W: n·d rows of V. */
	readonly W: number[][];
	/** ∂L/∂b: V numbers. */
	readonly b: number[];
}

export interface EntryCheck extends ParameterEntry {
	/** The gradient being checked, at this entry. */
	readonly analytic: number;
	/** The central difference at this entry. */
	readonly numeric: number;
	/** |numeric − analytic| ≤ 1e-6 · max(|analytic|, |numeric|) + 1e-9. */
	readonly ok: boolean;
}

/** L = −ln p_target, unclipped (the series clips p at 1e-12 for its reported loss; a derivative must not). */
export function loss(params: EmbeddingParameters, context: readonly number[], target: number): number {
	return -Math.log(forward(params, context).p[target]!);
}

/** Read one parameter. */
export function parameterValue(params: EmbeddingParameters, group: ParameterGroup, row: number, col: number): number {
	if (group === 'b') return params.b[row]!;
	return (group === 'E' ? params.E : params.W)[row]![col]!;
}

/** Write one parameter. */
export function setParameter(params: EmbeddingParameters, group: ParameterGroup, row: number, col: number, value: number): void {
	if (group === 'b') params.b[row] = value;
	else (group === 'E' ? params.E : params.W)[row]![col] = value;
}

/** The central difference along one parameter (finite-difference.ts centralDifference). */
export function finiteDifference(
	params: EmbeddingParameters,
	context: readonly number[],
	target: number,
	group: ParameterGroup,
	row: number,
	col: number,
	h = 1e-6,
): number {
	const parameter = {read: () => parameterValue(params, group, row, col), write: (value: number) => setParameter(params, group, row, col, value)};
	return centralDifference(parameter, () => loss(params, context, target), h);
}

/**
 * The true gradient as full tables. trueGradient gives ∂L/∂h, n·d numbers;
 * position p's slice h[p·d … p·d + d − 1] is E[c_p]'s share, so
 *
 *   ∂L/∂E[t][k] = Σ over positions p with c_p = t of ∂L/∂h[p·d + k]
 *
 * (a token that fills two positions of the context gets both slices, added).
 * Every other row of ∂L/∂E is zero.
 */
export function trueGradientOf(params: EmbeddingParameters, context: readonly number[], target: number): FullGradient {
	const gradient = trueGradient(params, context, target);
	const d = params.E[0]?.length ?? 0;
	const E = params.E.map((row) => row.map(() => 0));
	context.forEach((id, position) => {
		for (let k = 0; k < d; k++) E[id]![k]! += gradient.h[position * d + k]!;
	});
	return {E, W: gradient.W, b: gradient.b};
}


/** Read one entry of a full gradient. */
export function gradientEntry(gradient: FullGradient, {group, row, col}: ParameterEntry): number {
	if (group === 'b') return gradient.b[row]!;
	return (group === 'E' ? gradient.E : gradient.W)[row]![col]!;
}

/**
 * Every entry a pair's gradient can make non-zero: all of W and b, and the
 * rows of E that belong to the context's tokens (each distinct token once).
 */
export function entriesOfPair(params: EmbeddingParameters, context: readonly number[]): ParameterEntry[] {
	const entries: ParameterEntry[] = [];
	for (const id of new Set(context)) for (let k = 0; k < params.E[id]!.length; k++) entries.push({group: 'E', row: id, col: k});
	params.W.forEach((row, i) => row.forEach((_, j) => entries.push({group: 'W', row: i, col: j})));
	params.b.forEach((_, j) => entries.push({group: 'b', row: j, col: 0}));
	return entries;
}

export interface CheckOptions {
	/** The finite-difference step; 1e-6 unless given. */
	readonly h?: number;
	/** The gradient to check; the true gradient (trueGradientOf) unless given. */
	readonly gradient?: FullGradient;
}

/** For each entry: the gradient, the central difference, and whether they agree. */
export function checkGradient(
	params: EmbeddingParameters,
	context: readonly number[],
	target: number,
	entries: readonly ParameterEntry[],
	options: CheckOptions = {},
): EntryCheck[] {
	const gradient = options.gradient ?? trueGradientOf(params, context, target);
	return entries.map((entry) => {
		const analytic = gradientEntry(gradient, entry);
		const numeric = finiteDifference(params, context, target, entry.group, entry.row, entry.col, options.h);
		return {...entry, analytic, numeric, ok: agrees(analytic, numeric)};
	});
}

/**
 * The gradient the series' step applies to E, as full tables: ∂L/∂W and
 * ∂L/∂b are the true ones, but E's slices are W'·δ with W' = W − lr·h·δᵀ,
 * the W after the step's own update. Not the gradient of anything; kept to
 * show that checkGradient can tell it from the true one.
 */
export function seriesGradientOf(params: EmbeddingParameters, context: readonly number[], target: number, lr: number): FullGradient {
	const truth = trueGradientOf(params, context, target);
	const {h, p} = forward(params, context);
	const delta = scoreGradient(p, target);
	const movedW = params.W.map((row, i) => row.map((w, j) => w - lr * h[i]! * delta[j]!));
	const g = inputGradient(movedW, delta);
	const d = params.E[0]?.length ?? 0;
	const E = params.E.map((row) => row.map(() => 0));
	context.forEach((id, position) => {
		for (let k = 0; k < d; k++) E[id]![k]! += g[position * d + k]!;
	});
	return {E, W: truth.W, b: truth.b};
}

export interface InPlaceGap {
	/** Mean over the measured pairs of ‖g_series − g_true‖₂ / ‖g_true‖₂. */
	readonly meanRelative: number;
	/** The largest of those ratios. */
	readonly maxRelative: number;
	/** How many pairs were measured (pairs whose true gradient is zero are skipped). */
	readonly pairs: number;
}

/** ‖x‖₂ */
function norm(x: readonly number[]): number {
	return Math.sqrt(x.reduce((sum, xi) => sum + xi * xi, 0));
}

/**
 * Train one epoch with seriesStep on a copy of `params` (the argument is not
 * touched) and, at every pair, compare the embeddings' gradient the step
 * applies with the true one:
 *
 *   g_true   = W·δ    (W before the step)
 *   g_series = W'·δ   (W after the step's update of W, which seriesStep uses)
 *   relative = ‖g_series − g_true‖₂ / ‖g_true‖₂
 *
 * over the n·d numbers of the context positions' slices. Both updates are
 * lr·g, so lr cancels in the ratio; by the identity above it equals
 * lr·‖δ‖²·‖h‖ / ‖W·δ‖.
 */
export function inPlaceGap(
	params: EmbeddingParameters,
	pairs: readonly {readonly context: readonly number[]; readonly target: number}[],
	lr: number,
): InPlaceGap {
	const copy: EmbeddingParameters = {
		E: params.E.map((row) => [...row]),
		W: params.W.map((row) => [...row]),
		b: [...params.b],
	};
	let total = 0;
	let max = 0;
	let measured = 0;
	for (const {context, target} of pairs) {
		const delta = scoreGradient(forward(copy, context).p, target);
		const gTrue = inputGradient(copy.W, delta);
		seriesStep(copy, context, target, lr);
		// seriesStep has moved W (and then E, which W·δ does not read): this is the W its E update used.
		const gSeries = inputGradient(copy.W, delta);
		const size = norm(gTrue);
		if (size === 0) continue;
		const relative = norm(gSeries.map((g, i) => g - gTrue[i]!)) / size;
		total += relative;
		max = Math.max(max, relative);
		measured++;
	}
	return {meanRelative: measured === 0 ? 0 : total / measured, maxRelative: max, pairs: measured};
}
