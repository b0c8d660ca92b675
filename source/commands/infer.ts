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
import {tokenize} from '../text/tokenize.js';
import {bar, padEnd, percent} from '../cli/format.js';
import type {CommandIo} from './common.js';

export interface InferOptions {
	readonly artifacts: string;
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
	const {model} = loadArtifacts(options.artifacts);
	const promptTokens = tokenize(options.prompt);
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
			JSON.stringify({
				prompt: options.prompt,
				model_kind: model.kind,
				context: prediction.context,
				row: prediction.row,
				uniform_reason: prediction.reason ?? null,
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
	lines.push(`prompt    ${promptTokens.length ? promptTokens.map(visible).join(' ') : '(empty)'}`);
	if (prediction.row !== null) {
		lines.push(`context   ${n === 0 ? '(none: a unigram model uses one row for everything)' : prediction.context.map(visible).join(' ')}  ->  row ${visible(prediction.row)}`);
	} else {
		lines.push(`context   ${prediction.context.length ? prediction.context.map(visible).join(' ') : '(none)'}  ->  no row: ${visible(explainUniform(model, prediction))}`);
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
