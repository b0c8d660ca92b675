/**
 * Flag values: parsed from the strings on the command line, each checked
 * against its valid range, with a usage error that names the flag, the value
 * and what would be valid.
 */
import {UsageError} from '../runtime/errors.js';
import type {ContextSize} from '../models/table/model.js';
import {DEFAULT_OUTPUTS} from './paths.js';
import {MAX_HOLDOUT} from '../text/split.js';
import {WEIGHTS_FORMAT_CHOICES, type WeightsFormatChoice} from '../artifacts/write.js';

export const MAX_EPOCHS = 100_000;
export const MAX_LEARNING_RATE = 1000;
export const MAX_NUM = 10_000;

function needValue(flag: string, raw: string | boolean | undefined): string {
	if (typeof raw !== 'string' || raw === '') throw new UsageError(`--${flag} needs a value`);
	return raw.trim();
}

function parseInteger(flag: string, raw: string | boolean | undefined, min: number, max: number, range: string): number {
	const text = needValue(flag, raw);
	if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a whole number; expected ${range}`);
	const value = Number(text);
	if (value < min || value > max) throw new UsageError(`--${flag} ${text} is out of range; expected ${range}`);
	return value;
}

function parseNumber(flag: string, raw: string | boolean | undefined): number {
	const text = needValue(flag, raw);
	const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
	return value;
}

/** --holdout F: the share of the corpus's lines held out, 0 (none) up to below MAX_HOLDOUT. */
export function parseHoldout(raw: string | boolean | undefined): number {
	const value = parseNumber('holdout', raw);
	if (!(value >= 0 && value < MAX_HOLDOUT)) {
		throw new UsageError(`--holdout ${JSON.stringify(needValue('holdout', raw))} is not valid; expected a share of the lines from 0 up to below ${MAX_HOLDOUT} (0.1 holds out the last tenth)`);
	}
	return value;
}

export function parseContext(raw: string | boolean | undefined): ContextSize {
	return parseInteger('context', raw, 0, 3, '0, 1, 2 or 3') as ContextSize;
}

export function parseEpochs(raw: string | boolean | undefined): number {
	return parseInteger('epochs', raw, 1, MAX_EPOCHS, `a whole number from 1 to ${MAX_EPOCHS}`);
}

export function parseLearningRate(raw: string | boolean | undefined): number {
	const value = parseNumber('lr', raw);
	if (!(value > 0 && value <= MAX_LEARNING_RATE)) {
		throw new UsageError(`--lr ${JSON.stringify(needValue('lr', raw))} is not valid; expected a number above 0 and at most ${MAX_LEARNING_RATE}`);
	}
	return value;
}

export function parseNum(raw: string | boolean | undefined): number {
	return parseInteger('num', raw, 0, MAX_NUM, `a whole number from 0 to ${MAX_NUM}`);
}

export function parseTopK(raw: string | boolean | undefined): number {
	return parseInteger('topk', raw, 1, Number.MAX_SAFE_INTEGER, 'a whole number of at least 1');
}

export function parseTemperature(raw: string | boolean | undefined): number {
	const value = parseNumber('temperature', raw);
	if (!(value >= 0 && value <= 100)) {
		throw new UsageError(`--temperature ${JSON.stringify(needValue('temperature', raw))} is not valid; expected a number from 0 (greedy) to 100`);
	}
	return value;
}

export function parseTopP(raw: string | boolean | undefined): number {
	const value = parseNumber('top-p', raw);
	if (!(value > 0 && value <= 1)) {
		throw new UsageError(`--top-p ${JSON.stringify(needValue('top-p', raw))} is not valid; expected a number above 0 and at most 1`);
	}
	return value;
}

export function parseSeed(raw: string | boolean | undefined, flag = 'seed'): number {
	return parseInteger(flag, raw, 0, Number.MAX_SAFE_INTEGER, `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
}

export function parsePath(flag: string, raw: string | boolean | undefined): string {
	return needValue(flag, raw);
}

export function parseThreads(raw: string | boolean | undefined): number {
	return parseInteger('threads', raw, 1, 64, 'a whole number from 1 to 64');
}

/** The prompt as typed; empty is a prompt too (a unigram needs no context), as in the toy-gpt series. */
export function parsePrompt(raw: string | boolean | undefined): string {
	if (typeof raw !== 'string') throw new UsageError('--prompt needs a value (quote it: --prompt "the cat")');
	return raw;
}

export function parseWeightsFormat(raw: string | boolean | undefined): WeightsFormatChoice {
	const text = needValue('weights-format', raw);
	if (!(WEIGHTS_FORMAT_CHOICES as readonly string[]).includes(text)) {
		throw new UsageError(`--weights-format ${JSON.stringify(text)} is not valid; expected ${WEIGHTS_FORMAT_CHOICES.join(', ')}`);
	}
	return text as WeightsFormatChoice;
}

export type Flags = Record<string, string | boolean | undefined>;

export interface TrainingFlags {
	/** As given, or undefined for the default corpus (resolved against the folder by the caller). */
	readonly corpus: string | undefined;
	/** 0 to 3 for a table (a ContextSize), 1 to 8 for the embeddings and attention models. */
	readonly context: number;
	readonly epochs: number;
	readonly learningRate: number;
	/** As given, or undefined for the default. */
	readonly artifacts: string | undefined;
	readonly outputs: string;
}

/** The model families `--model` chooses: the lookup tables (context 0 to 3), learned embeddings, or attention. */
export const MODEL_CHOICES = ['ngram', 'embeddings', 'attention'] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number];

export function parseModel(raw: string | boolean | undefined): ModelChoice {
	const text = needValue('model', raw);
	if (!(MODEL_CHOICES as readonly string[]).includes(text)) throw new UsageError(`--model ${JSON.stringify(text)} is not valid; expected ngram (the lookup table, the default), embeddings or attention`);
	return text as ModelChoice;
}

export const MAX_DIM = 512;

/** The embeddings model's own settings (--dim, --init-scale, --exact-gradient; the seed is read by the caller). */
export interface EmbeddingsFlags {
	readonly dim: number;
	readonly initScale: number;
	readonly exactGradient: boolean;
}

function flagName(key: string): string {
	return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** --dim, --init-scale, --exact-gradient, refused without --model embeddings or attention; defaults the series': d 16, scale 0.01. */
export function embeddingsFlags(flags: Flags, model: ModelChoice): EmbeddingsFlags {
	if (model === 'ngram') {
		const given = ['dim', 'initScale', 'exactGradient'].find((key) => flags[key] !== undefined && flags[key] !== false);
		if (given) throw new UsageError(`${flagName(given)} is a setting of the embeddings and attention models; give --model embeddings or --model attention too`);
	}
	const dim = flags['dim'] === undefined ? 16 : parseInteger('dim', flags['dim'], 1, MAX_DIM, `a whole number from 1 to ${MAX_DIM}`);
	let initScale = 0.01;
	if (flags['initScale'] !== undefined) {
		initScale = parseNumber('init-scale', flags['initScale']);
		if (!(initScale > 0 && initScale <= 10)) throw new UsageError(`--init-scale ${JSON.stringify(needValue('init-scale', flags['initScale']))} is not valid; expected a number above 0 and at most 10 (the initial weights' standard deviation)`);
	}
	return {dim, initScale, exactGradient: flags['exactGradient'] === true};
}

/** The attention model's own settings beyond the embeddings model's. */
export interface AttentionFlags extends EmbeddingsFlags {
	readonly headDim: number;
	readonly clip: number;
}

/** --head-dim and --clip (with --dim, --init-scale, --exact-gradient), refused without --model attention; defaults the series': h 16, clip 1. */
export function attentionFlags(flags: Flags, model: ModelChoice): AttentionFlags {
	if (model !== 'attention') {
		const given = ['headDim', 'clip'].find((key) => flags[key] !== undefined);
		if (given) throw new UsageError(`${flagName(given)} is a setting of the attention model; give --model attention too`);
	}
	const headDim = flags['headDim'] === undefined ? 16 : parseInteger('head-dim', flags['headDim'], 1, MAX_DIM, `a whole number from 1 to ${MAX_DIM}`);
	let clip = 1;
	if (flags['clip'] !== undefined) {
		clip = parseNumber('clip', flags['clip']);
		if (!(clip > 0 && clip <= 1e6)) throw new UsageError(`--clip ${JSON.stringify(needValue('clip', flags['clip']))} is not valid; expected a number above 0 and at most 1000000 (each gradient entry is clipped to [-clip, clip]; the series uses 1)`);
	}
	return {...embeddingsFlags(flags, model), headDim, clip};
}

/**
 * The training flags `train` and the explorer share, with their defaults:
 * context 2, 50 epochs, lr 0.1 for a table; for the embeddings model (as the
 * series trains it) context 2 of 1 to 8, 50 epochs, lr 0.01; for the
 * attention model the same but 100 epochs (the series' 600 default).
 */
export function trainingFlags(flags: Flags, model: ModelChoice = 'ngram'): TrainingFlags {
	const get = <T>(key: string, parse: (raw: string | boolean | undefined) => T): T | undefined =>
		flags[key] === undefined ? undefined : parse(flags[key]);
	const vectors = model !== 'ngram';
	return {
		corpus: get('corpus', (raw) => parsePath('corpus', raw)),
		context: get('context', vectors ? (raw) => parseInteger('context', raw, 1, 8, `a whole number from 1 to 8 for the ${model} model`) : parseContext) ?? 2,
		epochs: get('epochs', parseEpochs) ?? (model === 'attention' ? 100 : 50),
		learningRate: get('lr', parseLearningRate) ?? (vectors ? 0.01 : 0.1),
		artifacts: get('artifacts', (raw) => parsePath('artifacts', raw)),
		outputs: get('outputs', (raw) => parsePath('outputs', raw)) ?? DEFAULT_OUTPUTS,
	};
}
