/**
 * The chart's reference lines, in nats like its curves: the uniform guess
 * (ln V), the unigram entropy of the training text, and the lowest training
 * loss a context-n table can reach on it, the conditional entropy of the
 * next token given the context (conditionalEntropy of source/reference.ts,
 * computed here on the training pairs' arrays, in the same order and so to
 * the same bits; test/models/entropy.test.ts holds them equal).
 */
import type {TrainingPairs} from './table/train.js';

export interface ReferenceLosses {
	/** ln V: the loss of the uniform guess, where every row starts. */
	readonly uniform: number;
	/** The entropy of the training tokens' frequencies: the best a unigram does. */
	readonly unigram: number;
	/** The entropy of the next token given the previous n: the best a context-n table does on its training pairs. */
	/** Absent when the run's context has no table to compare with (a context above 3). */
	readonly conditional?: number;
}

/** −(1/P) Σ over the pairs of ln(count(row, target) / count(row)). */
export function conditionalEntropyOf(pairs: TrainingPairs, explicitCount: number, rowCount: number): number {
	const {pairRow, pairColumn} = pairs;
	const count = new Int32Array(explicitCount);
	const total = new Int32Array(rowCount);
	for (let i = 0; i < pairRow.length; i++) {
		count[pairColumn[i]!]!++;
		total[pairRow[i]!]!++;
	}
	let sum = 0;
	for (let i = 0; i < pairRow.length; i++) sum += -Math.log(count[pairColumn[i]!]! / total[pairRow[i]!]!);
	return sum / pairRow.length;
}

/** The unigram entropy of the tokens ids[0..to): −(1/N) Σ over the tokens of ln(count / N). */
export function unigramEntropyOf(ids: ArrayLike<number>, to: number, V: number): number {
	const count = new Int32Array(V);
	for (let i = 0; i < to; i++) count[ids[i]!]!++;
	let sum = 0;
	for (let i = 0; i < to; i++) sum += -Math.log(count[ids[i]!]! / to);
	return sum / to;
}
