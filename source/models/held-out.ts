/**
 * Held-out text: pairs the model does not train on, scored after every epoch
 * with the model as it stands then, so a learner sees memorising against
 * generalising. Either the last lines of the corpus (`--holdout F`, see
 * text/split.ts) or a separate text (`--valid FILE`). The vocabulary stays
 * the whole corpus's, as the original pipeline builds it; a valid text's
 * tokens the corpus lacks are scored by eval's rule (models/table/evaluate.ts).
 */
import type {Corpus} from '../text/corpus.js';
import {holdoutSplit} from '../text/split.js';
import {UserError} from '../runtime/errors.js';
import {plural} from '../text/plural.js';
import {visible} from '../text/escape.js';
import {OOV_LOSS, scorePairsOf, type PairScores} from './table/evaluate.js';
import {Model} from './table/model.js';
import {argmax, crossEntropy, softmax} from '../reference.js';
import type {NextTokenModel} from './next-token.js';

export type {HeldOut, HeldOutEpoch, HeldOutFacts} from './held-out-types.js';
import type {HeldOut, HeldOutEpoch} from './held-out-types.js';

export interface HeldOutChoice {
	/** The share of the corpus's lines to hold out (--holdout), 0 for none. */
	readonly holdout?: number;
	/** A separate text to score instead (--valid), already read. */
	readonly valid?: Corpus;
}

/** The held-out pairs of a run on `corpus` at context n, or undefined when none is asked for. */
export function heldOutOf(corpus: Corpus, n: number, choice: HeldOutChoice): HeldOut | undefined {
	if (choice.valid && choice.holdout) throw new UserError('--holdout and --valid are two ways to choose the held-out text: give one of them');
	if (choice.valid) return validText(corpus, n, choice.valid);
	if (!choice.holdout) return undefined;
	const split = holdoutSplit(corpus, choice.holdout, n);
	const pairs = split.tokens - split.cut - n;
	return {
		description: `the last ${plural(split.heldOutLines, 'line')} of ${split.lines} (${plural(pairs, 'pair')})`,
		ids: corpus.ids,
		from: split.cut + n,
		to: split.tokens,
		trainTokens: split.cut,
		meta: {fraction: split.fraction, lines: split.heldOutLines, first_token: split.cut, pairs},
	};
}

/** A separate text's pairs, its tokens mapped onto the corpus's vocabulary. */
function validText(corpus: Corpus, n: number, valid: Corpus): HeldOut {
	const id = new Map(corpus.vocabulary.tokens.map((token, k) => [token, k]));
	const idOf = Int32Array.from(valid.vocabulary.tokens, (token) => id.get(token) ?? -1);
	const ids = Int32Array.from(valid.ids, (k) => idOf[k]!);
	const pairs = ids.length - n;
	if (pairs < 1) {
		throw new UserError(`--valid ${visible(valid.path)} has ${plural(ids.length, 'token')}; a context of ${n} needs at least ${plural(n + 1, 'token')} for one held-out pair`);
	}
	let oov = 0;
	for (const k of ids) if (k < 0) oov++;
	return {
		description: `${visible(valid.path)} (${plural(pairs, 'pair')}${oov > 0 ? `, ${plural(oov, 'token')} not in the vocabulary, each scored at p = 1e-12` : ''})`,
		ids,
		from: n,
		to: ids.length,
		trainTokens: corpus.ids.length,
		meta: {file: valid.path.split('\\').join('/'), sha256: valid.sha256, pairs, oov},
	};
}

/**
 * Score the held-out pairs with the model as it stands (after epoch
 * `epoch`). A table scores them on its sparse rows (table/evaluate.ts);
 * another model from its predictions, with `seen` saying which contexts the
 * training pairs hold (for the coverage).
 */
export function scoreHeldOut(model: NextTokenModel, heldOut: HeldOut, epoch: number, seen?: ContextSet): HeldOutEpoch {
	const scores = model instanceof Model ? scorePairsOf(model, heldOut.ids, heldOut.from, heldOut.to) : scoreByPrediction(model, heldOut.ids, heldOut.from, heldOut.to, seen);
	const loss = scores.lossSum / scores.pairs;
	return {epoch, loss, perplexity: Math.exp(loss), accuracy: scores.correct / scores.pairs, coverage: scores.covered / scores.pairs};
}

/** The contexts of a run's training pairs, to tell a held-out context the model saw from one it did not. */
export class ContextSet {
	private keys: Set<string> | undefined;
	private readonly ids: ArrayLike<number>;
	readonly n: number;

	/** The contexts of every pair of `ids` at context n (gathered at the first question). */
	constructor(ids: ArrayLike<number>, n: number) {
		this.ids = ids;
		this.n = n;
	}

	private gather(): Set<string> {
		const keys = new Set<string>();
		for (let t = this.n; t < this.ids.length; t++) keys.add(ContextSet.key(this.ids, t - this.n, this.n));
		return keys;
	}

	private static key(ids: ArrayLike<number>, from: number, n: number): string {
		let key = '';
		for (let k = 0; k < n; k++) key += `${ids[from + k]},`;
		return key;
	}

	has(context: ArrayLike<number>): boolean {
		this.keys ??= this.gather();
		return this.keys.has(ContextSet.key(context, 0, context.length));
	}
}

/**
 * Score pairs from the model's next-token probabilities: what
 * table/evaluate.ts computes for a table, for any model. A context holding a
 * token the vocabulary lacks has no vectors to read: it is scored uniform,
 * as a table scores a context it never saw.
 */
export function scoreByPrediction(model: NextTokenModel, ids: ArrayLike<number>, from: number, to: number, seen?: Pick<ContextSet, 'has'>): PairScores {
	const {n, V} = model;
	const uniform = softmax(new Float64Array(V));
	const context = new Int32Array(n);
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
		if (known && seen?.has(context)) covered++;
		const target = ids[t]!;
		if (target < 0) {
			oovTargets++;
			lossSum += OOV_LOSS;
			continue;
		}
		const p = known ? model.next(context).probabilities : uniform;
		const loss = crossEntropy(p, target);
		lossSum += loss;
		knownLossSum += loss;
		if (argmax(p) === target) correct++;
	}
	return {pairs: to - from, lossSum, knownLossSum, oovTargets, correct, covered};
}
