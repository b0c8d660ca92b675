/**
 * One row of the model, step by step, as the forward pass computes it:
 *   (0) the row's scores, (1) minus their max, (2) exp of each,
 *   (3) divided by their sum: the probabilities, (4) the chosen token.
 *
 * Only the row's explicit columns are computed, plus one value for all the
 * others (columns that were never a target after this context start equal
 * and every step changes them alike, so they share one score): the work is
 * the row's size, never the vocabulary's, with the sparse softmax the
 * trainer uses. The numbers are bit for bit those of Model.probabilities,
 * the dense softmax of source/reference.ts.
 */
import {formatCount, percent} from '../../text.js';
import {sparseSoftmaxTerms, type Model} from '../../../models/table/model.js';

export const STEP_COUNT = 5;
export const STEP_NAMES = ['scores', '−max', 'exp', '÷sum', 'pick'] as const;

/** One token's values at each step. */
export interface StepValues {
	readonly score: number;
	/** score − max. */
	readonly shifted: number;
	/** exp(score − max). */
	readonly exp: number;
	/** exp / sum: the probability. */
	readonly p: number;
}

export interface RowEntry extends StepValues {
	/** The token id, or for the shared line the lowest id among the shared columns. */
	readonly id: number;
	/** Stands for `count` tokens that share these values (the columns never seen after the context). */
	readonly shared: boolean;
	readonly count: number;
}

export interface RowSteps {
	readonly slot: number;
	readonly label: string;
	readonly V: number;
	/** Columns held explicitly (tokens seen after this context). */
	readonly explicitCount: number;
	/** Columns that share one value (V − explicitCount). */
	readonly sharedCount: number;
	readonly max: number;
	/** The sum of exp over all V columns. */
	readonly total: number;
	/** The highest entries by probability (ties by id), the shared line among them at its rank. */
	readonly top: readonly RowEntry[];
	/** Entries that did not make `top` (an entry is a token or the shared line). */
	readonly rest: number;
	/** The shared line, when the row has shared columns. */
	readonly sharedEntry?: RowEntry;
	/** The most probable token; ties go to the lowest id, as in training and greedy decoding. */
	readonly chosen: {readonly id: number; readonly p: number};
	/** How many tokens share the highest probability (more than 1: a tie the lowest id won). */
	readonly tiedForBest: number;
	/** Sum of all V probabilities (1 up to rounding). */
	readonly pSum: number;
	/** Every weight of the row is 0 (untrained): every probability is 1/V. */
	readonly allZero: boolean;
}

/** Entry order: higher probability first, then lower id. */
export function entryBefore(a: {p: number; id: number}, b: {p: number; id: number}): boolean {
	return a.p > b.p || (a.p === b.p && a.id < b.id);
}

/** The steps of stored row `slot`, keeping the `keep` highest entries. */
export function computeRowSteps(model: Model, slot: number, keep: number): RowSteps {
	const {colStart, cols, weights, shared} = model.rows;
	const V = model.V;
	const start = colStart[slot]!;
	const end = colStart[slot + 1]!;
	const explicitCount = end - start;
	const sharedCount = V - explicitCount;
	const sharedScore = shared[slot]!;
	const exps = new Float64Array(Math.max(1, explicitCount));
	const terms = new Float64Array(2);
	sparseSoftmaxTerms(V, weights, start, end, sharedScore, exps, terms);
	const sharedExp = terms[0]!;
	const total = terms[1]!;
	// The max exactly as the softmax takes it: the shared value counts only when some column holds it.
	let max = sharedCount > 0 ? sharedScore : -Infinity;
	for (let e = start; e < end; e++) if (weights[e]! > max) max = weights[e]!;

	let allZero = sharedCount === 0 || sharedScore === 0;
	const top: RowEntry[] = [];
	const limit = Math.max(1, keep);
	const insert = (entry: RowEntry) => {
		if (top.length >= limit && !entryBefore(entry, top[top.length - 1]!)) return;
		let i = top.length;
		while (i > 0 && entryBefore(entry, top[i - 1]!)) i--;
		top.splice(i, 0, entry);
		if (top.length > limit) top.pop();
	};
	let pSum = 0;
	let chosen = {id: -1, p: -Infinity};
	let tiedForBest = 0;
	for (let e = start; e < end; e++) {
		const score = weights[e]!;
		if (score !== 0) allZero = false;
		const exp = exps[e - start]!;
		const p = exp / total;
		pSum += p;
		const entry: RowEntry = {id: cols[e]!, score, shifted: score - max, exp, p, shared: false, count: 1};
		if (entry.p > chosen.p) {
			chosen = {id: entry.id, p: entry.p};
			tiedForBest = 1;
		} else if (entry.p === chosen.p) tiedForBest++;
		insert(entry);
	}
	let sharedEntry: RowEntry | undefined;
	if (sharedCount > 0) {
		// The lowest shared id is the first id missing from the explicit columns (ascending).
		let firstShared = 0;
		for (let e = start; e < end && cols[e] === firstShared; e++) firstShared++;
		const p = sharedExp / total;
		sharedEntry = {id: firstShared, score: sharedScore, shifted: sharedScore - max, exp: sharedExp, p, shared: true, count: sharedCount};
		pSum += p * sharedCount;
		if (p > chosen.p) tiedForBest = sharedCount;
		else if (p === chosen.p) tiedForBest += sharedCount;
		if (p > chosen.p || (p === chosen.p && firstShared < chosen.id)) chosen = {id: firstShared, p};
		insert(sharedEntry);
	}
	const entries = explicitCount + (sharedCount > 0 ? 1 : 0);
	return {
		slot,
		label: model.label(slot),
		V,
		explicitCount,
		sharedCount,
		max,
		total,
		top,
		rest: entries - top.length,
		sharedEntry,
		chosen,
		tiedForBest,
		pSum,
		allZero,
	};
}

const rowCaches = new WeakMap<Model, Map<string, RowSteps>>();

/** computeRowSteps, recomputed only when the row, the weights' version or `keep` changes. */
export function rowSteps(model: Model, slot: number, version: number, keep: number): RowSteps {
	let cache = rowCaches.get(model);
	if (!cache) {
		cache = new Map();
		rowCaches.set(model, cache);
	}
	const key = `${slot}:${version}:${keep}`;
	let steps = cache.get(key);
	if (!steps) {
		steps = computeRowSteps(model, slot, keep);
		if (cache.size >= 8) cache.clear();
		cache.set(key, steps);
	}
	return steps;
}

/**
 * The entries to list in `space` lines: all when they fit; else the highest,
 * with the shared line kept (it stands for most of the vocabulary) when that
 * leaves the two most probable in place, and one line saying how many are
 * left out.
 */
export function entriesToShow(steps: RowSteps, space: number): {entries: RowEntry[]; more: number} {
	const all = steps.top;
	const count = all.length + steps.rest;
	if (count <= space) return {entries: [...all], more: 0};
	const slots = Math.max(Math.min(2, all.length), space - 1);
	let entries = all.slice(0, slots);
	if (steps.sharedEntry && !entries.includes(steps.sharedEntry) && slots > 2) {
		entries = [...all.slice(0, slots - 1), steps.sharedEntry];
	}
	return {entries, more: count - entries.length};
}

/** V^n as an exact integer. */
export function fullRows(V: number, n: number): bigint {
	return BigInt(V) ** BigInt(n);
}

/** An exact count with thousands separators; from 10^15 on, its order of size: ≈1.30×10^19. */
export function formatBig(value: bigint): string {
	if (value < 10n ** 15n) return formatCount(value);
	const [mantissa, exponent] = Number(value).toExponential(2).split('e');
	return `≈${mantissa}×10^${Number(exponent)}`;
}

const NAMED = [
	[1e18, 'quintillion'],
	[1e15, 'quadrillion'],
	[1e12, 'trillion'],
	[1e9, 'billion'],
	[1e6, 'million'],
] as const;

/** A large count in words a person reads at once: 2.2 trillion, 45 million, 12,345. */
export function aboutCount(x: number): string {
	for (const [size, name] of NAMED) if (x >= size) return `${(x / size).toFixed(x / size >= 10 ? 0 : 1)} ${name}`;
	return formatCount(x);
}

/**
 * `part` of `whole` things named `noun`: "12.50% of the rows", or when that
 * would read 0.00%, "1 in 2.2 trillion rows" (never exponent notation).
 */
export function formatShare(part: number, whole: bigint, noun = 'rows'): string {
	if (part === 0) return `0% of the ${noun}`;
	const share = (part / Number(whole)) * 100;
	if (share >= 0.01) return `${share.toFixed(2)}% of the ${noun}`;
	return `1 in ${aboutCount(Number(whole) / part)} ${noun}`;
}

/** A number as the steps show it: 4 decimals, or exponent notation when that would show 0 for a nonzero value. */
export function formatValue(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
	if (x !== 0 && Math.abs(x) < 0.00005) return x.toExponential(1);
	if (Math.abs(x) >= 1e6) return x.toExponential(2);
	const text = x.toFixed(4);
	return text === '-0.0000' ? '0.0000' : text;
}

/** A probability as a percentage with enough digits to tell small ones apart, never in exponent notation. */
export function formatProbability(p: number): string {
	const pct = p * 100;
	if (p === 0) return '0%';
	if (pct >= 0.01) return `${pct.toFixed(2)}%`;
	return percent(p);
}
