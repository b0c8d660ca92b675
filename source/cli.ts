/**
 * toy-gpt-tui: with a command, a headless tool (tokenize, vocab, train,
 * infer, eval, compare); with none, in a terminal, the explorer. The headless path never
 * loads Ink or React: the explorer is imported only when it starts.
 */
import process from 'node:process';
import {UsageError} from './runtime/errors.js';
import {loadExplorer} from './cli/load-explorer.js';
import {writeOut} from './cli/output.js';
import {finish} from './cli/report.js';
import {
	parseHoldout,
	parseNum,
	parsePath,
	parseSeed,
	parseTemperature,
	parseTopK,
	parseTopP,
	parseThreads,
	parsePrompt,
	parseWeightsFormat,
	trainingFlags,
	embeddingsFlags,
	attentionFlags,
	parseModel,
} from './cli/flags.js';
import {tokenizeCommand} from './commands/tokenize.js';
import {vocabCommand} from './commands/vocab.js';
import {trainCommand} from './commands/train.js';
import {inferCommand} from './commands/infer.js';
import {compareCommand} from './commands/compare.js';
import {evalCommand} from './commands/eval.js';
import {COMMAND_HELP, MAIN_HELP, type CommandName, COMMANDS, COMMAND_FLAGS} from './cli/help.js';
import {DEFAULT_ARTIFACTS, resolveArtifactsToRead, resolveCorpus} from './cli/paths.js';
import type {CommandIo} from './commands/common.js';

declare const __PACKAGE__: {name: string; version: string; description: string} | undefined;

/** Our package data: built in by the bundler, else (running from source) meow finds package.json. */
const packageData = typeof __PACKAGE__ === 'undefined' ? undefined : __PACKAGE__;

interface ParsedArguments {
	readonly input: readonly string[];
	readonly flags: Record<string, unknown>;
	readonly pkg?: {version?: string};
}

/**
 * The command line, parsed by meow. Without any argument (the explorer as
 * most people open it) there is nothing to parse, and meow, with the
 * package-data tooling it bundles, is not even loaded: 20 ms sooner to the
 * first frame.
 */
async function parseArguments(argv: readonly string[]): Promise<ParsedArguments> {
	if (argv.length === 0) return {input: [], flags: {}};
	const {default: meow} = await import('meow');
	return meow(MAIN_HELP, {
	importMeta: import.meta,
	...(packageData ? {pkg: packageData} : {}),
	autoHelp: false,
	autoVersion: false,
	allowUnknownFlags: true,
	flags: {
		corpus: {type: 'string'},
		context: {type: 'string'},
		epochs: {type: 'string'},
		lr: {type: 'string'},
		artifacts: {type: 'string'},
		outputs: {type: 'string'},
		json: {type: 'boolean'},
		prompt: {type: 'string'},
		text: {type: 'string'},
		holdout: {type: 'string'},
		shuffle: {type: 'boolean'},
		trainSeed: {type: 'string'},
		valid: {type: 'string'},
		num: {type: 'string'},
		topk: {type: 'string'},
		temperature: {type: 'string'},
		topP: {type: 'string'},
		seed: {type: 'string'},
		threads: {type: 'string'},
		weightsFormat: {type: 'string'},
		model: {type: 'string'},
		dim: {type: 'string'},
		headDim: {type: 'string'},
		clip: {type: 'string'},
		initScale: {type: 'string'},
		exactGradient: {type: 'boolean'},
		help: {type: 'boolean', shortFlag: 'h'},
		version: {type: 'boolean', shortFlag: 'v'},
	},
	});
}

let cli: ParsedArguments;

/**
 * The flags as typed, checked before meow reads them (meow would turn
 * `--foo-bar` into fooBar and accept `--Corpus` as --corpus).
 */
function checkTypedFlags(argv: readonly string[]): void {
	const command = argv.find((arg) => !arg.startsWith('-'));
	const name = COMMANDS.includes(command as CommandName) ? (command as CommandName) : undefined;
	const allowed = new Set([...(name ? COMMAND_FLAGS[name] : COMMAND_FLAGS.explore), 'help', 'version']);
	const seen = new Set<string>();
	let valueNext = false;
	for (const arg of argv) {
		if (arg === '--') break;
		if (valueNext) {
			// The value of the flag before: may itself start with a dash (--prompt "-ish").
			valueNext = false;
			continue;
		}
		if (!arg.startsWith('-') || arg === '-') continue;
		const [flag, value] = arg.startsWith('--') ? [arg.slice(2).split('=')[0]!, arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg.slice(1), undefined];
		const long = flag === 'h' ? 'help' : flag === 'v' ? 'version' : flag;
		if (arg.startsWith('--') ? !allowed.has(long) || flag.length < 2 : !['h', 'v'].includes(flag)) {
			throw new UsageError(`unknown flag ${arg.split('=')[0]}${name ? ` for ${name}` : ''}; see toy-gpt-tui ${name ? `${name} ` : ''}--help`);
		}
		if (seen.has(long)) throw new UsageError(`--${long} is given twice`);
		seen.add(long);
		if (value !== undefined && BOOLEAN_FLAGS.has(long)) throw new UsageError(`--${long} takes no value (got "${value}")`);
		valueNext = value === undefined && !BOOLEAN_FLAGS.has(long);
	}
}

const BOOLEAN_FLAGS = new Set(['json', 'shuffle', 'exact-gradient', 'help', 'version']);

const io: CommandIo = {
	stdout: {write: (text) => writeOut(1, text)},
	stderr: {write: (text) => writeOut(2, text)},
	cwd: process.cwd(),
};

async function main(): Promise<number> {
	checkTypedFlags(process.argv.slice(2));
	try {
		cli = await parseArguments(process.argv.slice(2));
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message.replace(/^\w/, (c) => c.toLowerCase()).replace(/\.$/, '') : String(error));
	}
	const [command, ...rest] = cli.input;
	const flags = cli.flags as Record<string, string | boolean | undefined>;
	if (command !== undefined && !COMMANDS.includes(command as CommandName)) {
		throw new UsageError(`unknown command "${command}"; the commands are ${COMMANDS.join(', ')} (see toy-gpt-tui --help)`);
	}
	const name = command as CommandName | undefined;
	if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"${name ? ` for ${name}` : ''}; see toy-gpt-tui ${name ?? ''} --help`.replace('  ', ' '));
	if (flags['help']) {
		io.stdout.write(name ? COMMAND_HELP[name] : MAIN_HELP);
		return 0;
	}
	if (flags['version']) {
		io.stdout.write(`${packageData?.version ?? cli.pkg?.version ?? 'unknown'}\n`);
		return 0;
	}
	const json = flags['json'] === true;
	switch (name) {
		case 'tokenize': {
			return tokenizeCommand({corpus: resolveCorpus(opt('corpus', parsePath), io.cwd), json}, io);
		}
		case 'vocab': {
			return vocabCommand({corpus: resolveCorpus(opt('corpus', parsePath), io.cwd), json}, io);
		}
		case 'train': {
			const model = opt('model', (_, raw) => parseModel(raw)) ?? 'ngram';
			const training = trainingFlags(flags, model);
			const embeddings = embeddingsFlags(flags, model);
			const attention = attentionFlags(flags, model);
			// The training seed: a vector model's initial weights, and the order of --shuffle.
			if (flags['seed'] !== undefined && flags['shuffle'] !== true && model === 'ngram') throw new UsageError('--seed S of train is the seed of --shuffle (or of the embeddings or attention model\'s initial weights); give --shuffle or --model embeddings|attention too');
			const seed = opt('seed', (_, raw) => parseSeed(raw)) ?? 0;
			if (model !== 'ngram' && flags['weightsFormat'] !== undefined) throw new UsageError(`--weights-format chooses a table's weights file; the ${model} model writes the series' ${model === 'attention' ? 600 : 500} format`);
			if (model !== 'ngram' && flags['threads'] !== undefined) throw new UsageError(`--threads splits a table's epochs; the ${model} model trains on one thread`);
			return trainCommand(
				{
					...training,
					model,
					...(model === 'embeddings' ? {embeddings: {...embeddings, seed}} : {}),
					...(model === 'attention' ? {attention: {...attention, seed}} : {}),
					corpus: resolveCorpus(training.corpus, io.cwd),
					artifacts: training.artifacts ?? DEFAULT_ARTIFACTS,
					json,
					holdout: opt('holdout', (_, raw) => parseHoldout(raw)),
					valid: opt('valid', parsePath),
					shuffleSeed: flags['shuffle'] === true ? seed : undefined,
					threads: opt('threads', (_, raw) => parseThreads(raw)),
					weightsFormat: opt('weightsFormat', (_, raw) => parseWeightsFormat(raw)) ?? 'auto',
				},
				io,
			);
		}
		case 'infer': {
			const topK = opt('topk', (_, raw) => parseTopK(raw));
			return inferCommand(
				{
					artifacts: resolveArtifactsToRead(opt('artifacts', parsePath), io.cwd),
					corpus: opt('corpus', parsePath),
					prompt: opt('prompt', (_, raw) => parsePrompt(raw)) ?? '',
					num: opt('num', (_, raw) => parseNum(raw)) ?? 10,
					topK: topK ?? 5,
					topKGiven: topK !== undefined,
					temperature: opt('temperature', (_, raw) => parseTemperature(raw)),
					topP: opt('topP', (_, raw) => parseTopP(raw)),
					seed: opt('seed', (_, raw) => parseSeed(raw)) ?? 0,
					json,
				},
				io,
			);
		}
		case 'eval': {
			const text = opt('text', parsePath);
			if (text === undefined) throw new UsageError('eval needs --text FILE, the text to score');
			return evalCommand({artifacts: resolveArtifactsToRead(opt('artifacts', parsePath), io.cwd), text, json}, io);
		}
		case 'compare':
			return compareCommand(
				{
					corpus: resolveCorpus(opt('corpus', parsePath), io.cwd),
					prompt: opt('prompt', (_, raw) => parsePrompt(raw)) ?? '',
					epochs: trainingFlags(flags).epochs,
					learningRate: trainingFlags(flags).learningRate,
					topK: opt('topk', (_, raw) => parseTopK(raw)) ?? 5,
					json,
					holdout: opt('holdout', (_, raw) => parseHoldout(raw)),
					valid: opt('valid', parsePath),
					shuffleSeed: trainingOrder(true),
					embeddings: {...embeddingsFlags(flags, 'embeddings'), seed: opt('trainSeed', (flag, raw) => parseSeed(raw, flag)) ?? 0},
					attention: {...attentionFlags(flags, 'attention'), seed: opt('trainSeed', (flag, raw) => parseSeed(raw, flag)) ?? 0},
				},
				io,
			);
		default:
			return explore();
	}

	/** --shuffle with --train-seed S (default 0), for compare, where --seed is the sampler's; compare's embeddings model takes the seed without --shuffle. */
	function trainingOrder(seedsWeights = false): number | undefined {
		if (flags['trainSeed'] !== undefined && flags['shuffle'] !== true && !seedsWeights) throw new UsageError('--train-seed S is the seed of --shuffle; give --shuffle too');
		return flags['shuffle'] === true ? (opt('trainSeed', (flag, raw) => parseSeed(raw, flag)) ?? 0) : undefined;
	}

	function opt<T>(key: string, parse: (flag: string, raw: string | boolean | undefined) => T): T | undefined {
		return flags[key] === undefined ? undefined : parse(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), flags[key]);
	}
}

/** Whether this run opened the explorer (which ends by itself, after its last write). */
let exploring = false;

async function explore(): Promise<number> {
	exploring = true;
	const {openExplorer} = await loadExplorer();
	return openExplorer(cli.flags as Record<string, string | boolean | undefined>, io.cwd);
}

finish(main(), () => !exploring);
