import {checkTrainable, readCorpusFile} from '../text/corpus.js';
import {readComparison, trainContexts, viewOf} from '../models/compare.js';
import {visible} from '../text/escape.js';
import {readPrompt} from '../models/prompt.js';
import {bar, jsonText, padEnd, percent} from '../cli/format.js';
import type {CommandIo} from './common.js';

export interface CompareOptions {
	readonly corpus: string;
	readonly prompt: string;
	readonly epochs: number;
	readonly learningRate: number;
	readonly topK: number;
	readonly json: boolean;
}

const TITLES = ['unigram (no context)', 'bigram (1 word)', 'context-2 (2 words)', 'context-3 (3 words)'];

/** Train the four context sizes on the corpus and compare their next-token distributions for the prompt. */
export async function compareCommand(options: CompareOptions, io: CommandIo): Promise<number> {
	const corpus = readCorpusFile(options.corpus);
	checkTrainable(corpus, 3);
	const models = trainContexts(corpus, options.epochs, options.learningRate);
	const prompt = readPrompt(corpus.vocabulary, options.prompt);
	const {tokens} = prompt;
	const views = models.map((model) => viewOf(model, tokens, options.topK));
	const reading = readComparison(views);
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
				})),
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
	lines.push(visible(reading));
	io.stdout.write(lines.join('\n') + '\n');
	return 0;
}
