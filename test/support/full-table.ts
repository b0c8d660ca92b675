/**
 * The plain full-table trainer: V^n rows of V weights, the softmax over
 * every column (with the engine's exp, and the correctly rounded sum of
 * the exponentials, as Python's math.fsum gives it), every column updated.
 * Written for clarity, not speed; the tests hold the sparse engine to it bit
 * for bit, and the benchmark measures the engine against it.
 */
import {exp} from '../../source/numerics/exp.js';
import {roundedSum} from '../../source/numerics/exact-sum.js';

export interface FullResult {
	weights: Float64Array;
	log: Array<{avgLoss: number; accuracy: number}>;
}

/** The textbook trainer. */
export function trainFullTable(ids: Int32Array, V: number, n: number, lr: number, epochs: number): FullResult {
	const rows = V ** n;
	const weights = new Float64Array(rows * V);
	const log: FullResult['log'] = [];
	const pairs = ids.length - n;
	const exps = new Float64Array(V);
	const p = new Float64Array(V);
	for (let epoch = 0; epoch < epochs; epoch++) {
		let lossSum = 0;
		let correct = 0;
		for (let i = 0; i < pairs; i++) {
			let row = 0;
			for (let t = 0; t < n; t++) row = row * V + ids[i + t]!;
			const target = ids[i + n]!;
			const base = row * V;
			let max = -Infinity;
			for (let j = 0; j < V; j++) if (weights[base + j]! > max) max = weights[base + j]!;
			for (let j = 0; j < V; j++) exps[j] = exp(weights[base + j]! - max);
			const total = roundedSum(exps);
			for (let j = 0; j < V; j++) p[j] = exps[j]! / total;
			lossSum += -Math.log(Math.max(p[target]!, 1e-12));
			let best = 0;
			for (let j = 1; j < V; j++) if (p[j]! > p[best]!) best = j;
			if (best === target) correct++;
			for (let j = 0; j < V; j++) weights[base + j] = weights[base + j]! - lr * (p[j]! - (j === target ? 1 : 0));
		}
		log.push({avgLoss: lossSum / pairs, accuracy: correct / pairs});
	}
	return {weights, log};
}

