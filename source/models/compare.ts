/**
 * Does seeing more words help? The same prompt through four models trained
 * on one corpus (contexts of 0, 1, 2 and 3 tokens), and a plain sentence
 * reading what their distributions say.
 */
import type {AnyModel} from './families.js';
import type {Corpus} from '../text/corpus.js';
import {MODEL_KINDS, type ContextSize, type Model, type ModelKind} from './table/model.js';
import {TrainingRun} from './table/run.js';
import {EmbeddingsRun, type EmbeddingsSettings} from './embeddings/run.js';
import {AttentionRun, type AttentionSettings} from './attention/run.js';
import type {EmbeddingsModel} from './embeddings/model.js';
import {entropyBits, explainUniform, predict, rankTokens, type UniformReason} from './sample.js';
import {heldOutOf, type HeldOutChoice, type HeldOutEpoch} from './held-out.js';

export interface ContextView {
	readonly n: ContextSize;
	/** The series' model_kind: unigram … context3, embeddings or attention. */
	readonly kind: ModelKind | 'embeddings' | 'attention';
	/** The attention model's weights over the context (where the last position looks). */
	readonly attention?: readonly number[];
	/** The prompt's last n tokens. */
	readonly context: readonly string[];
	/** The row used, or null when there is none (the distribution is uniform). */
	readonly row: string | null;
	readonly reason?: UniformReason;
	/** Why there is no row, in words (empty when there is one). */
	readonly explanation: string;
	readonly top: ReadonlyArray<{readonly id: number; readonly token: string; readonly probability: number}>;
	/** Entropy of the whole distribution, in bits. */
	readonly entropy: number;
	readonly best: string;
	readonly bestProbability: number;
	readonly vocabSize: number;
	/** How many tokens of the whole vocabulary share the last listed token's probability (ties). */
	readonly tiedWithLast: number;
}

export function viewOf(model: AnyModel, tokens: readonly string[], topK: number): ContextView {
	const prediction = predict(model, tokens);
	const ranked = rankTokens(prediction.probabilities, Math.max(1, topK));
	const top = ranked.map((id) => ({id, token: model.vocabulary.tokens[id]!, probability: prediction.probabilities[id]!}));
	return {
		n: model.n as ContextSize,
		kind: model.kind,
		context: prediction.context,
		row: prediction.row,
		reason: prediction.reason,
		explanation: explainUniform(model, prediction),
		top,
		entropy: entropyBits(prediction.probabilities),
		best: top[0]!.token,
		bestProbability: top[0]!.probability,
		vocabSize: model.V,
		tiedWithLast: countEqual(prediction.probabilities, top[top.length - 1]!.probability),
		...(prediction.attention ? {attention: Array.from(prediction.attention)} : {}),
	};
}

function countEqual(values: ArrayLike<number>, value: number): number {
	let count = 0;
	for (let i = 0; i < values.length; i++) if (values[i] === value) count++;
	return count;
}

/** One of the four trained models, with its last epoch's figures. */
export interface TrainedContext {
	readonly model: Model;
	readonly trainLoss: number;
	/** On the held-out text, when there is one. */
	readonly heldOut?: HeldOutEpoch;
}

/**
 * A training run of context size n on the corpus, set up as `train` sets it
 * up: with a held-out part, on the tokens before it, scored on it after each
 * epoch; with a shuffle seed, the pairs in random.shuffle order.
 */
export function contextRun(corpus: Corpus, n: ContextSize, learningRate: number, choice: HeldOutChoice = {}, shuffleSeed?: number): TrainingRun {
	const heldOut = heldOutOf(corpus, n, choice);
	const run = new TrainingRun(corpus.vocabulary, heldOut ? corpus.ids.subarray(0, heldOut.trainTokens) : corpus.ids, n, learningRate);
	run.holdOut(heldOut);
	if (shuffleSeed !== undefined) run.shuffle(shuffleSeed);
	return run;
}

/**
 * The embeddings model of a comparison, set up as `train --model embeddings`
 * sets it up (held-out part and order of the pairs as the tables have them).
 */
export function embeddingsRun(corpus: Corpus, settings: EmbeddingsSettings, learningRate: number, choice: HeldOutChoice = {}, shuffleSeed?: number): EmbeddingsRun {
	return vectorRun(corpus, settings.n, (ids) => new EmbeddingsRun(corpus.vocabulary, ids, settings, learningRate), choice, shuffleSeed);
}

/** The attention model of a comparison, set up as `train --model attention` sets it up. */
export function attentionRun(corpus: Corpus, settings: AttentionSettings, learningRate: number, choice: HeldOutChoice = {}, shuffleSeed?: number): AttentionRun {
	return vectorRun(corpus, settings.n, (ids) => new AttentionRun(corpus.vocabulary, ids, settings, learningRate), choice, shuffleSeed);
}

function vectorRun<R extends EmbeddingsRun | AttentionRun>(corpus: Corpus, n: number, make: (ids: Int32Array) => R, choice: HeldOutChoice, shuffleSeed: number | undefined): R {
	const heldOut = heldOutOf(corpus, n, choice);
	const run = make(heldOut ? corpus.ids.subarray(0, heldOut.trainTokens) : corpus.ids);
	run.holdOut(heldOut);
	if (shuffleSeed !== undefined) run.shuffle(shuffleSeed);
	return run;
}

/**
 * One sentence on the embeddings model beside the table of the same
 * context: what it says where the table has no row (a context never seen),
 * or whether the two agree.
 */
export function readEmbeddings(embeddings: ContextView, table: ContextView | undefined): string {
	const says = `"${embeddings.best}" (${(embeddings.bestProbability * 100).toFixed(0)}%)`;
	const family = `the ${embeddings.kind === 'attention' ? 'attention' : 'embeddings'} model`;
	// Where the attention model looks, when it prefers a position.
	const looks = embeddings.attention && Math.max(...embeddings.attention) - Math.min(...embeddings.attention) >= 0.01 ? `, looking most at "${embeddings.context[embeddings.attention.indexOf(Math.max(...embeddings.attention))]}"` : '';
	if (embeddings.row === null) return `${capitalize(family)} has nothing to read either (${embeddings.explanation}).`;
	const name = NAMES[embeddings.n] ?? `a context-${embeddings.n} table`;
	if (!table || table.row === null) {
		return table?.reason === 'unseen-context'
			? `${capitalize(name)} has no row for "${embeddings.context.join(' ')}", but ${family}, reading the same ${embeddings.n} tokens through their vectors${looks}, says ${says}.`
			: `${capitalize(family)}, reading the last ${embeddings.n} tokens through their vectors${looks}, says ${says}.`;
	}
	if (table.best === embeddings.best) return `${capitalize(family)} agrees with ${name} on "${embeddings.best}" (${(embeddings.bestProbability * 100).toFixed(0)}% against ${(table.bestProbability * 100).toFixed(0)}%)${looks}.`;
	return `${capitalize(family)} says ${says}${looks}${looks ? "," : ""} where ${name} says "${table.best}" (${(table.bestProbability * 100).toFixed(0)}%).`;
}

/** Train the four models (n = 0..3) on a corpus, one after the other. */
export function trainContexts(corpus: Corpus, epochs: number, learningRate: number, choice: HeldOutChoice = {}, shuffleSeed?: number): TrainedContext[] {
	return MODEL_KINDS.map((_, n) => {
		const run = contextRun(corpus, n as ContextSize, learningRate, choice, shuffleSeed);
		for (let e = 0; e < epochs; e++) run.epoch();
		return {model: run.model, trainLoss: run.log.at(-1)!.avgLoss, heldOut: run.heldOutLog.at(-1)};
	});
}

export const NAMES = ['the unigram', 'the bigram', 'context-2', 'context-3'];
const CERTAIN = 0.1; // bits: below this a model is as good as sure
const SAME = 0.05; // bits: entropies closer than this are the same

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function bits(h: number): string {
	return `${h.toFixed(h < 10 ? 2 : 1)} bits`;
}

/** The model picks a token rather than spreading evenly over all of them (a tie of every token picks the lowest id, which says nothing). */
function picks(v: ContextView): boolean {
	return v.entropy < Math.log2(v.vocabSize) - SAME;
}

/** "from "the" (the unigram) to "dry" (context-2) to "green" (context-3)": the most likely token each time it changes. */
function answerChain(known: readonly ContextView[]): string | undefined {
	const chain: ContextView[] = [];
	for (const v of known) {
		const last = chain[chain.length - 1];
		if (!last || (v.best !== last.best && picks(v))) chain.push(v);
	}
	if (chain.length < 2) return undefined;
	return 'from ' + chain.map((v) => `"${v.best}" (${NAMES[v.n]})`).join(' to ');
}

/** What the reader should know about whether each model's training had settled; see models/convergence.ts. */
export interface Settling {
	/** Still training: the loss fell by this share (0.05 = 5%) over the last `over` epochs. */
	readonly falling?: {readonly drop: number; readonly over: number};
	/** Whether it settled is not known (no training log, or one epoch). */
	readonly unknown?: string;
}

/**
 * One or two sentences reading a comparison: where more context starts to
 * help and where it stops, from the entropies and top tokens only. A longer
 * context that picks a different token is never called unhelpful: it has seen
 * more of the prompt, and its answer is the corpus's after that context. A
 * model still training (`settling`, from models/convergence.ts) gets no
 * conclusion: the reading says so and lists what the models show so far.
 */
export function readComparison(views: readonly ContextView[], settling: (n: ContextSize) => Settling = () => ({})): string {
	const known = views.filter((v) => v.row !== null);
	if (known.length === 0) return 'No model has seen this context, so every one guesses uniformly: more words cannot help until the prompt matches the corpus.';
	const missing = views.filter((v) => v.row === null && v.n > 0);
	const tail = missing.length
		? ` ${missing.map((v, i) => (i === 0 ? capitalize(NAMES[v.n]!) : NAMES[v.n])).join(' and ')} ${missing.length === 1 ? 'has' : 'have'} no row for it (${missing[0]!.reason === 'too-short' ? 'the prompt is too short' : missing[0]!.reason === 'unknown-token' ? 'a word is not in the vocabulary' : 'that context never occurs in the corpus'}), so ${missing.length === 1 ? 'it guesses' : 'they guess'} uniformly.`
		: '';
	const unknown = views.map((v) => ({v, s: settling(v.n)})).filter(({s}) => s.unknown);
	const unknownNote = unknown.length ? ` (${unknown.map(({v, s}) => `${NAMES[v.n]}: ${s.unknown}`).join('; ')}.)` : '';

	const falling = views.map((v) => ({v, s: settling(v.n)})).filter(({s}) => s.falling);
	if (falling.length > 0) {
		const over = falling[0]!.s.falling!.over;
		const drops = falling.map(({v, s}, i) => `${NAMES[v.n]}'s${i === 0 ? ' loss' : ''} fell ${(s.falling!.drop * 100).toFixed(1)}%`);
		const which = `${drops.length > 1 ? `${drops.slice(0, -1).join(', ')} and ${drops.at(-1)}` : drops[0]} over ${falling.length === 1 ? 'its' : 'their'} last ${over} epoch${over === 1 ? '' : 's'}`;
		return `Still training, no conclusion yet: ${which}, so more epochs (--epochs) would still change ${falling.length === 1 ? 'its' : 'their'} distribution${falling.length === 1 ? '' : 's'}.${tail}${unknownNote}`;
	}
	return readSettled(known, tail) + unknownNote;
}

function readSettled(known: readonly ContextView[], tail: string): string {
	const entropies = known.map((v) => v.entropy);
	const spread = Math.max(...entropies) - Math.min(...entropies);
	const chain = answerChain(known);
	if (spread < SAME) {
		if (chain) return `Every model is equally ${known[0]!.entropy < CERTAIN ? 'sure' : 'unsure'} (${bits(known[0]!.entropy)}), but more context changes the answer: the most likely token moves ${chain}.${tail}`;
		const sameBest = known.every((v) => v.best === known[0]!.best);
		return `More context does not help here: ${known.length === 1 ? 'the one model with a row is' : 'every model is'} equally ${known[0]!.entropy < CERTAIN ? 'sure' : 'unsure'} (${bits(known[0]!.entropy)})${known.length > 1 ? (sameBest ? ` and they agree on "${known[0]!.best}"` : ', though their top tokens differ') : ''}.${tail}`;
	}

	// Certain from some context size on, and not before.
	const certainFrom = known.find((v) => v.entropy < CERTAIN && known.filter((w) => w.n > v.n).every((w) => w.entropy < CERTAIN));
	if (certainFrom && certainFrom.n > 0 && known.some((v) => v.n < certainFrom.n && v.entropy >= CERTAIN)) {
		const from = certainFrom.n === 3 ? 'context-3 is' : `${certainFrom.n === 1 ? 'the bigram' : 'context-2'} and up are`;
		return `Only ${from} certain: ${certainFrom.n} word${certainFrom.n === 1 ? '' : 's'} of context pin the next token to "${certainFrom.best}", where ${NAMES[known[0]!.n]} spreads over ${bits(known[0]!.entropy)}.${tail}`;
	}

	// Where entropy stops falling.
	const lowest = known.reduce((a, b) => (b.entropy < a.entropy - SAME ? b : a));
	const first = known[0]!;
	if (lowest === first) {
		const others = known.slice(1).map((v) => `${NAMES[v.n]}, ${bits(v.entropy)}`).join('; ');
		if (chain) return `More context changes the answer here, though no longer context is surer than ${NAMES[first.n]} (${bits(first.entropy)}; ${others}): the most likely token moves ${chain}.${tail}`;
		return `More context does not help here: ${NAMES[first.n]} is the least unsure (${bits(first.entropy)}), and the longer contexts are no surer (${others}: each of their rows has seen fewer examples).${tail}`;
	}
	let sentence = `More context helps here: entropy falls from ${bits(first.entropy)} (${NAMES[first.n]}) to ${bits(lowest.entropy)} (${NAMES[lowest.n]})`;
	const beyond = known.filter((v) => v.n > lowest.n);
	// A longer context with another answer is not "no help": it is reported by the chain of answers below.
	const agree = beyond.every((v) => v.best === lowest.best || !picks(v));
	if (beyond.length && agree && beyond.every((v) => Math.abs(v.entropy - lowest.entropy) < SAME)) {
		sentence += `; ${beyond.length === 1 ? `the extra word of ${NAMES[beyond[0]!.n]} changes` : 'more words change'} nothing`;
	} else if (beyond.length && agree && beyond.every((v) => v.entropy >= lowest.entropy - SAME)) {
		const list = beyond.map((v) => `${NAMES[v.n]}, ${bits(v.entropy)}`).join('; ');
		sentence += `; ${beyond.length === 1 ? `the extra word of ${NAMES[beyond[0]!.n]} does` : 'more words do'} not help (${list}: each of ${beyond.length === 1 ? 'its' : 'their'} rows has seen fewer examples)`;
	} else if (beyond.length) {
		sentence += `; ${beyond.map((v) => `${NAMES[v.n]} is at ${bits(v.entropy)}`).join(', ')}`;
	}
	if (chain) sentence += `, and the most likely token moves ${chain}`;
	return `${sentence}.${tail}`;
}

/** One context size's figures on the training text and on the held-out text. */
export interface Generalisation {
	readonly n: ContextSize;
	/** The last epoch's average training loss (nats), when known. */
	readonly trainLoss?: number;
	readonly heldOut: HeldOutEpoch;
}

const nats = (x: number) => x.toFixed(2);

/**
 * The reading of the held-out figures: which context size generalises best
 * (the lowest held-out loss), and which longer ones memorise (a lower
 * training loss than it, a higher held-out loss): "context-3 memorises:
 * training loss 0.21, held-out 4.10 nats, 38% of held-out contexts never
 * seen; the bigram generalises best here (held-out 2.95 nats, perplexity
 * 19.1)".
 */
export function readGeneralisation(rows: readonly Generalisation[]): string {
	if (rows.length === 0) return '';
	const best = rows.reduce((a, b) => (b.heldOut.loss < a.heldOut.loss ? b : a));
	const bestText = `${NAMES[best.n]} generalises best here (held-out ${nats(best.heldOut.loss)} nats, perplexity ${Math.exp(best.heldOut.loss).toFixed(1)})`;
	const memorisers = rows
		.filter((r) => r.n > best.n && r.heldOut.loss > best.heldOut.loss && r.trainLoss !== undefined && best.trainLoss !== undefined && r.trainLoss < best.trainLoss)
		.sort((a, b) => b.heldOut.loss - b.trainLoss! - (a.heldOut.loss - a.trainLoss!));
	if (memorisers.length > 0) {
		const m = memorisers[0]!;
		const others = memorisers.length > 1 ? ` (${memorisers.slice(1).map((r) => NAMES[r.n]).join(' and ')} too)` : '';
		return `${capitalize(NAMES[m.n]!)} memorises${others}: training loss ${nats(m.trainLoss!)}, held-out ${nats(m.heldOut.loss)} nats, ${((1 - m.heldOut.coverage) * 100).toFixed(0)}% of held-out contexts never seen; ${bestText}.`;
	}
	const longest = Math.max(...rows.map((r) => r.n));
	if (best.n === longest) return `${capitalize(bestText)}: the longest context still does best on text it did not train on.`;
	return `${capitalize(bestText)}; longer contexts do no better on text they did not train on.`;
}

/** Said when nothing is held out. */
export const NO_HELD_OUT_NOTE = 'Trained and read on the whole text: a held-out part (--holdout 0.1) would tell memorising from generalising.';
