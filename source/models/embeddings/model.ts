/**
 * The learned-embeddings model on flat arrays: the same parameters as
 * plain.ts (E, W, b), row-major in Float64Arrays, and the same arithmetic in
 * the same order, so every number is the plain functions' to the bit.
 */
import {exp} from '../../numerics/exp.js';
import {PythonRandom} from '../../numerics/python-random.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {EmbeddingParameters} from './plain.js';
import type {NextPrediction, NextTokenModel} from '../next-token.js';

/** Context sizes the embeddings model takes. */
export const EMBEDDINGS_CONTEXTS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export const DEFAULT_DIM = 16;
export const DEFAULT_INIT_SCALE = 0.01;

export interface EmbeddingsShape {
	/** Vocabulary size. */
	readonly V: number;
	/** Embedding dimension. */
	readonly d: number;
	/** Context size. */
	readonly n: number;
}

export class EmbeddingsModel implements EmbeddingsShape, NextTokenModel {
	readonly family = 'embeddings';
	readonly vocabulary: Vocabulary;
	readonly V: number;
	readonly d: number;
	readonly n: number;
	/** E[t·d + k]: token t's vector. */
	readonly E: Float64Array;
	/** W[i·V + j]: input position i (= p·d + k) to token j. */
	readonly W: Float64Array;
	readonly b: Float64Array;

	constructor(vocabulary: Vocabulary, n: number, d: number, E: Float64Array, W: Float64Array, b: Float64Array) {
		this.vocabulary = vocabulary;
		this.V = vocabulary.tokens.length;
		this.n = n;
		this.d = d;
		if (E.length !== this.V * d || W.length !== n * d * this.V || b.length !== this.V) throw new Error('embeddings model: parameter sizes do not match V, n and d');
		this.E = E;
		this.W = W;
		this.b = b;
	}

	/** The series' initialisation after random.seed(seed) (plain.ts initialParameters), on flat arrays. */
	static initial(vocabulary: Vocabulary, n: number, d: number, seed: number, scale: number): EmbeddingsModel {
		const V = vocabulary.tokens.length;
		const random = new PythonRandom(seed);
		const E = new Float64Array(V * d);
		for (let i = 0; i < E.length; i++) E[i] = random.gauss(0.0, scale);
		const W = new Float64Array(n * d * V);
		for (let i = 0; i < W.length; i++) W[i] = random.gauss(0.0, scale);
		return new EmbeddingsModel(vocabulary, n, d, E, W, new Float64Array(V));
	}

	readonly kind = 'embeddings';

	/** V·d + n·d·V + V numbers. */
	get parameterCount(): number {
		return this.E.length + this.W.length + this.b.length;
	}

	/** h = concat(E[c_0], …, E[c_{n−1}]). */
	concatenate(context: ArrayLike<number>, h = new Float64Array(this.n * this.d)): Float64Array {
		const {d, E} = this;
		for (let p = 0; p < this.n; p++) h.set(E.subarray(context[p]! * d, context[p]! * d + d), p * d);
		return h;
	}

	/** s_j = b_j + Σ_i h_i·W_ij, added for i = 0, 1, … (plain.ts linear). */
	scoresOf(h: ArrayLike<number>, s = new Float64Array(this.V)): Float64Array {
		const {V, W} = this;
		s.set(this.b);
		for (let i = 0; i < h.length; i++) {
			const hi = h[i]!;
			const row = i * V;
			for (let j = 0; j < V; j++) s[j] += hi * W[row + j]!;
		}
		return s;
	}

	/** Next-token probabilities after a context of n ids (plain.ts forward). */
	probabilities(context: ArrayLike<number>): Float64Array {
		if (context.length !== this.n) throw new Error(`a context of ${this.n} tokens is needed`);
		const p = this.scoresOf(this.concatenate(context));
		seriesSoftmaxInPlace(p);
		return p;
	}

	/** p(next | context) from the context's vectors: every context gets a real distribution. */
	next(context: ArrayLike<number>): NextPrediction {
		if (context.length !== this.n) throw new Error(`a context of ${this.n} tokens is needed`);
		const scores = this.scoresOf(this.concatenate(context));
		const probabilities = scores.slice();
		seriesSoftmaxInPlace(probabilities);
		return {scores, probabilities, seen: this.seenContexts?.has(context)};
	}

	/** The contexts of the training pairs, when known (the run or the explorer sets them): next() then says whether a context was seen. */
	seenContexts: {has(context: ArrayLike<number>): boolean} | undefined;

	/** Whether every parameter is a finite number (a run whose learning rate is too large overflows to ±Infinity and NaN). */
	finite(): boolean {
		for (const values of [this.E, this.W, this.b]) for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
		return true;
	}

	/** The parameters as lists of lists, for plain.ts. */
	toPlain(): EmbeddingParameters {
		const {V, d} = this;
		return {
			E: Array.from({length: V}, (_, t) => Array.from(this.E.subarray(t * d, t * d + d))),
			W: Array.from({length: this.n * d}, (_, i) => Array.from(this.W.subarray(i * V, i * V + V))),
			b: Array.from(this.b),
		};
	}

	copy(): EmbeddingsModel {
		const copy = new EmbeddingsModel(this.vocabulary, this.n, this.d, this.E.slice(), this.W.slice(), this.b.slice());
		copy.seenContexts = this.seenContexts;
		return copy;
	}
}

/**
 * plain.ts seriesSoftmax in place: e_j = exp(s_j − max s), then each divided
 * by their sum taken as Python's sum() (Neumaier, python-sum.ts, inlined).
 */
export function seriesSoftmaxInPlace(s: Float64Array): void {
	const V = s.length;
	let max = -Infinity;
	for (let j = 0; j < V; j++) if (s[j]! > max) max = s[j]!;
	let f = 0.0;
	let c = 0.0;
	for (let j = 0; j < V; j++) {
		const x = exp(s[j]! - max);
		s[j] = x;
		const t = f + x;
		if (Math.abs(f) >= Math.abs(x)) c += f - t + x;
		else c += x - t + f;
		f = t;
	}
	const total = c !== 0 && Number.isFinite(c) ? f + c : f;
	for (let j = 0; j < V; j++) s[j] = s[j]! / total;
}
