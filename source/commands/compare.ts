import {checkTrainable, readCorpusFile} from '../text/corpus.js';
import {attentionRun, embeddingsRun, NO_HELD_OUT_NOTE, readComparison, readEmbeddings, readGeneralisation, trainContexts, viewOf} from '../models/compare.js';
import {heldOutOf} from '../models/held-out.js';
import {pyFixed} from '../artifacts/pyformat.js';
import {visible} from '../text/escape.js';
import {readPrompt} from '../models/prompt.js';
import {bar, jsonText, padEnd, percent} from '../cli/format.js';
import type {CommandIo} from './common.js';
import type {ContextSize} from '../models/table/model.js';
import type {AttentionFlags, EmbeddingsFlags} from '../cli/flags.js';

export interface CompareOptions {
	readonly corpus: string;
	readonly prompt: string;
	readonly epochs: number;
	readonly learningRate: number;
	readonly topK: number;
	readonly json: boolean;
	/** Held-out text: the corpus's last lines (a share), or a separate file. */
	readonly holdout?: number;
	readonly valid?: string;
	/** Shuffle each model's pairs before each epoch with this seed (--shuffle --train-seed S). */
	readonly shuffleSeed?: number;
	/** The embeddings model's settings (--dim, --init-scale, --exact-gradient) and seed (--train-seed); default the series'. */
	readonly embeddings?: EmbeddingsFlags & {readonly seed: number};
	/** The attention model's settings (the same, with --head-dim and --clip); default the series'. */
	readonly attention?: AttentionFlags & {readonly seed: number};
}

const TITLES = ['unigram (no context)', 'bigram (1 word)', 'context-2 (2 words)', 'context-3 (3 words)'];
/** The embeddings and attention models' learning rate in a comparison: the series' (the tables' 0.1 makes the embeddings model's in-place updates diverge). */
const EMBEDDINGS_LR = 0.01;

/** Train the four context sizes on the corpus and compare their next-token distributions for the prompt. */
export async function compareCommand(options: CompareOptions, io: CommandIo): Promise<number> {
	const corpus = readCorpusFile(options.corpus);
	checkTrainable(corpus, 3);
	const choice = {holdout: options.holdout, valid: options.valid === undefined ? undefined : readCorpusFile(options.valid, 'text')};
	const heldOut = heldOutOf(corpus, 3, choice);
	const trained = trainContexts(corpus, options.epochs, options.learningRate, choice, options.shuffleSeed);
	const prompt = readPrompt(corpus.vocabulary, options.prompt);
	const {tokens} = prompt;
	const views = trained.map(({model}) => viewOf(model, tokens, options.topK));
	// The embeddings and attention models beside them, at the series' settings (context 2, d 16, h 16, lr 0.01).
	const own = options.embeddings ?? {dim: 16, initScale: 0.01, exactGradient: false, seed: options.shuffleSeed ?? 0};
	const ownAttention = options.attention ?? {...own, headDim: 16, clip: 1};
	const vectorRuns = [
		embeddingsRun(corpus, {n: 2, d: own.dim, seed: own.seed, initScale: own.initScale, exactGradient: own.exactGradient}, EMBEDDINGS_LR, choice, options.shuffleSeed),
		attentionRun(corpus, {n: 2, d: ownAttention.dim, h: ownAttention.headDim, seed: ownAttention.seed, initScale: ownAttention.initScale, clip: ownAttention.clip, exactGradient: ownAttention.exactGradient}, EMBEDDINGS_LR, choice, options.shuffleSeed),
	];
	const vectors = vectorRuns.map((run) => {
		for (let e = 0; e < options.epochs; e++) run.epoch();
		return {run, kind: run.model.kind, view: viewOf(run.model, tokens, options.topK), held: run.heldOutLog.at(-1)};
	});
	const generalisation = heldOut ? readGeneralisation(trained.map((t, n) => ({n: n as ContextSize, trainLoss: t.trainLoss, heldOut: t.heldOut!}))) : NO_HELD_OUT_NOTE;
	const heldSentence =
		heldOut && vectors.every((v) => v.held)
			? ` On the held-out text the embeddings model scores ${vectors[0]!.held!.loss.toFixed(2)} nats, the attention model ${vectors[1]!.held!.loss.toFixed(2)} (context-2 ${trained[2]!.heldOut!.loss.toFixed(2)}).`
			: '';
	// Without held-out text, the note that one would tell memorising from generalising comes last.
	const reading = `${readComparison(views)} ${vectors.map((v) => readEmbeddings(v.view, views[2])).join(' ')} ${generalisation}${heldSentence}`;
	const vectorJson = ({run, kind, view, held}: (typeof vectors)[number]) => ({
		model_kind: kind,
		context_size: 2,
		embedding_dim: run.model.d,
		...(kind === 'attention' ? {head_dim: ownAttention.headDim, clip: ownAttention.clip} : {}),
		seed: run.settings.seed,
		init_scale: run.settings.initScale,
		exact_gradient: run.settings.exactGradient,
		learning_rate: EMBEDDINGS_LR,
		context: view.context,
		uniform_reason: view.reason ?? null,
		seen_in_training: view.row === null ? null : run.trainingContexts.has(view.context.map((t) => corpus.vocabulary.ids.get(t)!)),
		top: view.top.map((t) => ({token: t.token, id: t.id, probability: t.probability})),
		entropy: view.entropy,
		best: view.best,
		...(view.attention ? {attention: view.attention} : {}),
		train_loss: run.log.at(-1)!.avgLoss,
		...(held ? {held_out_loss: held.loss, held_out_perplexity: held.perplexity, held_out_accuracy: held.accuracy, coverage: held.coverage} : {}),
	});
	if (options.json) {
		io.stdout.write(
			jsonText({
				prompt: options.prompt,
				prompt_tokens: tokens,
				prompt_note: prompt.note ?? null,
				corpus: options.corpus,
				epochs: options.epochs,
				learning_rate: options.learningRate,
				models: views.map((v) => ({
					model_kind: v.kind,
					context_size: v.n,
					context: v.context,
					row: v.row,
					uniform_reason: v.reason ?? null,
					top: v.top.map((t) => ({token: t.token, id: t.id, probability: t.probability})),
					entropy: v.entropy,
					best: v.best,
					train_loss: trained[v.n]!.trainLoss,
					...(heldOut
						? {
								held_out_loss: trained[v.n]!.heldOut!.loss,
								held_out_perplexity: trained[v.n]!.heldOut!.perplexity,
								held_out_accuracy: trained[v.n]!.heldOut!.accuracy,
								coverage: trained[v.n]!.heldOut!.coverage,
							}
						: {}),
				})),
				embeddings: vectorJson(vectors[0]!),
				attention: vectorJson(vectors[1]!),
				held_out: heldOut ? heldOut.description.replace(/ \(\d+ pairs\)$/, '') : null,
				shuffle_seed: options.shuffleSeed ?? null,
				reading,
			}) + '\n',
		);
		return 0;
	}
	const {default: stringWidth} = await import('string-width');
	const lines: string[] = [`prompt    ${tokens.length ? tokens.map(visible).join(' ') : '(empty)'}`];
	if (prompt.note !== undefined) lines.push(`          ${visible(prompt.note)}`);
	lines.push(`corpus    ${visible(options.corpus)}, each model trained ${options.epochs} epochs at lr ${options.learningRate}`, '');
	views.forEach((v, n) => {
		const where = v.row !== null ? `row ${visible(v.row)}` : `no row: ${visible(v.explanation)}`;
		lines.push(`${TITLES[n]}  ·  ${where}`);
		lines.push(`  entropy ${v.entropy.toFixed(3)} bits, most likely "${visible(v.best)}" (${percent(v.bestProbability)})`);
		const shown = v.top.map((t) => visible(t.token));
		const width = Math.min(24, Math.max(8, ...shown.map((s) => stringWidth(s))));
		v.top.forEach((t, k) => lines.push(`    ${padEnd(shown[k]!, width, stringWidth(shown[k]!))}  ${percent(t.probability).padStart(7)}  ${bar(t.probability, 24)}`));
		lines.push('');
	});
	for (const {run, kind, view: v} of vectors) {
		const shape = kind === 'attention' ? `d ${run.model.d}, h ${ownAttention.headDim}` : `d ${run.model.d}`;
		lines.push(`${kind} (context 2, ${shape}, lr ${EMBEDDINGS_LR}${run.settings.exactGradient ? ', the true gradient' : ''})  ·  ${v.row === null ? `no prediction: ${visible(v.explanation)}` : "predicted from the tokens' vectors"}`);
		if (v.attention) lines.push(`  attention ${v.context.map((token, t) => `${visible(token)} ${v.attention![t]!.toFixed(4)}`).join('  ')} (where the last word looks)`);
		lines.push(`  entropy ${v.entropy.toFixed(3)} bits, most likely "${visible(v.best)}" (${percent(v.bestProbability)})`);
		const shown = v.top.map((t) => visible(t.token));
		const width = Math.min(24, Math.max(8, ...shown.map((s) => stringWidth(s))));
		v.top.forEach((t, k) => lines.push(`    ${padEnd(shown[k]!, width, stringWidth(shown[k]!))}  ${percent(t.probability).padStart(7)}  ${bar(t.probability, 24)}`));
		lines.push('');
	}
	lines.push('loss in nats after the last epoch' + (heldOut ? `; held out: ${heldOut.description.replace(/ \(\d+ pairs\)$/, '')}` : ''));
	const header = heldOut ? '  model        training   held-out (perplexity)   accuracy   coverage' : '  model        training';
	lines.push(header);
	trained.forEach((t, n) => {
		const name = ['unigram', 'bigram', 'context-2', 'context-3'][n]!.padEnd(11);
		const h = t.heldOut;
		lines.push(`  ${name}  ${pyFixed(t.trainLoss, 4).padStart(8)}` + (h ? `   ${pyFixed(h.loss, 4).padStart(8)} (${Math.exp(h.loss).toFixed(2).padStart(9)})   ${percent(h.accuracy).padStart(8)}   ${percent(h.coverage).padStart(8)}` : ''));
	});
	for (const {run, kind, held: h} of vectors) {
		lines.push(`  ${kind.padEnd(11)}  ${pyFixed(run.log.at(-1)!.avgLoss, 4).padStart(8)}` + (h ? `   ${pyFixed(h.loss, 4).padStart(8)} (${Math.exp(h.loss).toFixed(2).padStart(9)})   ${percent(h.accuracy).padStart(8)}   ${percent(h.coverage).padStart(8)}` : ''));
	}
	lines.push('');
	lines.push(visible(reading));
	io.stdout.write(lines.join('\n') + '\n');
	return 0;
}
