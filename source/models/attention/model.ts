/**
 * The attention model on flat arrays: the parameters of plain.ts (E, P, W_Q,
 * W_K, W_V, W_out, b), row-major in Float64Arrays, and the same arithmetic in
 * the same order, so every number is the plain functions' to the bit
 * (test/models/attention/plain.test.ts).
 */
import {PythonRandom} from '../../numerics/python-random.js';
import {pythonSum} from '../../numerics/python-sum.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import {seriesSoftmaxInPlace} from '../embeddings/model.js';
import {attentionScale, type AttentionParameters, type AttentionShape} from './plain.js';
import type {NextPrediction, NextTokenModel} from '../next-token.js';

/** Context sizes the attention model takes. */
export const ATTENTION_CONTEXTS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export const DEFAULT_HEAD_DIM = 16;
export const DEFAULT_CLIP = 1.0;

/** The path of one prediction, every intermediate value (plain.ts forward, on flat arrays). */
export interface AttentionPath {
	/** e_t = E[c_t] + P[t]: n rows of d. */
	readonly e: Float64Array;
	/** Q_t, K_t, V_t: n rows of h each. */
	readonly Q: Float64Array;
	readonly K: Float64Array;
	readonly V: Float64Array;
	/** s_j = Q_{n−1}·K_j / √h. */
	readonly attentionScores: Float64Array;
	/** a = softmax(s). */
	readonly a: Float64Array;
	readonly ctx: Float64Array;
	readonly scores: Float64Array;
	readonly p: Float64Array;
}

export class AttentionModel implements AttentionShape, NextTokenModel {
	readonly family = 'attention';
	readonly kind = 'attention';
	readonly vocabulary: Vocabulary;
	readonly V: number;
	readonly d: number;
	readonly h: number;
	readonly n: number;
	readonly scale: number;
	/** E[t·d + m]: token t's vector. */
	readonly E: Float64Array;
	/** P[t·d + m]: position t's vector. */
	readonly P: Float64Array;
	/** W_Q[m·h + k], W_K, W_V: d rows of h. */
	readonly WQ: Float64Array;
	readonly WK: Float64Array;
	readonly WV: Float64Array;
	/** W_out[k·V + j]: h rows of V. */
	readonly Wout: Float64Array;
	readonly b: Float64Array;

	constructor(
		vocabulary: Vocabulary,
		shape: {readonly n: number; readonly d: number; readonly h: number},
		parameters: {readonly E: Float64Array; readonly P: Float64Array; readonly WQ: Float64Array; readonly WK: Float64Array; readonly WV: Float64Array; readonly Wout: Float64Array; readonly b: Float64Array},
	) {
		this.vocabulary = vocabulary;
		this.V = vocabulary.tokens.length;
		const {n, d, h} = shape;
		this.n = n;
		this.d = d;
		this.h = h;
		this.scale = attentionScale(h);
		const {E, P, WQ, WK, WV, Wout, b} = parameters;
		const V = this.V;
		if (E.length !== V * d || P.length !== n * d || WQ.length !== d * h || WK.length !== d * h || WV.length !== d * h || Wout.length !== h * V || b.length !== V) {
			throw new Error('attention model: parameter sizes do not match V, n, d and h');
		}
		this.E = E;
		this.P = P;
		this.WQ = WQ;
		this.WK = WK;
		this.WV = WV;
		this.Wout = Wout;
		this.b = b;
	}

	/** The series' initialisation after random.seed(seed) (plain.ts initialParameters), on flat arrays. */
	static initial(vocabulary: Vocabulary, shape: {readonly n: number; readonly d: number; readonly h: number}, seed: number, scale: number): AttentionModel {
		const V = vocabulary.tokens.length;
		const {n, d, h} = shape;
		const random = new PythonRandom(seed);
		const draw = (length: number) => {
			const values = new Float64Array(length);
			for (let i = 0; i < length; i++) values[i] = random.gauss(0.0, scale);
			return values;
		};
		// The order of the draws: E, P, W_Q, W_K, W_V, W_out.
		const E = draw(V * d);
		const P = draw(n * d);
		const WQ = draw(d * h);
		const WK = draw(d * h);
		const WV = draw(d * h);
		const Wout = draw(h * V);
		return new AttentionModel(vocabulary, shape, {E, P, WQ, WK, WV, Wout, b: new Float64Array(V)});
	}

	/** V·d + n·d + 3·d·h + h·V + V numbers. */
	get parameterCount(): number {
		return this.E.length + this.P.length + 3 * this.WQ.length + this.Wout.length + this.b.length;
	}

	/** Every intermediate value of one prediction (plain.ts forward). */
	path(context: ArrayLike<number>): AttentionPath {
		const {n, d, h, V} = this;
		if (context.length !== n) throw new Error(`a context of ${n} tokens is needed`);
		const e = new Float64Array(n * d);
		for (let t = 0; t < n; t++) for (let m = 0; m < d; m++) e[t * d + m] = this.E[context[t]! * d + m]! + this.P[t * d + m]!;
		const Q = new Float64Array(n * h);
		const K = new Float64Array(n * h);
		const Vs = new Float64Array(n * h);
		for (let t = 0; t < n; t++) {
			projectInto(e, t * d, d, this.WQ, h, Q, t * h);
			projectInto(e, t * d, d, this.WK, h, K, t * h);
			projectInto(e, t * d, d, this.WV, h, Vs, t * h);
		}
		const a = new Float64Array(n);
		const last = (n - 1) * h;
		const products = new Float64Array(h);
		for (let j = 0; j < n; j++) {
			for (let k = 0; k < h; k++) products[k] = Q[last + k]! * K[j * h + k]!;
			a[j] = pythonSum(products) * this.scale;
		}
		const attentionScores = a.slice();
		seriesSoftmaxInPlace(a);
		const ctx = new Float64Array(h);
		for (let j = 0; j < n; j++) for (let k = 0; k < h; k++) ctx[k] += a[j]! * Vs[j * h + k]!;
		const scores = this.b.slice();
		for (let k = 0; k < h; k++) {
			const c = ctx[k]!;
			const row = k * V;
			for (let j = 0; j < V; j++) scores[j] += c * this.Wout[row + j]!;
		}
		const p = scores.slice();
		seriesSoftmaxInPlace(p);
		return {e, Q, K, V: Vs, attentionScores, a, ctx, scores, p};
	}

	/** Next-token probabilities after a context of n ids. */
	probabilities(context: ArrayLike<number>): Float64Array {
		return this.path(context).p;
	}

	/** p(next | context), with the attention weights of the last position over the context. */
	next(context: ArrayLike<number>): NextPrediction {
		const {scores, p, a} = this.path(context);
		return {scores, probabilities: p, seen: this.seenContexts?.has(context), attention: a};
	}

	/**
	 * The attention weights with every position as the query (the series'
	 * get_attention_weights): row i is softmax_j(Q_i·K_j / √h). The model
	 * predicts from the last row only; the others show what each position
	 * would attend to.
	 */
	attentionMatrix(context: ArrayLike<number>): Float64Array[] {
		const {n, h} = this;
		const {Q, K} = this.path(context);
		const products = new Float64Array(h);
		return Array.from({length: n}, (_, i) => {
			const row = new Float64Array(n);
			for (let j = 0; j < n; j++) {
				for (let k = 0; k < h; k++) products[k] = Q[i * h + k]! * K[j * h + k]!;
				row[j] = pythonSum(products) * this.scale;
			}
			seriesSoftmaxInPlace(row);
			return row;
		});
	}

	/**
	 * The last position's attention weights over the context alone (no
	 * output layer): a = softmax_j(Q_{n−1}·K_j / √h), as path() computes it.
	 */
	attentionWeights(context: ArrayLike<number>): Float64Array {
		const {n, d, h} = this;
		const e = new Float64Array(d);
		const K = new Float64Array(n * h);
		const q = new Float64Array(h);
		for (let t = 0; t < n; t++) {
			for (let m = 0; m < d; m++) e[m] = this.E[context[t]! * d + m]! + this.P[t * d + m]!;
			projectInto(e, 0, d, this.WK, h, K, t * h);
			if (t === n - 1) projectInto(e, 0, d, this.WQ, h, q, 0);
		}
		const a = new Float64Array(n);
		const products = new Float64Array(h);
		for (let j = 0; j < n; j++) {
			for (let k = 0; k < h; k++) products[k] = q[k]! * K[j * h + k]!;
			a[j] = pythonSum(products) * this.scale;
		}
		seriesSoftmaxInPlace(a);
		return a;
	}

	/** The contexts of the training pairs, when known: next() then says whether a context was seen. */
	seenContexts: {has(context: ArrayLike<number>): boolean} | undefined;

	/** Whether every parameter is a finite number. */
	finite(): boolean {
		for (const values of this.groups()) for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
		return true;
	}

	/** The parameter tables, in the order of the initial draws, then b. */
	groups(): Float64Array[] {
		return [this.E, this.P, this.WQ, this.WK, this.WV, this.Wout, this.b];
	}

	/** The parameters as lists of lists, for plain.ts. */
	toPlain(): AttentionParameters {
		const rows = (values: Float64Array, width: number) => Array.from({length: values.length / width}, (_, r) => Array.from(values.subarray(r * width, r * width + width)));
		return {
			E: rows(this.E, this.d),
			P: rows(this.P, this.d),
			WQ: rows(this.WQ, this.h),
			WK: rows(this.WK, this.h),
			WV: rows(this.WV, this.h),
			Wout: rows(this.Wout, this.V),
			b: Array.from(this.b),
		};
	}

	copy(): AttentionModel {
		const {E, P, WQ, WK, WV, Wout, b} = this;
		const copy = new AttentionModel(this.vocabulary, this, {E: E.slice(), P: P.slice(), WQ: WQ.slice(), WK: WK.slice(), WV: WV.slice(), Wout: Wout.slice(), b: b.slice()});
		copy.seenContexts = this.seenContexts;
		return copy;
	}
}

/** y[k] = Σ_m x[m]·W[m·h + k], added for m = 0, 1, … from 0.0 (plain.ts project). */
export function projectInto(x: ArrayLike<number>, from: number, d: number, W: Float64Array, h: number, y: Float64Array, to: number): void {
	for (let k = 0; k < h; k++) y[to + k] = 0.0;
	for (let m = 0; m < d; m++) {
		const xm = x[from + m]!;
		const row = m * h;
		for (let k = 0; k < h; k++) y[to + k] += xm * W[row + k]!;
	}
}
