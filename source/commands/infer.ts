import type {AnyModel} from '../models/families.js';
import {visible} from '../text/escape.js';
import {loadArtifacts} from '../artifacts/read.js';
import {
	entropyBits,
	explainUniform,
	generate,
	predict,
	rankTokens,
	seededRandom,
	type DecodeOptions,
} from '../models/sample.js';
import {readPrompt} from '../models/prompt.js';
import {corpusPathOfMeta, unverifiedNote} from '../artifacts/series.js';
import {META_FILE} from '../artifacts/write.js';
import {join} from 'node:path';
import {bar, jsonText, padEnd, percent} from '../cli/format.js';
import type {CommandIo} from './common.js';
import {readCorpusFile, type Corpus} from '../text/corpus.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import type {Model} from '../models/table/model.js';
import {ContextSet} from '../models/held-out.js';
import {plural} from '../text/plural.js';
import {UserError} from '../runtime/errors.js';
import type {LoadedMeta} from '../artifacts/read.js';

/** What a meta file says of the corpus its model was trained on. */
export function trainedOn(meta: LoadedMeta): {name: string; sha256?: string; lines?: number; tokens?: number} {
	const corpus = (meta.raw['corpus'] ?? {}) as Record<string, unknown>;
	const text = (key: string) => (typeof corpus[key] === 'string' ? (corpus[key] as string) : undefined);
	const count = (value: unknown) => (typeof value === 'number' ? value : undefined);
	return {
		name: meta.corpusPath ?? (text('path') === undefined ? undefined : corpusPathOfMeta(text('path')!)) ?? text('filename') ?? 'a corpus the meta file does not name',
		sha256: text('sha256'),
		lines: count(corpus['num_lines']),
		tokens: count(meta.raw['num_tokens']),
	};
}

/** Refuse a model of another corpus than `path` (by the sha256 its meta file records). */
function checkCorpus(meta: LoadedMeta, artifacts: string, path: string, io: CommandIo): Corpus | undefined {
	const corpus = readCorpusFile(path);
	const trained = trainedOn(meta);
	if (trained.sha256 === undefined) {
		io.stderr.write(`toy-gpt-tui: note: ${visible(artifacts)}/00_meta.json records no sha256 of its corpus, so it could not be checked against ${visible(path)}\n`);
		return undefined;
	}
	if (trained.sha256 !== corpus.sha256) {
		throw new UserError(
			`the model in ${visible(artifacts)}/ was trained on ${visible(trained.name)}, not on ${visible(path)} (their sha256 differ); train one with: toy-gpt-tui train --corpus ${visible(path)} --artifacts DIR`,
		);
	}
	return corpus;
}

/**
 * The corpus's training contexts, for a model that predicts every context
 * from its vectors: then a prediction can say whether its context was seen.
 * With the corpus's last lines held out, the model trained on the tokens
 * before held_out.first_token.
 */
export function knowTrainingContexts(model: AnyModel, meta: LoadedMeta, corpus: Corpus): void {
	if (!(model instanceof EmbeddingsModel)) return;
	const heldOut = meta.raw['held_out'] as {first_token?: unknown} | undefined;
	const end = typeof heldOut?.first_token === 'number' ? heldOut.first_token : corpus.ids.length;
	model.seenContexts = new ContextSet(corpus.ids.subarray(0, end), model.n);
}

export interface InferOptions {
	readonly artifacts: string;
	/** Given: the model must have been trained on this corpus (same sha256), else infer refuses. */
	readonly corpus?: string;
	readonly prompt: string;
	readonly num: number;
	readonly topK: number;
	/** Given explicitly: then it also limits sampling. */
	readonly topKGiven: boolean;
	readonly temperature?: number;
	readonly topP?: number;
	readonly seed: number;
	readonly json: boolean;
}

/** Load the artifacts, show the next-token distribution for the prompt and continue it. */
export async function inferCommand(options: InferOptions, io: CommandIo): Promise<number> {
	const {model, meta, note} = loadArtifacts(options.artifacts);
	const unverified = unverifiedNote(meta.raw, join(options.artifacts, META_FILE));
	if (unverified !== undefined) io.stderr.write(`toy-gpt-tui: note: ${visible(unverified)}\n`);
	if (note !== undefined) io.stderr.write(`toy-gpt-tui: note: ${visible(note)}\n`);
	if (options.corpus !== undefined) {
		const corpus = checkCorpus(meta, options.artifacts, options.corpus, io);
		if (corpus) knowTrainingContexts(model, meta, corpus);
	}
	const trained = trainedOn(meta);
	const reading = readPrompt(model.vocabulary, options.prompt);
	const promptTokens = reading.tokens;
	const prediction = predict(model, promptTokens);
	const top = rankTokens(prediction.probabilities, options.topK);
	const entropy = entropyBits(prediction.probabilities);
	const sampling = options.temperature !== undefined || options.topP !== undefined;
	const decode: DecodeOptions = sampling
		? {mode: 'sample', temperature: options.temperature ?? 1, topK: options.topKGiven ? options.topK : 0, topP: options.topP ?? 1}
		: {mode: 'greedy', temperature: 1, topK: 0, topP: 1};
	const generated = generate(model, promptTokens, options.num, decode, seededRandom(options.seed));
	const {tokens} = model.vocabulary;

	if (options.json) {
		io.stdout.write(
			jsonText({
				prompt: options.prompt,
				prompt_tokens: promptTokens,
				prompt_note: reading.note ?? null,
				model_kind: model.kind,
				corpus: {path: trained.name, sha256: trained.sha256 ?? null},
				context: prediction.context,
				row: prediction.fromVectors ? null : prediction.row,
				...(prediction.fromVectors ? {seen_in_training: prediction.fromVectors.seen ?? null} : {}),
				uniform_reason: prediction.reason ?? null,
				...(prediction.attention ? {attention: Array.from(prediction.attention)} : {}),
				top: top.map((id) => ({token: tokens[id], id, probability: prediction.probabilities[id]})),
				entropy,
				decoding: sampling ? {mode: 'sample', temperature: decode.temperature, top_k: decode.topK || null, top_p: decode.topP, seed: options.seed} : {mode: 'greedy'},
				generated,
			}) + '\n',
		);
		return 0;
	}

	const n = model.n;
	const lines: string[] = [];
	lines.push(`model     ${model.kind} (${n === 0 ? 'no context' : `context of ${n} token${n === 1 ? '' : 's'}`}), ${model.V} tokens, from ${visible(options.artifacts)}`);
	const facts = [trained.lines === undefined ? '' : plural(trained.lines, 'line'), trained.tokens === undefined ? '' : plural(trained.tokens, 'token'), trained.sha256 ? `sha256 ${trained.sha256.slice(0, 12)}…` : ''].filter(Boolean);
	lines.push(`corpus    trained on ${visible(trained.name)}${facts.length ? ` (${facts.join(', ')})` : ''}`);
	lines.push(`prompt    ${promptTokens.length ? promptTokens.map(visible).join(' ') : '(empty)'}`);
	if (reading.note !== undefined) lines.push(`          ${visible(reading.note)}`);
	if (prediction.fromVectors) {
		const seen = prediction.fromVectors.seen;
		lines.push(`context   ${prediction.context.map(visible).join(' ')}  ->  predicted from the tokens' vectors${seen === false ? ' (never seen in training)' : seen ? ' (seen in training)' : ''}`);
		if (prediction.attention) lines.push(`attention ${prediction.context.map((token, t) => `${visible(token)} ${prediction.attention![t]!.toFixed(4)}`).join('  ')}  (where the last position looks)`);
	} else if (prediction.row !== null) {
		lines.push(`context   ${n === 0 ? '(none: a unigram model uses one row for everything)' : prediction.context.map(visible).join(' ')}  ->  row ${visible(prediction.row)}`);
	} else {
		lines.push(`context   ${prediction.context.length ? prediction.context.map(visible).join(' ') : '(none)'}  ->  ${model.family === 'table' ? 'no row' : prediction.reason === 'unknown-token' ? 'no vector for it' : 'no prediction'}: ${visible(explainUniform(model, prediction))}`);
	}
	const shown = top.map((id) => visible(tokens[id]!));
	// string-width starts ICU's segmenter (about 20 ms): load it only for text output.
	const {default: stringWidth} = await import('string-width');
	const widths = shown.map((s) => stringWidth(s));
	const column = Math.min(30, Math.max(10, ...widths));
	lines.push(`next token${top.length < model.V ? ` (top ${top.length} of ${model.V})` : ''}`);
	top.forEach((id, k) => {
		const p = prediction.probabilities[id]!;
		lines.push(`  ${padEnd(shown[k]!, column, widths[k]!)}  ${percent(p).padStart(7)}  ${bar(p, 30)}`);
	});
	lines.push(`entropy   ${entropy.toFixed(3)} bits (${Math.log2(model.V).toFixed(3)} would be uniform)`);
	const how = sampling
		? `sampled: temperature ${decode.temperature}, top-k ${decode.topK || 'all'}, top-p ${decode.topP}, seed ${options.seed}`
		: 'greedy';
	lines.push(`generated ${generated.map(visible).join(' ')}${generated.length ? '' : '(nothing: --num 0)'}  [${how}]`);
	io.stdout.write(lines.join('\n') + '\n');
	return 0;
}
