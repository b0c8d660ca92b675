#!/usr/bin/env node
/**
 * toy-gpt-tui: with a command, a headless tool (tokenize, vocab, train,
 * infer); with none, in a terminal, the explorer. The headless path never
 * loads Ink or React: the explorer is imported only when it starts.
 */
import process from 'node:process';
import meow from 'meow';
import {UsageError, UserError} from './core/errors.js';
import {
	parseContext,
	parseEpochs,
	parseLearningRate,
	parseNum,
	parsePath,
	parseSeed,
	parseTemperature,
	parseTopK,
	parseTopP,
} from './cli/flags.js';
import {COMMAND_HELP, MAIN_HELP, type CommandName, COMMANDS, COMMAND_FLAGS} from './cli/help.js';
import {DEFAULT_ARTIFACTS, DEFAULT_OUTPUTS, resolveArtifactsToRead, resolveCorpus, type CommandIo} from './commands/common.js';

const cli = meow(MAIN_HELP, {
	importMeta: import.meta,
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
		num: {type: 'string'},
		topk: {type: 'string'},
		temperature: {type: 'string'},
		topP: {type: 'string'},
		seed: {type: 'string'},
		help: {type: 'boolean', shortFlag: 'h'},
		version: {type: 'boolean', shortFlag: 'v'},
	},
});

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	// The reader went away (`| head`): stop quietly.
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
	throw error;
});

const io: CommandIo = {
	stdout: {write: (text) => void process.stdout.write(text)},
	stderr: {write: (text) => void process.stderr.write(text)},
	cwd: process.cwd(),
};

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	const flags = cli.flags as Record<string, string | boolean | undefined>;
	if (command !== undefined && !COMMANDS.includes(command as CommandName)) {
		throw new UsageError(`unknown command "${command}"; the commands are ${COMMANDS.join(', ')} (see toy-gpt-tui --help)`);
	}
	const name = command as CommandName | undefined;
	const allowed = new Set(name ? COMMAND_FLAGS[name] : COMMAND_FLAGS.explore);
	for (const [flag, value] of Object.entries(cli.unnormalizedFlags)) {
		// Boolean flags read false when absent.
		if (value === false || value === undefined) continue;
		if (flag === 'h' || flag === 'v' || flag === 'help' || flag === 'version') continue;
		if (!allowed.has(flag)) {
			const dashed = flag.length === 1 ? `-${flag}` : `--${flag}`;
			throw new UsageError(
				`unknown flag ${dashed}${name ? ` for ${name}` : ''}; see toy-gpt-tui ${name ? `${name} ` : ''}--help`,
			);
		}
	}
	if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"${name ? ` for ${name}` : ''}; see toy-gpt-tui ${name ?? ''} --help`.replace('  ', ' '));
	if (flags['help']) {
		process.stdout.write(name ? COMMAND_HELP[name] : MAIN_HELP);
		return 0;
	}
	if (flags['version']) {
		process.stdout.write(`${cli.pkg.version}\n`);
		return 0;
	}
	const json = flags['json'] === true;
	const str = (key: string) => (flags[key] === undefined ? undefined : flags[key]);
	switch (name) {
		case 'tokenize': {
			const {tokenizeCommand} = await import('./commands/tokenize.js');
			return tokenizeCommand({corpus: resolveCorpus(opt('corpus', parsePath), io.cwd), json}, io);
		}
		case 'vocab': {
			const {vocabCommand} = await import('./commands/vocab.js');
			return vocabCommand({corpus: resolveCorpus(opt('corpus', parsePath), io.cwd), json}, io);
		}
		case 'train': {
			const {trainCommand} = await import('./commands/train.js');
			return trainCommand(
				{
					corpus: resolveCorpus(opt('corpus', parsePath), io.cwd),
					context: opt('context', (_, raw) => parseContext(raw)) ?? 2,
					epochs: opt('epochs', (_, raw) => parseEpochs(raw)) ?? 50,
					learningRate: opt('lr', (_, raw) => parseLearningRate(raw)) ?? 0.1,
					artifacts: opt('artifacts', parsePath) ?? DEFAULT_ARTIFACTS,
					outputs: opt('outputs', parsePath) ?? DEFAULT_OUTPUTS,
					json,
				},
				io,
			);
		}
		case 'infer': {
			const {inferCommand} = await import('./commands/infer.js');
			const topK = opt('topk', (_, raw) => parseTopK(raw));
			return inferCommand(
				{
					artifacts: resolveArtifactsToRead(opt('artifacts', parsePath), io.cwd),
					prompt: typeof str('prompt') === 'string' ? (str('prompt') as string) : '',
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
		default:
			return explore();
	}

	function opt<T>(key: string, parse: (flag: string, raw: string | boolean | undefined) => T): T | undefined {
		return flags[key] === undefined ? undefined : parse(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), flags[key]);
	}
}

async function explore(): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'toy-gpt-tui: the explorer needs a terminal (stdin and stdout must be a TTY); without one, use the headless commands: tokenize, vocab, train, infer (see toy-gpt-tui --help)\n',
		);
		return 2;
	}
	const {startExplorer} = await import('./explorer/start.js');
	return startExplorer(cli.flags as Record<string, string | boolean | undefined>, io.cwd);
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (error instanceof UserError) {
			process.stderr.write(`toy-gpt-tui: ${error.message}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		process.stderr.write(`toy-gpt-tui: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
		if (process.env['TOY_GPT_DEBUG']) process.stderr.write(`${(error as Error)?.stack}\n`);
		process.exitCode = 1;
	},
);
