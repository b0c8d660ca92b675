/**
 * A corpus full of escape sequences, control characters and bidirectional
 * overrides: in every stage of the explorer they are shown escaped, so none
 * of the corpus's own sequences reaches the terminal.
 */
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../source/explorer/app.js';
import {cpSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {createSession} from '../../source/explorer/session.js';
import {ARTIFACTS, ManualScheduler, sessionOn, settings, tempDir} from './helpers.js';
import {reseal} from '../support/reseal.js';

const HOSTILE = [
	'red\u001b[31mtext',
	'title\u001b]0;owned\u0007',
	'clear\u001b[2J',
	'up\u001b[5A',
	'evil\u202emirror',
	'bell\u0007x',
	'c1\u009bq',
	'plain',
].join(' ');

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

afterEach(() => cleanup());

/** The corpus's raw sequences, any of which in a frame would act on the terminal. */
const RAW = ['\u001b[31m', '\u001b]0;', '\u0007', '\u001b[2J', '\u001b[5A', '\u202e', '\u009b'];

describe('a corpus of escape sequences in the explorer', () => {
	it('never reaches a frame raw, in any stage, and shows them escaped', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(`${HOSTILE}\n${HOSTILE}\n`, {epochs: 2, context: 1}, scheduler);
		const app = render(<App session={session} />);
		await tick();
		const frames: string[] = [];
		const grab = async (...keys: string[]) => {
			for (const key of keys) {
				app.stdin.write(key);
				await tick();
			}
			frames.push(app.lastFrame() ?? '');
		};
		await grab(); // corpus
		await grab('\u001b[C', '\u001b[C'); // move the cursor onto the hostile tokens
		await grab('2'); // vocabulary
		await grab('3'); // model
		await grab('4', ' ');
		scheduler.run();
		await tick();
		await grab(); // train, finished
		await grab('5', 'r', 'e', 'd'); // prompt (the session's model after the run)
		await grab('\r');
		for (const frame of frames) {
			for (const raw of RAW) expect(frame.includes(raw), `raw ${JSON.stringify(raw)} in a frame`).toBe(false);
		}
		const all = frames.join('\n');
		expect(all).toContain('red\\x1b[31mtext');
		expect(all).toContain('evil\\u202emirror');
	});
});

/** A copy of the shipped animals model, its files edited by `edit`. */
function animalsArtifacts(edit: (dir: string) => void): string {
	const dir = join(tempDir(), 'artifacts');
	cpSync(ARTIFACTS, dir, {recursive: true});
	edit(dir);
	return dir;
}

const RED = '\u001b[31mRED';
const press = async (app: {stdin: {write: (s: string) => void}}, ...keys: string[]) => {
	for (const key of keys) {
		app.stdin.write(key);
		await tick();
	}
};
/** A frame's text with its lines joined, so a wrapped sentence reads whole. */
const flat = (frame: string) => frame.replace(/\s*\n\s*/g, ' ');

describe('text from files and from the learner in the explorer\'s messages', () => {
	it('an artifact error naming a vocabulary token is shown escaped in the prompt stage', async () => {
		const artifacts = animalsArtifacts((dir) => {
			const path = join(dir, '01_vocabulary.csv');
			const lines = readFileSync(path, 'utf8').split('\n');
			lines[2] = `1,${RED},8`;
			lines[3] = `2,${RED},8`;
			writeFileSync(path, lines.join('\n'));
			reseal(dir); // the manifest agrees: the vocabulary's own check answers
		});
		const session = createSession(settings({artifactsToRead: artifacts, artifactsDir: artifacts}));
		session.artifacts.load();
		expect(session.artifacts.getSnapshot()).toMatchObject({status: 'error'});
		const app = render(<App session={session} initialStage="prompt" />);
		await tick();
		const frame = app.lastFrame() ?? '';
		expect(frame.includes(RED)).toBe(false);
		expect(flat(frame)).toContain('token "\\x1b[31mRED" repeats the token of line 3');
	});

	it('a model whose meta file names an escape-laden corpus is named escaped in the prompt and model stages', async () => {
		const artifacts = animalsArtifacts((dir) => {
			const path = join(dir, '00_meta.json');
			const meta = JSON.parse(readFileSync(path, 'utf8'));
			meta.corpus.filename = `${RED}\u202e\u009b.txt`;
			writeFileSync(path, JSON.stringify(meta, null, 2));
			reseal(dir);
		});
		const session = createSession(settings({artifactsToRead: artifacts, artifactsDir: artifacts}));
		session.artifacts.load();
		const app = render(<App session={session} initialStage="prompt" />);
		await tick();
		const prompt = app.lastFrame() ?? '';
		await press(app, '3');
		const model = app.lastFrame() ?? '';
		for (const frame of [prompt, model]) {
			for (const raw of [RED, '\u202e', '\u009b']) expect(frame.includes(raw), `raw ${JSON.stringify(raw)}`).toBe(false);
			expect(flat(frame)).toContain('context-2 of \\x1b[31mRED\\u202e\\x9b.txt');
		}
	});

	it('the prompt stage\'s note on how the prompt was read shows the typed token escaped', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn('evil\u202emirror c1\u009bq plain\nevil\u202emirror plain\n', {epochs: 2, context: 1, artifactsToRead: join(tempDir(), 'none')}, scheduler);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		await press(app, ' ');
		scheduler.run();
		await tick();
		await press(app, '5', 'i', 'EVIL\u202eMIRROR');
		const frame = app.lastFrame() ?? '';
		expect(frame.includes('\u202e')).toBe(false);
		expect(flat(frame)).toContain('Prompt read in lower case ("EVIL\\u202eMIRROR" as "evil\\u202emirror")');
	});

	it('the train stage names an escape-laden artifacts folder escaped, and a write error too', async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'file'), '');
		const artifactsDir = join(dir, 'file', `a${RED}`);
		const scheduler = new ManualScheduler();
		const session = sessionOn('a b a c a b\n', {epochs: 1, context: 1, artifactsToRead: join(dir, 'none'), artifactsDir, outputsDir: join(dir, `o${RED}`)}, scheduler);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		const before = app.lastFrame() ?? '';
		await press(app, ' ');
		scheduler.run();
		await tick();
		const after = app.lastFrame() ?? '';
		expect(session.controller.getSnapshot().writeError).toBeDefined();
		for (const frame of [before, after]) expect(frame.includes(RED), frame).toBe(false);
		expect(flat(before)).toContain(`a\\x1b[31mRED/ and`);
		expect(flat(after)).toContain('could not write the artifacts');
		expect(flat(after)).toContain('a\\x1b[31mRED');
	});

	it('the compare stage\'s reading names the tokens escaped', async () => {
		const scheduler = new ManualScheduler();
		// The unigram's best is q; after b, the bigram's is the red token. One
		// epoch: whether the models settled is not known, so the reading compares them.
		const text = 'b \u001b[31mred q q q \u202eq\n'.repeat(4);
		const session = sessionOn(text, {epochs: 1, learningRate: 1, artifactsToRead: join(tempDir(), 'none')}, scheduler);
		const app = render(<App session={session} initialStage="compare" />);
		await tick();
		await press(app, 'i', 'b');
		for (let i = 0; i < 2000 && !session.compare.getSnapshot().ready.every(Boolean); i++) scheduler.run();
		await tick();
		await press(app, ' ');
		const frame = app.lastFrame() ?? '';
		for (const raw of ['\u001b[31m', '\u202e', '\u009b']) expect(frame.includes(raw), `raw ${JSON.stringify(raw)} in\n${frame}`).toBe(false);
		expect(flat(frame)).toContain('the most likely token moves from "q" (the unigram) to "\\x1b[31mred"');
	});
});
