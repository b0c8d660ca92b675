/**
 * Using the model: the next-token distribution for the last n tokens of a
 * prompt, and decoding (greedy, or sampling with temperature, top-k and top-p
 * from a seeded generator, so the same seed gives the same text everywhere).
 */
import {contextLabel, softmax} from './table/model.js';
import type {NextTokenModel} from './next-token.js';
import {argmax} from '../reference.js';

export type UniformReason = 'too-short' | 'unknown-token' | 'unseen-context';

export interface Prediction {
	/** The last n tokens of the prompt: the context looked up. */
	readonly context: string[];
	/** Stored row of that context, or -1 when it has none. */
	readonly slot: number;
	/** Label of the row used, or null when none is (the distribution is then uniform). */
	readonly row: string | null;
	/** Why the distribution is uniform, when it is for want of a row. */
	readonly reason?: UniformReason;
	/** The prompt's tokens that are not in the vocabulary (for the unknown-token reason). */
	readonly unknown?: string[];
	/**
	 * A model that predicts from the tokens' vectors (not from a row of its
	 * own) answers every context; `seen` then says whether the training
	 * pairs hold this one (undefined when that is not known).
	 */
	readonly fromVectors?: {readonly seen: boolean | undefined};
	/** An attention model's weights: how much the last position attends to each context position. */
	readonly attention?: Float64Array;
	readonly scores: Float64Array;
	readonly probabilities: Float64Array;
}

export function predict(model: NextTokenModel, tokens: readonly string[]): Prediction {
	const {n} = model;
	const context = n === 0 ? [] : tokens.slice(Math.max(0, tokens.length - n));
	const uniform = (reason: UniformReason, unknown?: string[]): Prediction => {
		const scores = new Float64Array(model.V);
		return {context, slot: -1, row: null, reason, unknown, scores, probabilities: softmax(scores)};
	};
	if (context.length < n) return uniform('too-short');
	const ids: number[] = [];
	const unknown: string[] = [];
	for (const token of context) {
		const id = model.vocabulary.ids.get(token);
		if (id === undefined) unknown.push(token);
		else ids.push(id);
	}
	if (unknown.length > 0) return uniform('unknown-token', unknown);
	const next = model.next(ids);
	if (model.family !== 'table') {
		return {context, slot: -1, row: contextLabel(context), scores: next.scores, probabilities: next.probabilities, fromVectors: {seen: next.seen}, ...(next.attention ? {attention: next.attention} : {})};
	}
	if (!next.seen) return uniform('unseen-context');
	return {context, slot: next.slot ?? -1, row: contextLabel(context), scores: next.scores, probabilities: next.probabilities};
}

/** A plain sentence saying why a prediction is uniform (empty when it is not for want of a row). */
export function explainUniform(model: Pick<NextTokenModel, 'n'>, prediction: Prediction): string {
	const n = model.n;
	switch (prediction.reason) {
		case 'too-short':
			return `the prompt has ${prediction.context.length} token${prediction.context.length === 1 ? '' : 's'}; this model reads the previous ${n}, so every next token is equally likely`;
		case 'unknown-token':
			return `${prediction.unknown!.map((t) => `"${t}"`).join(', ')} ${prediction.unknown!.length === 1 ? 'is' : 'are'} not in the vocabulary, so every next token is equally likely`;
		case 'unseen-context':
			return `the context "${prediction.context.join('|')}" never occurs in the training corpus, so its row is all zeros and every next token is equally likely`;
		default:
			return prediction.fromVectors?.seen === false ? "never seen in training: predicted from the tokens' vectors" : '';
	}
}

/** Entropy of a distribution in bits. */
export function entropyBits(probabilities: ArrayLike<number>): number {
	let h = 0;
	for (let j = 0; j < probabilities.length; j++) {
		const p = probabilities[j]!;
		if (p > 0) h -= p * Math.log2(p);
	}
	return h;
}

/** Token ids ordered by probability, highest first, ties to the lowest id. */
export function rankTokens(probabilities: ArrayLike<number>, limit = probabilities.length): number[] {
	const V = probabilities.length;
	const k = Math.max(0, Math.min(limit, V));
	if (k <= 64 && k < V) {
		// A few of many (a prompt's candidates over a large vocabulary): one pass
		// keeping the best k in order, instead of sorting all V.
		const best: number[] = [];
		for (let j = 0; j < V; j++) {
			const p = probabilities[j]!;
			if (best.length === k && !(p > probabilities[best[k - 1]!]!)) continue;
			let at = best.length === k ? k - 1 : best.length;
			// Ids arrive ascending, so an equal probability stays after the earlier id.
			while (at > 0 && p > probabilities[best[at - 1]!]!) at--;
			if (best.length === k) best.pop();
			best.splice(at, 0, j);
		}
		return best;
	}
	const ids = Array.from({length: V}, (_, j) => j);
	ids.sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
	return ids.slice(0, k);
}

/** The most likely token, ties to the lowest id: the reference's argmax. */
export {argmax};

export interface DecodeOptions {
	/** 'greedy' always takes the most likely token; 'sample' draws one. */
	readonly mode: 'greedy' | 'sample';
	/** Scores are divided by it before the softmax; 1 leaves the distribution as it is. */
	readonly temperature: number;
	/** Keep only the k most likely tokens (0: all). */
	readonly topK: number;
	/** Keep the fewest most likely tokens whose probabilities add up to at least p (1: all). */
	readonly topP: number;
}

export const GREEDY: DecodeOptions = {mode: 'greedy', temperature: 1, topK: 0, topP: 1};

/**
 * softmax(scores / T): a temperature below 1 sharpens the distribution, above 1 flattens it.
 *
 * When scores / T overflows (a temperature near the smallest the flag accepts,
 * about 1e-308, or weights near 1e306), the plain division gives ±Infinity
 * and the softmax NaN. The same distribution is then computed as
 * softmaxOfShifted: softmax((scores − max scores) / T), which cannot overflow.
 */
export function softmaxWithTemperature(scores: ArrayLike<number>, temperature: number): Float64Array {
	const scaled = Array.from(scores, (s) => s / temperature);
	if (scaled.every(Number.isFinite)) return softmax(scaled);
	return softmaxOfShifted(scores, temperature);
}

/**
 * softmax(scores / T) computed as softmax((scores − max scores) / T): the same
 * function (a softmax does not change when every score moves by the same
 * amount), in an order that cannot overflow. Each shifted score is at most
 * 0, and the largest is exactly 0, so the softmax never takes Infinity −
 * Infinity; a difference too large for a double (a row whose max minus min
 * overflows, or a T far below 1) becomes −Infinity, whose exp is 0: its
 * token gets no mass, which is the limit the equation tends to.
 *
 * As T goes to 0 this is greedy's distribution, all the mass on the largest
 * score, except that tokens tied at the largest score share it equally
 * (softmax(scores / T) does that at every T: at 1e-300 as at 1e-310).
 * Where scores / T does not overflow and the divisions are exact (T a power
 * of 2), it equals softmax(scores / T) bit for bit (test/models/sample.test.ts).
 */
export function softmaxOfShifted(scores: ArrayLike<number>, temperature: number): Float64Array {
	let max = -Infinity;
	for (let j = 0; j < scores.length; j++) if (scores[j]! > max) max = scores[j]!;
	return softmax(Array.from(scores, (s) => (s - max) / temperature));
}

/** Top-k: the k most likely of `ranked` (ids, most likely first); 0 keeps them all. */
export function topK(ranked: readonly number[], k: number): number[] {
	return k > 0 ? ranked.slice(0, k) : [...ranked];
}

/**
 * Top-p (the nucleus): the fewest of `ranked` (most likely first) whose
 * probabilities add up to at least p of theirs; 1 keeps them all.
 */
export function topP(ranked: readonly number[], p: number, probabilities: ArrayLike<number>): number[] {
	if (p >= 1) return [...ranked];
	let total = 0;
	for (const id of ranked) total += probabilities[id]!;
	let cumulative = 0;
	let keep = 0;
	while (keep < ranked.length) {
		cumulative += probabilities[ranked[keep]!]!;
		keep++;
		if (cumulative >= p * total) break;
	}
	return ranked.slice(0, keep);
}

/**
 * The distribution sampling draws from: softmax(scores / temperature), cut to
 * the top k and then to the top-p nucleus, renormalized (divided by what the
 * kept tokens hold, so it adds up to 1). Returned as the kept token ids (most
 * likely first) and their probabilities.
 */
export function samplingDistribution(scores: ArrayLike<number>, options: DecodeOptions): {ids: number[]; probabilities: number[]} {
	const p = softmaxWithTemperature(scores, options.temperature);
	const ids = topP(topK(rankTokens(p), options.topK), options.topP, p);
	let kept = 0;
	for (const id of ids) kept += p[id]!;
	return {ids, probabilities: ids.map((id) => p[id]! / kept)};
}

/** Choose the next token from a row's scores. */
export function chooseToken(scores: ArrayLike<number>, options: DecodeOptions, random: () => number): number {
	if (options.mode === 'greedy' || options.temperature === 0) return argmax(softmax(scores));
	const {ids, probabilities} = samplingDistribution(scores, options);
	const u = random();
	let cumulative = 0;
	for (let k = 0; k < ids.length; k++) {
		cumulative += probabilities[k]!;
		if (u < cumulative) return ids[k]!;
	}
	return ids[ids.length - 1]!;
}

/** Continue `prompt` by `count` tokens, each predicted from the last n tokens so far. */
export function generate(
	model: NextTokenModel,
	prompt: readonly string[],
	count: number,
	options: DecodeOptions,
	random: () => number,
): string[] {
	const tokens = [...prompt];
	const generated: string[] = [];
	for (let i = 0; i < count; i++) {
		const {scores} = predict(model, tokens);
		const token = model.vocabulary.tokens[chooseToken(scores, options, random)]!;
		tokens.push(token);
		generated.push(token);
	}
	return generated;
}

/**
 * A seeded pseudo-random generator (sfc32): only 32-bit integer arithmetic, so
 * a seed gives the same numbers on every machine. The seed's low and high 32
 * bits are the first two words of the state, so different seeds (up to 2^53)
 * start from different states. Returns doubles in [0, 1) with 53 random bits.
 */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	let b = Math.floor(seed / 2 ** 32) >>> 0;
	let c = 0x9e3779b9 | 0;
	let d = 1;
	const next = () => {
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return t >>> 0;
	};
	// Mix the seed through the state before the first number is used.
	for (let i = 0; i < 15; i++) next();
	return () => ((next() >>> 5) * 2 ** 26 + (next() >>> 6)) / 2 ** 53;
}

/** A continuation that stops where the model knows nothing (see generateWhileKnown). */
export interface Continuation {
	readonly tokens: string[];
	/** The prediction with no row where generation stopped, if it did. */
	readonly stoppedAt?: Prediction;
}

/**
 * Like generate, but stops before a token the model would choose from no row
 * at all (an unknown word, an unseen context, a prompt shorter than n): there
 * every token is equally likely, and greedy decoding would only repeat the
 * lowest id forever.
 */
export function generateWhileKnown(
	model: NextTokenModel,
	prompt: readonly string[],
	count: number,
	options: DecodeOptions,
	random: () => number,
): Continuation {
	const tokens = [...prompt];
	const generated: string[] = [];
	for (let i = 0; i < count; i++) {
		const prediction = predict(model, tokens);
		if (prediction.row === null) return {tokens: generated, stoppedAt: prediction};
		const token = model.vocabulary.tokens[chooseToken(prediction.scores, options, random)]!;
		tokens.push(token);
		generated.push(token);
	}
	return {tokens: generated};
}
