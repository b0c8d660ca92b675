/**
 * The model: a table of next-token scores with one row per context of the
 * previous n tokens (n = 0..3) and one column per vocabulary token; the
 * forward pass is the softmax of the context's row.
 *
 * The full table has V^n rows of V columns, far more than a corpus can touch.
 * This one stores only what training can change, with results bit-identical
 * to the full table:
 * - a context that never occurs keeps an all-zero row, so it is not stored;
 * - within a row, the columns that are never a target start equal (zero) and
 *   every SGD step changes them by the same amount, so they stay equal: the
 *   row holds them as one `shared` value, plus the explicit columns (the
 *   targets that follow this context somewhere in the corpus), sorted by id.
 *
 * So it computes exactly what the readable reference (source/reference.ts)
 * computes on the full table, in memory that grows with the corpus rather
 * than with V^(n+1).
 *
 * Rows are kept in flat typed arrays, ordered by row index (the context's
 * token ids read as a number in base V: ((a*V)+b)*V+c), which is the order of
 * the weights file.
 */
import {exp, POW2, ROUND, C3, C4} from '../../numerics/exp.js';
import {LN2_OVER_N_HIGH, LN2_OVER_N_LOW, N_OVER_LN2, POW2_J_HEAD, POW2_J_TAIL} from '../../numerics/exp-table.js';
import {finishSum} from '../../numerics/exact-sum.js';
import {softmax} from '../../reference.js';
import type {ExpKernel} from '../../numerics/exp-kernel.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {NextPrediction, NextTokenModel} from '../next-token.js';

export type ContextSize = 0 | 1 | 2 | 3;
export const CONTEXT_SIZES: readonly ContextSize[] = [0, 1, 2, 3];
export const MODEL_KINDS = ['unigram', 'bigram', 'context2', 'context3'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export function modelKind(n: ContextSize): ModelKind {
	return MODEL_KINDS[n];
}

export function contextSizeOfKind(kind: string): ContextSize | undefined {
	const n = MODEL_KINDS.indexOf(kind as ModelKind);
	return n < 0 ? undefined : (n as ContextSize);
}

/** Label of a context row: `(no context)`, `tok`, `a|b`, `a|b|c`. */
export function contextLabel(tokens: readonly string[]): string {
	return tokens.length === 0 ? '(no context)' : tokens.join('|');
}

export interface SparseRows {
	/** Context token ids of each stored row, n per row, rows in row-index order. */
	readonly contexts: Int32Array;
	/** Row r's explicit columns are cols[colStart[r] .. colStart[r+1]). */
	readonly colStart: Int32Array;
	/** Explicit column ids, ascending within each row. */
	readonly cols: Int32Array;
	/** Weight of each explicit column. */
	readonly weights: Float64Array;
	/** The value every other column of the row holds. */
	readonly shared: Float64Array;
}

export class Model implements NextTokenModel {
	readonly family = 'table';
	readonly vocabulary: Vocabulary;
	readonly n: ContextSize;
	readonly V: number;
	readonly rows: SparseRows;

	constructor(vocabulary: Vocabulary, n: ContextSize, rows: SparseRows) {
		this.vocabulary = vocabulary;
		this.n = n;
		this.V = vocabulary.tokens.length;
		this.rows = rows;
	}

	get kind(): ModelKind {
		return modelKind(this.n);
	}

	/** The full table's weights, V^n·V (most of them never stored: see the top of this file). */
	get parameterCount(): number {
		return this.V ** this.n * this.V;
	}

	/** p(next | context): the softmax of the context's row, uniform for a context never seen. */
	next(context: ArrayLike<number>): NextPrediction {
		const slot = this.slotOf(context);
		const scores = this.scores(slot);
		return {scores, probabilities: softmax(scores), slot, seen: slot >= 0};
	}

	/** Number of stored (seen) context rows. */
	get rowCount(): number {
		return this.rows.shared.length;
	}

	/** Number of weights held explicitly (besides one shared value a row). */
	get explicitCount(): number {
		return this.rows.cols.length;
	}

	/** Rows of the full table: V^n. */
	get fullRowCount(): number {
		return this.V ** this.n;
	}

	/**
	 * The stored row for a context (n token ids), or -1 for a context never
	 * seen: a binary search, since rows are kept in row-index order.
	 */
	slotOf(context: ArrayLike<number>): number {
		const {n} = this;
		if (context.length !== n) throw new Error(`a context of ${n} tokens is needed`);
		const {contexts} = this.rows;
		let lo = 0;
		let hi = this.rowCount - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			let order = 0;
			for (let t = 0; t < n && order === 0; t++) order = contexts[mid * n + t]! - context[t]!;
			if (order === 0) return mid;
			if (order < 0) lo = mid + 1;
			else hi = mid - 1;
		}
		return -1;
	}

	contextIds(slot: number): number[] {
		return Array.from(this.rows.contexts.subarray(slot * this.n, slot * this.n + this.n));
	}

	label(slot: number): string {
		return contextLabel(this.contextIds(slot).map((id) => this.vocabulary.tokens[id]!));
	}

	/** Row index in the full table (exact while V^n < 2^53). */
	rowIndex(slot: number): number {
		let index = 0;
		for (const id of this.contextIds(slot)) index = index * this.V + id;
		return index;
	}

	/** All V scores of a stored row, or zeros for slot -1 (an unseen context). */
	scores(slot: number): Float64Array {
		const out = new Float64Array(this.V);
		if (slot < 0) return out;
		const {colStart, cols, weights, shared} = this.rows;
		out.fill(shared[slot]!);
		for (let e = colStart[slot]!; e < colStart[slot + 1]!; e++) out[cols[e]!] = weights[e]!;
		return out;
	}

	/** The next-token probabilities of a row (uniform for slot -1). */
	probabilities(slot: number): Float64Array {
		return softmax(this.scores(slot));
	}
}

/** The softmax of a whole row of scores: the readable reference's (source/reference.ts). */
export {softmax};

const softmaxTerms = new Float64Array(2);

/** Below this many explicit columns the JavaScript loop is as fast as copying the row to the kernel. */
export const KERNEL_MIN_COLUMNS = 16;

/**
 * The same softmax on a sparse row, bit for bit (test/models/table/full-table.test.ts
 * holds the two equal): `exps` receives
 * exp(w - max) of each explicit column, `out[0]` the shared columns' exp and
 * `out[1]` the denominator, the correctly rounded sum over all V columns
 * (the shared ones as one exact product). `knownMax`, when given, is the
 * row's max score, already known to the caller.
 */
export function sparseSoftmaxTerms(
	V: number,
	weights: Float64Array,
	start: number,
	end: number,
	shared: number,
	exps: Float64Array,
	out: Float64Array = softmaxTerms,
	knownMax = NaN,
	/** When given, `exps` must be its output: wide rows then take the WebAssembly path. */
	kernel?: ExpKernel,
): void {
	const count = end - start;
	const hasShared = count < V;
	let max = knownMax;
	if (Number.isNaN(max)) {
		max = hasShared ? shared : -Infinity;
		for (let e = start; e < end; e++) if (weights[e]! > max) max = weights[e]!;
	}
	const sharedExp = hasShared ? exp(shared - max) : 0;
	// The exponentials, each added to the double-double (hi, lo) as it comes
	// (see exact-sum.ts). The loop body is exp() from exp.ts written out, so
	// that it stays inline in this hot loop; the full-table tests hold the two
	// to the same bits.
	const wide = kernel !== undefined && count >= KERNEL_MIN_COLUMNS;
	const done = wide ? kernel.fill(weights, start, end, max) : 0;
	let hi = 0;
	let lo = 0;
	for (let e = start + done; e < end; e++) {
		const x = weights[e]! - max;
		let y: number;
		if (!(x > -708)) {
			y = exp(x);
		} else {
			const kd = x * N_OVER_LN2 + ROUND - ROUND;
			const r = x - kd * LN2_OVER_N_HIGH - kd * LN2_OVER_N_LOW;
			const k = kd | 0;
			const j = k & 511;
			const head = POW2_J_HEAD[j]!;
			const p = r * (1 + r * (0.5 + r * (C3 + r * C4)));
			y = POW2[(k >> 9) + 1074]! * (head + (POW2_J_TAIL[j]! + head * p));
		}
		exps[e - start] = y;
		const sum = hi + y;
		const z = sum - hi;
		lo += hi - (sum - z) + (y - z);
		hi = sum;
	}
	if (done > 0) {
		// The kernel's part, added to this one as one more term.
		kernel!.sum(done);
		const kernelHi = kernel!.total[0]!;
		const sum = hi + kernelHi;
		const z = sum - hi;
		lo += hi - (sum - z) + (kernelHi - z) + kernel!.total[1]!;
		hi = sum;
	}
	out[0] = sharedExp;
	out[1] = finishSum(hi, lo, exps, 0, count, V - count, sharedExp);
}
