/**
 * Checking the attention model's gradient by finite differences, and
 * measuring how far the series' clipped in-place step is from the true
 * gradient.
 *
 * The loss of one pair is L(θ) = −ln p_target(θ). Its derivative along one
 * parameter θ_k is, to second order in a small step h,
 *
 *   ∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h
 *
 * (the central difference: its error is h²/6 · ∂³L/∂θ_k³, plus the rounding
 * error of L divided by 2h). checkGradient compares that number with the
 * true gradient of plain.ts (trueGradient), entry by entry, in every table:
 * E (the context tokens' rows), P, W_Q, W_K, W_V, W_out and b.
 *
 * The series' step (seriesStep) does not apply that gradient. It applies
 *
 *   W_out −= lr·clip(ctx ⊗ δ),  b −= lr·clip(δ)                  δ = p − onehot(target)
 *   then, with W_out′ the updated W_out:
 *   ∂ctx′ = W_out′·δ            (the true one reads W_out: ∂ctx′ − ∂ctx = −lr·clip(ctx ⊗ δ)·δ)
 *   for each position t = 0 … n−1:
 *     W_V −= lr·clip(e_t ⊗ ∂V_t′),  W_K −= lr·clip(e_t ⊗ ∂K_t′)  (and W_Q at t = n−1)
 *     ∂e_t′ = W_V″·∂V_t′ + W_K″·∂K_t′ (+ W_Q″·∂Q′)               read from the W's as updated so far
 *     E[c_t] −= lr·clip(∂e_t′),  P[t] −= lr·clip(∂e_t′)
 *
 * so it differs from the true gradient g in two ways:
 *  - the in-place order: ∂ctx′ and everything after it (∂V, ∂K, ∂Q, hence
 *    W_V, W_K, W_Q's updates) is read from the updated W_out, and ∂e_t′ from
 *    the updated W_V, W_K, W_Q. Each read is off by a term of order lr·|g|²,
 *    so this part of the gap, relative to g, is of order lr and vanishes
 *    with it;
 *  - clipping, entry by entry and position by position: W_V and W_K get
 *    Σ_t clip(e_t ⊗ ∂V_t) rather than clip(Σ_t e_t ⊗ ∂V_t), and a token that
 *    fills two positions has its row of E moved by Σ_t clip(∂e_t), not by
 *    clip(Σ_t ∂e_t). When no entry exceeds c this part is zero; when c bites
 *    it does not shrink with lr.
 *
 * inPlaceGap measures the update actually applied, Δ = (θ_before − θ_after)/lr
 * over every table, at each pair of one epoch of the series' own training,
 * and compares it with three references taken from the parameters before the
 * step: g itself, clip(g), and g clipped position by position as the series
 * clips (clipByPosition). Against the last one only the in-place order is
 * left; against clip(g), the in-place order and clipping per position;
 * against g, everything.
 */
import {agrees, centralDifference} from '../finite-difference.js';
import {pythonSum} from '../../numerics/python-sum.js';
import {PythonRandom} from '../../numerics/python-random.js';
import {
	attentionGradients,
	clip,
	forward,
	scoreGradient,
	seriesStep,
	trueGradient,
	type AttentionParameters,
	type Gradient,
} from './plain.js';

/** The agreement rule, from finite-difference.ts. */
export {agrees};

/** Which table a parameter lives in. */
export type ParameterGroup = 'E' | 'P' | 'WQ' | 'WK' | 'WV' | 'Wout' | 'b';

/** Every table, in the order the reports list them. */
export const PARAMETER_GROUPS: readonly ParameterGroup[] = ['E', 'P', 'WQ', 'WK', 'WV', 'Wout', 'b'];

/** One parameter: table[row][col], or b[row] (col ignored). */
export interface ParameterEntry {
	readonly group: ParameterGroup;
	readonly row: number;
	readonly col: number;
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
export function loss(params: AttentionParameters, context: readonly number[], target: number): number {
	return -Math.log(forward(params, context).p[target]!);
}

/** The table of a group other than b (a gradient has the same shape, so this reads either). */
function table(params: AttentionParameters, group: Exclude<ParameterGroup, 'b'>): number[][] {
	return params[group];
}

/** Read one parameter (or one entry of a gradient, which is shaped like the parameters). */
export function parameterValue(params: AttentionParameters, group: ParameterGroup, row: number, col: number): number {
	if (group === 'b') return params.b[row]!;
	return table(params, group)[row]![col]!;
}

/** Write one parameter. */
export function setParameter(params: AttentionParameters, group: ParameterGroup, row: number, col: number, value: number): void {
	if (group === 'b') params.b[row] = value;
	else table(params, group)[row]![col] = value;
}

/** Read one entry of a gradient. */
export function gradientEntry(gradient: Gradient, {group, row, col}: ParameterEntry): number {
	return parameterValue(gradient, group, row, col);
}

/** The central difference along one parameter (finite-difference.ts centralDifference). */
export function finiteDifference(
	params: AttentionParameters,
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


/** Every entry of one group that a pair's gradient can make non-zero: for E, the rows of the context's tokens (each distinct token once). */
export function entriesOfGroup(params: AttentionParameters, context: readonly number[], group: ParameterGroup): ParameterEntry[] {
	if (group === 'b') return params.b.map((_, row) => ({group, row, col: 0}));
	const rows = group === 'E' ? [...new Set(context)] : table(params, group).map((_, row) => row);
	return rows.flatMap((row) => table(params, group)[row]!.map((_, col) => ({group, row, col})));
}

/** Every entry a pair's gradient can make non-zero, group by group. */
export function entriesOfPair(params: AttentionParameters, context: readonly number[]): ParameterEntry[] {
	return PARAMETER_GROUPS.flatMap((group) => entriesOfGroup(params, context, group));
}

/** Picks the entries to check for one pair. */
export type EntrySampler = (params: AttentionParameters, context: readonly number[]) => readonly ParameterEntry[];

/**
 * A sampler that draws up to `perGroup` distinct entries of every group
 * (entriesOfGroup), at random with Python's random.Random(seed); a group with
 * no more than that many entries is taken whole. Every group is always
 * represented, E by its context rows.
 */
export function sampleEntries(perGroup: number, seed: number): EntrySampler {
	const random = new PythonRandom(seed);
	return (params, context) =>
		PARAMETER_GROUPS.flatMap((group) => {
			const all = entriesOfGroup(params, context, group);
			// A partial Fisher–Yates shuffle: the first perGroup places get a uniform draw without repeats.
			for (let i = 0; i < Math.min(perGroup, all.length - 1); i++) {
				const j = i + random.randbelow(all.length - i);
				[all[i], all[j]] = [all[j]!, all[i]!];
			}
			return all.slice(0, perGroup);
		});
}

export interface CheckOptions {
	/** The finite-difference step; 1e-6 unless given. */
	readonly h?: number;
	/** The gradient to check; the true gradient (trueGradient) unless given. */
	readonly gradient?: Gradient;
}

/** For each entry (given, or picked by a sampler): the gradient, the central difference, and whether they agree. */
export function checkGradient(
	params: AttentionParameters,
	context: readonly number[],
	target: number,
	entries: readonly ParameterEntry[] | EntrySampler,
	options: CheckOptions = {},
): EntryCheck[] {
	const gradient = options.gradient ?? trueGradient(params, context, target);
	const chosen = typeof entries === 'function' ? entries(params, context) : entries;
	return chosen.map((entry) => {
		const analytic = gradientEntry(gradient, entry);
		const numeric = finiteDifference(params, context, target, entry.group, entry.row, entry.col, options.h);
		return {...entry, analytic, numeric, ok: agrees(analytic, numeric)};
	});
}

/** A copy of every table. */
export function copyParameters(params: AttentionParameters): AttentionParameters {
	const rows = (t: number[][]) => t.map((row) => [...row]);
	return {E: rows(params.E), P: rows(params.P), WQ: rows(params.WQ), WK: rows(params.WK), WV: rows(params.WV), Wout: rows(params.Wout), b: [...params.b]};
}

/** f applied entry by entry to every table of a gradient. */
function mapGradient(g: Gradient, f: (x: number) => number): Gradient {
	const rows = (t: number[][]) => t.map((row) => row.map(f));
	return {E: rows(g.E), P: rows(g.P), WQ: rows(g.WQ), WK: rows(g.WK), WV: rows(g.WV), Wout: rows(g.Wout), b: g.b.map(f)};
}

/** clip(g): every entry of the gradient clipped to [−c, c] once, as exactStep applies it. */
export function clippedGradient(g: Gradient, c: number): Gradient {
	return mapGradient(g, (x) => clip(x, c));
}

/**
 * The true gradient clipped the way seriesStep clips, but read from the
 * parameters before the step (no in-place order):
 *
 *   W_out, b, W_Q, P[t]:  clip(g), as the true gradient has one share per entry
 *   W_V[m][k] = Σ_t clip(e_t[m]·∂V_t[k]),  W_K[m][k] = Σ_t clip(e_t[m]·∂K_t[k])
 *   E[c][m]   = Σ over positions t with c_t = c of clip(∂e_t[m])
 *
 * Each Σ is added in position order from 0.0. When no share exceeds c this is g.
 */
export function clipByPosition(params: AttentionParameters, context: readonly number[], target: number, c: number): Gradient {
	const g = trueGradient(params, context, target);
	const f = forward(params, context);
	const shares = attentionGradients(f, params.Wout, scoreGradient(f.p, target));
	const byPosition = (perPosition: readonly (readonly number[])[]) =>
		params.WV.map((_, m) => shares.dCtx.map((_, k) => pythonSum(perPosition.map((gt, t) => clip(f.e[t]![m]! * gt[k]!, c)))));
	const clipped = clippedGradient(g, c);
	const E = params.E.map((row) => row.map(() => 0));
	for (const id of new Set(context)) {
		const positions = context.flatMap((token, t) => (token === id ? [t] : []));
		E[id] = E[id]!.map((_, m) => pythonSum(positions.map((t) => clip(g.P[t]![m]!, c))));
	}
	return {...clipped, E, WV: byPosition(shares.dV), WK: byPosition(shares.dK)};
}

/**
 * One seriesStep on `params` (which it moves), returning the update it
 * applied to every table divided by the learning rate:
 *
 *   Δ = (θ_before − θ_after) / lr
 *
 * For a step that applied the true gradient this would be g (to the rounding
 * of θ − lr·g, about ulp(θ)/lr per entry).
 */
export function measuredSeriesStep(params: AttentionParameters, context: readonly number[], target: number, lr: number, c: number): Gradient {
	const before = copyParameters(params);
	seriesStep(params, context, target, lr, c);
	const rows = (a: number[][], b: number[][]) => a.map((row, i) => row.map((x, j) => (x - b[i]![j]!) / lr));
	return {
		E: rows(before.E, params.E),
		P: rows(before.P, params.P),
		WQ: rows(before.WQ, params.WQ),
		WK: rows(before.WK, params.WK),
		WV: rows(before.WV, params.WV),
		Wout: rows(before.Wout, params.Wout),
		b: before.b.map((x, j) => (x - params.b[j]!) / lr),
	};
}

/** The update one series step would apply (Δ of measuredSeriesStep), on a copy: `params` is not touched. */
export function seriesUpdate(params: AttentionParameters, context: readonly number[], target: number, lr: number, c: number): Gradient {
	return measuredSeriesStep(copyParameters(params), context, target, lr, c);
}

/** The entries of one group of a gradient, row by row. */
function groupEntries(g: Gradient, group: ParameterGroup): number[] {
	return group === 'b' ? g.b : table(g, group).flat();
}

/** ‖x − y‖₂ and ‖y‖₂ over the given groups. */
function distanceAndSize(x: Gradient, y: Gradient, groups: readonly ParameterGroup[]): {distance: number; size: number} {
	let distance = 0;
	let size = 0;
	for (const group of groups) {
		const xs = groupEntries(x, group);
		groupEntries(y, group).forEach((yi, i) => {
			distance += (xs[i]! - yi) ** 2;
			size += yi * yi;
		});
	}
	return {distance: Math.sqrt(distance), size: Math.sqrt(size)};
}

/** ‖g‖₂ over every table. */
function norm(g: Gradient): number {
	return Math.sqrt(PARAMETER_GROUPS.reduce((sum, group) => sum + groupEntries(g, group).reduce((s, x) => s + x * x, 0), 0));
}

/** One set of ratios ‖Δ − r‖₂ / ‖r‖₂, one per pair, summed up. */
export interface GapFigures {
	readonly mean: number;
	readonly median: number;
	/** The worst pair. */
	readonly max: number;
	/** Pairs measured (a pair whose reference is zero in this group has no ratio). */
	readonly pairs: number;
}

/** The gap against one reference r, over all tables together and group by group. */
export interface GapReport {
	/** ‖Δ − r‖ / ‖r‖ over every entry of every table at once. */
	readonly overall: GapFigures;
	/** ‖Δ − r‖ / ‖r‖ table by table. */
	readonly groups: Readonly<Record<ParameterGroup, GapFigures>>;
	/**
	 * ‖Δ − r‖ / ‖g‖ over every table: the same distance measured against the
	 * size of the true gradient, so that the three references can be compared.
	 * 1 − (this mean for r) / (this mean for g) is the share of the full gap
	 * that r accounts for.
	 */
	readonly overallOverTrue: GapFigures;
}

export interface InPlaceGap {
	/** How many steps were taken. */
	readonly pairs: number;
	/** Against g, the true gradient: ‖Δ − g‖ / ‖g‖. All of the difference. */
	readonly unclipped: GapReport;
	/** Against clip(g): ‖Δ − clip(g)‖ / ‖clip(g)‖. The in-place order and clipping per position. */
	readonly clipped: GapReport;
	/** Against clipByPosition: the in-place order alone. */
	readonly clippedByPosition: GapReport;
}

function figures(ratios: readonly number[]): GapFigures {
	if (ratios.length === 0) return {mean: 0, median: 0, max: 0, pairs: 0};
	const sorted = [...ratios].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
	return {mean: ratios.reduce((s, x) => s + x, 0) / ratios.length, median, max: sorted.at(-1)!, pairs: ratios.length};
}

/** The ratios of every pair so far, against one reference. */
interface Ratios {
	readonly overall: number[];
	readonly overallOverTrue: number[];
	readonly groups: Record<ParameterGroup, number[]>;
}

function noRatios(): Ratios {
	return {overall: [], overallOverTrue: [], groups: {E: [], P: [], WQ: [], WK: [], WV: [], Wout: [], b: []}};
}

/** Add one pair's ‖Δ − r‖ / ‖r‖ (over all tables and table by table) and ‖Δ − r‖ / ‖g‖; a zero denominator adds nothing. */
function addRatios(ratios: Ratios, applied: Gradient, reference: Gradient, truth: Gradient): void {
	const all = distanceAndSize(applied, reference, PARAMETER_GROUPS);
	if (all.size > 0) ratios.overall.push(all.distance / all.size);
	const trueSize = norm(truth);
	if (trueSize > 0) ratios.overallOverTrue.push(all.distance / trueSize);
	for (const group of PARAMETER_GROUPS) {
		const one = distanceAndSize(applied, reference, [group]);
		if (one.size > 0) ratios.groups[group].push(one.distance / one.size);
	}
}

function reportOf(ratios: Ratios): GapReport {
	const groups = Object.fromEntries(PARAMETER_GROUPS.map((group) => [group, figures(ratios.groups[group])])) as Record<ParameterGroup, GapFigures>;
	return {overall: figures(ratios.overall), groups, overallOverTrue: figures(ratios.overallOverTrue)};
}

/**
 * Train one epoch with seriesStep (lr, clip c) on a copy of `params` (the
 * argument is not touched) and, at every pair, before the step compute the
 * true gradient g from the parameters as they are; after it, the update the
 * step applied, Δ = (θ_before − θ_after)/lr (measuredSeriesStep). Report
 *
 *   ‖Δ − g‖ / ‖g‖,   ‖Δ − clip(g)‖ / ‖clip(g)‖,   ‖Δ − clip_t(g)‖ / ‖clip_t(g)‖
 *
 * (clip_t: clipByPosition) over all tables at once and table by table, as
 * mean, median and worst over the pairs, and each distance over ‖g‖ too
 * (overallOverTrue), which puts the three on one scale. Without clipping the first is of
 * order lr (the in-place reads), plus the rounding of θ − lr·u, about
 * ulp(θ)/lr per entry, which grows as lr shrinks.
 */
export function inPlaceGap(
	params: AttentionParameters,
	pairs: readonly {readonly context: readonly number[]; readonly target: number}[],
	lr: number,
	c: number,
): InPlaceGap {
	const copy = copyParameters(params);
	const unclipped = noRatios();
	const clipped = noRatios();
	const byPosition = noRatios();
	for (const {context, target} of pairs) {
		const g = trueGradient(copy, context, target);
		const perPosition = clipByPosition(copy, context, target, c);
		const applied = measuredSeriesStep(copy, context, target, lr, c);
		addRatios(unclipped, applied, g, g);
		addRatios(clipped, applied, clippedGradient(g, c), g);
		addRatios(byPosition, applied, perPosition, g);
	}
	return {pairs: pairs.length, unclipped: reportOf(unclipped), clipped: reportOf(clipped), clippedByPosition: reportOf(byPosition)};
}
