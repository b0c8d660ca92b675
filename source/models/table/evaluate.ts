/**
 * Scoring pairs a model did not train on: scorePairs of source/reference.ts
 * on the sparse rows, bit for bit (test/models/table/evaluate.test.ts holds
 * the two equal). Each pair costs its row's explicit columns (the softmax of
 * sparseSoftmaxTerms), not V, and a context the training pairs lack costs
 * nothing: its row is all zeros, so its softmax is the uniform 1/V.
 *
 * A text scored by `eval` may hold tokens the vocabulary lacks (id -1). A
 * context holding one was never seen; a target that is one has no
 * probability under the model, and is scored, as the loss of every pair is
 * clipped, at p = 1e-12 (27.63 nats) and never predicted right.
 */
import {Model, sparseSoftmaxTerms} from './model.js';
import {widestRow} from './train.js';
import {softmax, crossEntropy} from '../../reference.js';

/** The loss of a target the vocabulary lacks: −ln(1e-12), the clip of every pair's loss. */
export const OOV_LOSS = -Math.log(1e-12);

export interface PairScores {
	/** Pairs scored. */
	readonly pairs: number;
	/** Sum of every pair's loss, in order (targets the vocabulary lacks at OOV_LOSS). */
	readonly lossSum: number;
	/** The same sum without the pairs whose target the vocabulary lacks. */
	readonly knownLossSum: number;
	/** Pairs whose target the vocabulary lacks. */
	readonly oovTargets: number;
	/** Pairs predicted right. */
	readonly correct: number;
	/** Pairs whose context the training pairs contain. */
	readonly covered: number;
}

/**
 * Score the pairs whose targets are ids[from..to) (each with the n ids before
 * it as its context, all within `ids`), the model as it stands.
 */
export function scorePairsOf(model: Model, ids: ArrayLike<number>, from: number, to: number): PairScores {
	const {n, V} = model;
	const {colStart, cols, weights, shared} = model.rows;
	const scratch = new Float64Array(Math.max(1, widestRow(model)));
	const terms = new Float64Array(2);
	const context = new Int32Array(n);
	// The unseen context's loss: the uniform softmax, as the reference computes it.
	const uniformLoss = crossEntropy(softmax(new Float64Array(V)), 0);
	let lossSum = 0;
	let knownLossSum = 0;
	let oovTargets = 0;
	let correct = 0;
	let covered = 0;
	for (let t = from; t < to; t++) {
		let known = true;
		for (let k = 0; k < n; k++) {
			context[k] = ids[t - n + k]!;
			if (context[k]! < 0) known = false;
		}
		const target = ids[t]!;
		const slot = known ? model.slotOf(context) : -1;
		if (slot >= 0) covered++;
		if (target < 0) {
			oovTargets++;
			lossSum += OOV_LOSS;
			continue;
		}
		let loss: number;
		let predicted: number;
		if (slot < 0) {
			loss = uniformLoss;
			predicted = 0;
		} else {
			const start = colStart[slot]!;
			const end = colStart[slot + 1]!;
			const s = shared[slot]!;
			sparseSoftmaxTerms(V, weights, start, end, s, scratch, terms);
			const sharedP = terms[0]! / terms[1]!;
			// The target's probability: its explicit column's, or the shared one.
			let pTarget = sharedP;
			let best = -1;
			let bestP = -Infinity;
			for (let e = start; e < end; e++) {
				const p = scratch[e - start]! / terms[1]!;
				if (cols[e] === target) pTarget = p;
				if (p > bestP) {
					bestP = p;
					best = e;
				}
			}
			loss = -Math.log(Math.max(pTarget, 1e-12));
			// The most likely token, ties to the lowest id (as argmax).
			predicted = best >= 0 ? cols[best]! : 0;
			if (end - start < V && sharedP >= bestP) {
				let firstShared = 0;
				for (let e = start; e < end && cols[e] === firstShared; e++) firstShared++;
				if (best < 0 || sharedP > bestP || firstShared < predicted) predicted = firstShared;
			}
		}
		lossSum += loss;
		knownLossSum += loss;
		if (predicted === target) correct++;
	}
	return {pairs: to - from, lossSum, knownLossSum, oovTargets, correct, covered};
}
