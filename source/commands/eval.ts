/**
 * `eval`: score a text with saved artifacts, as n-gram toolkits report it.
 * The text's pairs are the windows of training (n tokens and the next); each
 * is scored by the saved model without a step (scorePairsOf):
 *  - a context the training pairs lack (or holding a token the vocabulary
 *    lacks) has a row that never moved from zero: the uniform guess, ln V;
 *  - a target the vocabulary lacks (out of vocabulary, OOV) has no
 *    probability under the model: it is scored at p = 1e-12, the clip of
 *    every pair's loss (27.63 nats), and never predicted right; the
 *    perplexity without those pairs is given beside.
 */
import type {AnyModel} from '../models/families.js';
import {join} from 'node:path';
import {loadArtifacts} from '../artifacts/read.js';
import {unverifiedNote} from '../artifacts/series.js';
import {META_FILE} from '../artifacts/write.js';
import {OOV_LOSS, scorePairsOf} from '../models/table/evaluate.js';
import {Model} from '../models/table/model.js';
import type {EmbeddingsModel} from '../models/embeddings/model.js';
import {scoreByPrediction} from '../models/held-out.js';
import {readCorpusFile} from '../text/corpus.js';
import {visible} from '../text/escape.js';
import {plural} from '../text/plural.js';
import {UserError} from '../runtime/errors.js';
import {jsonText, percent} from '../cli/format.js';
import {pyFixed} from '../artifacts/pyformat.js';
import {trainedOn} from './infer.js';
import type {CommandIo} from './common.js';

export interface EvalOptions {
	readonly artifacts: string;
	readonly text: string;
	readonly json: boolean;
}

/** What eval measures of a text (the --json keys are these, in snake case). */
export interface Evaluation {
	readonly pairs: number;
	readonly avgLoss: number;
	readonly perplexity: number;
	readonly accuracy: number;
	/** Tokens of the text (occurrences) the vocabulary lacks. */
	readonly oov: number;
	/** Pairs whose target is one of them. */
	readonly oovTargets: number;
	/** Pairs whose context the training pairs lack (null: not known, for a model that does not keep them). */
	readonly unseenContexts: number | null;
	/** The perplexity of the pairs whose target the vocabulary holds (null when there is none). */
	readonly perplexityWithoutOov: number | null;
}

/** Score the text's token ids (-1 for a token the vocabulary lacks) with the model. */
export function evaluate(model: AnyModel, ids: Int32Array): Evaluation {
	// A table scores on its sparse rows; the embeddings model from its predictions.
	const scores = model instanceof Model ? scorePairsOf(model, ids, model.n, ids.length) : scoreByPrediction(model, ids, model.n, ids.length, model.seenContexts);
	let oov = 0;
	for (const id of ids) if (id < 0) oov++;
	const known = scores.pairs - scores.oovTargets;
	const avgLoss = scores.lossSum / scores.pairs;
	return {
		pairs: scores.pairs,
		avgLoss,
		perplexity: Math.exp(avgLoss),
		accuracy: scores.correct / scores.pairs,
		oov,
		oovTargets: scores.oovTargets,
		unseenContexts: model instanceof Model || model.seenContexts ? scores.pairs - scores.covered : null,
		perplexityWithoutOov: known > 0 ? Math.exp(scores.knownLossSum / known) : null,
	};
}

export async function evalCommand(options: EvalOptions, io: CommandIo): Promise<number> {
	const {model, meta, note} = loadArtifacts(options.artifacts);
	const unverified = unverifiedNote(meta.raw, join(options.artifacts, META_FILE));
	if (unverified !== undefined) io.stderr.write(`toy-gpt-tui: note: ${visible(unverified)}\n`);
	if (note !== undefined) io.stderr.write(`toy-gpt-tui: note: ${visible(note)}\n`);
	const text = readCorpusFile(options.text, 'text');
	// The text's tokens as the model's ids: the text's own vocabulary mapped onto the model's.
	const modelId = new Map(model.vocabulary.tokens.map((token, id) => [token, id]));
	const idOf = Int32Array.from(text.vocabulary.tokens, (token) => modelId.get(token) ?? -1);
	const ids = Int32Array.from(text.ids, (id) => idOf[id]!);
	if (ids.length <= model.n) {
		throw new UserError(`text ${visible(options.text)} has ${plural(ids.length, 'token')}; a context-${model.n} model scores windows of ${plural(model.n + 1, 'token')}, so there is no pair to score`);
	}
	const result = evaluate(model, ids);
	if (options.json) {
		io.stdout.write(
			jsonText({
				artifacts: options.artifacts,
				text: options.text,
				model_kind: model.kind,
				pairs: result.pairs,
				avg_loss: result.avgLoss,
				perplexity: result.perplexity,
				accuracy: result.accuracy,
				oov: result.oov,
				oov_targets: result.oovTargets,
				unseen_contexts: result.unseenContexts,
				perplexity_without_oov: result.perplexityWithoutOov,
				oov_rule: `a target not in the vocabulary is scored at p = 1e-12 (${pyFixed(OOV_LOSS, 4)} nats) and never right; perplexity_without_oov leaves those pairs out`,
			}) + '\n',
		);
		return 0;
	}
	const trained = trainedOn(meta);
	const V = model.V;
	const lines = [
		`model     ${visible(options.artifacts)}/: ${model.kind}, V ${V}, trained on ${visible(trained.name)}`,
		`text      ${visible(options.text)}: ${plural(ids.length, 'token')}, ${plural(result.pairs, 'pair')} scored`,
		`loss      ${pyFixed(result.avgLoss, 4)} nats a pair (perplexity ${perplexityText(result.perplexity)})`,
		`accuracy  ${percent(result.accuracy)} of pairs predicted right (the most likely token)`,
		model instanceof Model
			? `unseen    ${plural(result.unseenContexts ?? 0, 'pair')} (${percent((result.unseenContexts ?? 0) / result.pairs)}) with a context the training pairs lack: the uniform guess, ln ${V} = ${pyFixed(Math.log(V), 4)} nats`
			: `unseen    every context is predicted from the tokens' vectors, seen in training or not (one holding a token the vocabulary lacks is scored uniform)`,
		`oov       ${plural(result.oov, 'token')} not in the vocabulary, the target of ${plural(result.oovTargets, 'pair')}: scored at p = 1e-12 (${pyFixed(OOV_LOSS, 2)} nats), never right`,
		`          perplexity without those pairs: ${result.perplexityWithoutOov === null ? 'none left' : perplexityText(result.perplexityWithoutOov)}`,
	];
	io.stdout.write(lines.join('\n') + '\n');
	return 0;
}

/** A perplexity to 2 decimals, or in powers of ten when huge. */
function perplexityText(value: number): string {
	return value < 1e6 ? pyFixed(value, 2) : value.toExponential(2);
}
