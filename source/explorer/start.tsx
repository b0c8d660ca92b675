/**
 * Starting the explorer: settings from the flags, the session, then Ink on
 * the alternate screen with bracketed paste on. Quitting (q, Ctrl+C) turns
 * bracketed paste off, leaves the alternate screen, shows the cursor, turns
 * raw mode off and exits 0.
 */
import React from 'react';
import {render} from 'ink';
import {App} from './app.js';
import {BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON} from './input.js';
import {createSession, type ExplorerSession, type ExplorerSettings} from './session.js';
import {ErrorScreen} from './components/error-screen.js';
import {UsageError, UserError} from '../runtime/errors.js';
import {attentionFlags, embeddingsFlags, parseModel, parseNum, parseSeed, parseTemperature, parseTopK, parseTopP, trainingFlags, type Flags, parseHoldout, parsePath} from '../cli/flags.js';
import {DEFAULT_ARTIFACTS, resolveArtifactsToRead, resolveCorpus} from '../cli/paths.js';
import {writeOut} from '../cli/output.js';
import {finish} from '../cli/report.js';

export function settingsFromFlags(flags: Flags, cwd: string): ExplorerSettings {
	const get = <T,>(key: string, parse: (raw: string | boolean | undefined) => T): T | undefined =>
		flags[key] === undefined ? undefined : parse(flags[key]);
	const model = get('model', parseModel) ?? 'ngram';
	const training = trainingFlags(flags, model);
	const embeddings = embeddingsFlags(flags, model);
	const attention = attentionFlags(flags, model);
	const trainSeed = flags['trainSeed'] === undefined ? 0 : parseSeed(flags['trainSeed'], 'train-seed');
	return {
		corpusPath: resolveCorpus(training.corpus, cwd),
		context: training.context,
		...(model === 'embeddings'
			? {model, embeddings: {n: training.context, d: embeddings.dim, seed: trainSeed, initScale: embeddings.initScale, exactGradient: embeddings.exactGradient}}
			: {}),
		...(model === 'attention'
			? {
					model,
					attention: {n: training.context, d: attention.dim, h: attention.headDim, seed: trainSeed, initScale: attention.initScale, clip: attention.clip, exactGradient: attention.exactGradient},
				}
			: {}),
		epochs: training.epochs,
		learningRate: training.learningRate,
		artifactsDir: training.artifacts ?? DEFAULT_ARTIFACTS,
		artifactsToRead: resolveArtifactsToRead(training.artifacts, cwd),
		outputsDir: training.outputs,
		seed: get('seed', parseSeed) ?? 0,
		num: get('num', parseNum) ?? 10,
		topK: get('topk', parseTopK) ?? 0,
		temperature: get('temperature', parseTemperature),
		topP: get('topP', parseTopP),
		holdout: get('holdout', parseHoldout),
		validPath: get('valid', (raw) => parsePath('valid', raw)),
		shuffleSeed: shuffleSeedOf(flags, model !== 'ngram'),
	};
}

/** --shuffle with --train-seed S (default 0); --train-seed alone is a usage error, but for the embeddings and attention models, whose initial weights it seeds. */
function shuffleSeedOf(flags: Flags, seedsWeights: boolean): number | undefined {
	if (flags['trainSeed'] !== undefined && flags['shuffle'] !== true && !seedsWeights) throw new UsageError('--train-seed S is the seed of --shuffle (or of the embeddings or attention model\'s initial weights); give --shuffle or --model embeddings|attention too');
	return flags['shuffle'] === true ? (flags['trainSeed'] === undefined ? 0 : parseSeed(flags['trainSeed'], 'train-seed')) : undefined;
}

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/**
 * The explorer as the command line opens it: refused with status 2 and one
 * line when stdin or stdout is not a terminal; else until it is left, with
 * its status.
 */
export async function openExplorer(flags: Flags, cwd: string): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		writeOut(
			2,
			'toy-gpt-tui: the explorer needs a terminal (stdin and stdout must be a TTY); without one, use the headless commands: tokenize, vocab, train, infer, compare (see toy-gpt-tui --help)\n',
		);
		return 2;
	}
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		// The terminal went away while the explorer draws: end as a hang-up does.
		if (error.code === 'EIO') {
			process.removeAllListeners('SIGHUP');
			process.kill(process.pid, 'SIGHUP');
			return;
		}
		throw error;
	});
	return startExplorer(flags, cwd);
}

/**
 * `toy-gpt-tui` without arguments, as most people open it: the launcher
 * (source/launcher.ts) starts the explorer here directly, without loading
 * the command line's bundle, which has nothing to parse (about 8 ms sooner
 * to the first frame).
 */
export function main(): void {
	finish(openExplorer({}, process.cwd()));
}

export async function startExplorer(flags: Flags, cwd: string): Promise<number> {
	const settings = settingsFromFlags(flags, cwd);
	let session: ExplorerSession;
	try {
		session = createSession(settings, undefined, false);
	} catch (error) {
		if (!(error instanceof UserError)) throw error;
		await showError(error.message);
		throw error;
	}
	const {stdout, stdin} = process;
	let restored = false;
	let hungUp = false;
	const restore = () => {
		if (restored || hungUp) return;
		restored = true;
		if (stdin.isTTY) stdin.setRawMode(false);
		stdout.write(BRACKETED_PASTE_OFF + SHOW_CURSOR + LEAVE_ALT_SCREEN);
	};
	process.once('exit', restore);
	// Bracketed paste: a paste arrives marked as one, so its tabs and line
	// breaks are text (separators), never Tab or Enter (input.ts).
	stdout.write(ENTER_ALT_SCREEN + BRACKETED_PASTE_ON);
	let code = 0;
	const instance = render(<App session={session} onQuit={(c) => (code = c)} />, {
		exitOnCtrlC: false,
		patchConsole: false,
		// Frames at most 60 a second: a keystroke shows within a frame; training
		// progress itself is emitted 10 times a second.
		maxFps: 60,
	});
	// The first frame is out: now load the artifacts' model for the prompt stage.
	setTimeout(() => session.artifacts.loadInBackground(), 0);
	// SIGTERM and SIGINT end the explorer like q does (the frame is unmounted
	// and the terminal restored below), with the status a shell expects.
	const onSignal = (signal: NodeJS.Signals) => {
		code = signal === 'SIGINT' ? 130 : 143;
		session.controller.dispose();
		instance.unmount();
	};
	// SIGHUP: the terminal is gone, so there is nothing to restore, and any
	// write to it fails. Node's own exit would try to reset the vanished
	// terminal and abort, so end by the signal itself, once a write of the
	// artifacts under way has put its whole set in place.
	const onHangup = () => {
		if (hungUp) return;
		session.controller.dispose();
		hungUp = true;
		void session.controller.whenWritten().then(() => {
			process.off('SIGHUP', onHangup);
			process.kill(process.pid, 'SIGHUP');
		});
	};
	process.once('SIGTERM', onSignal);
	process.once('SIGINT', onSignal);
	process.on('SIGHUP', onHangup);
	try {
		await instance.waitUntilExit();
		// q, Ctrl+C or SIGTERM while a finished run is written on its thread:
		// the set is put in place whole before the process ends.
		await session.controller.whenWritten();
	} finally {
		session.controller.dispose();
		instance.cleanup();
		restore();
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
		process.off('SIGHUP', onHangup);
	}
	return code;
}

/** A message the explorer cannot open past, in its own frame until a key; then the caller prints it too. */
async function showError(message: string): Promise<void> {
	const {stdout} = process;
	stdout.write(ENTER_ALT_SCREEN);
	const instance = render(<ErrorScreen message={message} />, {exitOnCtrlC: false, patchConsole: false});
	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		if (process.stdin.isTTY) process.stdin.setRawMode(false);
		stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
	}
}
