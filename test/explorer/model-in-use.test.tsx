/**
 * Which model the explorer uses, where its runs write, and that a trained
 * model is never lost by a single key: the model of this corpus (by the
 * sha256 in 00_meta.json) or none; a run on another corpus never writes over
 * the artifacts folder's model; a finished run is kept until the learner
 * confirms, and continues for more epochs to exactly the bytes of a longer
 * run.
 */
import type {Model} from '../../source/models/table/model.js';
import React from 'react';
import {cpSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import {PromptStage} from '../../source/explorer/stages/prompt/view.js';
import {initialPromptState} from '../../source/explorer/stages/prompt/state.js';
import {createSession, describeModel, formatWhen, modelFolders, modelInUse, promptModel, runFolders, type ExplorerSession} from '../../source/explorer/session.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {readCorpusFile} from '../../source/text/corpus.js';
import {writeArtifacts} from '../../source/artifacts/write.js';
import {ANIMALS, ARTIFACTS, ManualScheduler, settings, tempDir} from './helpers.js';
import type {ExplorerSettings} from '../../source/explorer/session.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
afterEach(() => cleanup());

async function press(stdin: {write: (s: string) => void}, ...keys: string[]) {
	for (const key of keys) {
		stdin.write(key);
		await tick();
	}
}

const frameOf = (lastFrame: () => string | undefined) => stripAnsi(lastFrame() ?? '');

const OTHER_TEXT = 'the dragon sleeps in the cave\nthe knight rides to the cave\nthe dragon wakes\n';

/** A folder with the animals model in artifacts/ (a copy of the shipped one) and another corpus. */
function workspace(): {dir: string; other: string; artifacts: string; outputs: string} {
	const dir = tempDir();
	cpSync(ARTIFACTS, join(dir, 'artifacts'), {recursive: true});
	const other = join(dir, 'dragons.txt');
	writeFileSync(other, OTHER_TEXT);
	return {dir, other, artifacts: join(dir, 'artifacts'), outputs: join(dir, 'outputs')};
}

/** Every file under `dir`, with its bytes. */
function filesOf(dir: string): Map<string, string> {
	const files = new Map<string, string>();
	for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name), 'latin1'));
	return files;
}

function fullSpeed(session: ExplorerSession): void {
	for (let i = 0; i < 10; i++) session.controller.faster();
}

function sessionIn(overrides: Partial<ExplorerSettings>, scheduler = new ManualScheduler()): {session: ExplorerSession; scheduler: ManualScheduler} {
	return {session: createSession(settings(overrides), scheduler), scheduler};
}

describe('the model the explorer uses', () => {
	it('on the animals corpus: the artifacts folder\'s model of it, named with corpus, epochs, lr and when it was trained', () => {
		const ws = workspace();
		const when = new Date(2026, 0, 2, 3, 4);
		utimesSync(join(ws.artifacts, '00_meta.json'), when, when);
		const {session} = sessionIn({corpusPath: ANIMALS, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs});
		const choice = modelInUse(session, session.controller.getSnapshot());
		expect(choice.inUse?.origin).toBe('disk');
		expect(describeModel(choice.inUse!)).toBe(`context-2 of 001_animals.txt · 50 epochs · lr 0.1 · trained ${formatWhen(when)} · ${ws.artifacts}/`);
		expect(formatWhen(when)).toBe('2026-01-02 03:04');
	});

	it('on another corpus: not the artifacts folder\'s model of the animals, until the learner chooses it', async () => {
		const ws = workspace();
		const {session} = sessionIn({corpusPath: ws.other, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs});
		const prompt = promptModel(session, session.controller.getSnapshot());
		expect(prompt.model).toBeNull();
		expect(prompt.error).toBe(`no model of dragons.txt yet: train one in stage 4 (o uses the model of another corpus, 001_animals.txt, in ${ws.artifacts}/)`);

		// The learner's explicit choice: o on the prompt stage.
		const app = render(<App session={session} initialStage="prompt" />);
		await tick();
		await press(app.stdin, '\u001B', 'o');
		const choice = modelInUse(session, session.controller.getSnapshot());
		expect(choice.inUse?.sameCorpus).toBe(false);
		expect(frameOf(app.lastFrame)).toContain('context-2 of ANOTHER corpus, 001_animals.txt');
	});

	it('looks in the artifacts folder, the folder named after the corpus beside it, then the shipped artifacts', () => {
		const s = settings({corpusPath: '/texts/my book.txt', artifactsToRead: 'runs/a', artifactsDir: 'runs/a'});
		expect(modelFolders(s).slice(0, 2)).toEqual(['runs/a', 'runs/a-my_book']);
		expect(modelFolders(s)[2]).toMatch(/[\\/]artifacts$/);
	});

	it('the model stage draws the model in use (not the untrained run) and names it', async () => {
		const {session} = sessionIn({});
		const app = render(<App session={session} initialStage="model" />);
		await tick();
		const frame = frameOf(app.lastFrame);
		expect(frame).not.toContain('before training every weight is 0');
		expect(frame).toContain('context-2 of 001_animals.txt · 50 epochs · lr 0.1');
	});
});

describe('where a run in the explorer writes', () => {
	it('the folders asked for when they are free or hold a model of this corpus', () => {
		const ws = workspace();
		const animals = readCorpusFile(ANIMALS);
		expect(runFolders(ws.artifacts, ws.outputs, animals)).toEqual({artifactsDir: ws.artifacts, outputsDir: ws.outputs});
		const empty = join(ws.dir, 'fresh');
		expect(runFolders(empty, ws.outputs, animals)).toEqual({artifactsDir: empty, outputsDir: ws.outputs});
	});

	it('never over the model of another corpus: a run on dragons.txt goes to artifacts-dragons/ and outputs-dragons/', () => {
		const ws = workspace();
		const before = filesOf(ws.artifacts);
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({corpusPath: ws.other, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs, epochs: 3}, scheduler);
		fullSpeed(session);
		session.controller.toggle();
		scheduler.run();
		const train = session.controller.getSnapshot();
		expect(train.status).toBe('done');
		expect(train.written?.[0]).toBe(join(`${ws.artifacts}-dragons`, '01_vocabulary.csv'));
		expect(train.written).toContain(join(`${ws.outputs}-dragons`, 'train_log.csv'));
		expect(train.writeNote).toBe(`${ws.artifacts}/ holds the model of 001_animals.txt, kept as it is`);
		expect(filesOf(ws.artifacts)).toEqual(before);
		expect(existsSync(ws.outputs)).toBe(false);
		// A second folder that holds yet another corpus's model is skipped too.
		expect(runFolders(ws.artifacts, ws.outputs, {path: join(ws.dir, 'dragons.md'), sha256: 'f'.repeat(64)}).artifactsDir).toBe(`${ws.artifacts}-dragons-2`);
	});

	it('opened again on that corpus, the explorer finds that model', () => {
		const ws = workspace();
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({corpusPath: ws.other, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs, epochs: 3}, scheduler);
		fullSpeed(session);
		session.controller.toggle();
		scheduler.run();
		const {session: again} = sessionIn({corpusPath: ws.other, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs});
		const choice = modelInUse(again, again.controller.getSnapshot());
		expect(choice.inUse?.dir).toBe(`${ws.artifacts}-dragons`);
		expect(choice.inUse?.corpusName).toBe('dragons.txt');
		expect(choice.inUse?.epochs).toBe(3);
	});
});

describe('a finished run is kept', () => {
	async function finishedApp(epochs = 3) {
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({epochs}, scheduler);
		fullSpeed(session);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		session.controller.toggle();
		scheduler.run();
		await tick();
		return {session, scheduler, app};
	}

	it('r asks first; any other key keeps the model; y discards it', async () => {
		const {session, app} = await finishedApp();
		const weights = (session.controller.run.model as Model).rows.weights.slice();
		await press(app.stdin, 'r');
		// The question may wrap over its two lines.
		expect(frameOf(app.lastFrame).replace(/\s+/g, ' ')).toContain('Discard the model trained for 3 epochs and start a new run from zero? y discards, any other key keeps it');
		await press(app.stdin, 'x');
		expect(session.controller.getSnapshot().status).toBe('done');
		expect((session.controller.run.model as Model).rows.weights).toEqual(weights);
		expect(frameOf(app.lastFrame)).not.toContain('Discard the model');
		await press(app.stdin, 'r', 'y');
		expect(session.controller.run.epochsDone).toBe(0);
		expect((session.controller.run.model as Model).rows.weights.every((w) => w === 0)).toBe(true);
	});

	it('n, s and space on a finished run train on from it, never from zero', async () => {
		const {session, scheduler, app} = await finishedApp();
		await press(app.stdin, 'n');
		expect(session.controller.run.epochsDone).toBe(3);
		expect(session.controller.run.position).toBe(1);
		expect(session.controller.getSnapshot().epochsTarget).toBe(4);
		await press(app.stdin, 's');
		scheduler.run();
		expect(session.controller.run.epochsDone).toBe(4);
		await press(app.stdin, ' ');
		scheduler.run();
		expect(session.controller.run.epochsDone).toBe(14);
		expect(session.controller.getSnapshot().log.map((e) => e.epoch)).toEqual(Array.from({length: 14}, (_, i) => i + 1));
	});

	it('the prompt stage names this session\'s model once it has trained, with when it finished', async () => {
		const {session, app} = await finishedApp();
		await press(app.stdin, '5');
		const train = session.controller.getSnapshot();
		expect(frameOf(app.lastFrame)).toContain(`context-2 of 001_animals.txt · 3 epochs · lr 0.1 · trained ${formatWhen(train.finishedAt!)} in this session`);
	});
});

describe('continuing a finished run', () => {
	function trainedFiles(epochs: number, rates: Array<[epoch: number, rate: number]> = []): Map<string, string> {
		const dir = tempDir();
		const corpus = readCorpusFile(ANIMALS);
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
		for (let e = 1; e <= epochs; e++) {
			for (const [at, rate] of rates) if (at === e) run.setLearningRate(rate);
			run.epoch();
		}
		const schedule = run.learningRateSchedule;
		writeArtifacts({
			artifactsDir: join(dir, 'a'),
			outputsDir: join(dir, 'o'),
			model: run.model,
			corpus,
			settings: {learningRate: schedule[0]!.learningRate, epochs, learningRateSchedule: [...schedule]},
			pairCount: run.pairCount,
			log: run.log,
		});
		return new Map([...filesOf(join(dir, 'a')), ...filesOf(join(dir, 'o'))]);
	}

	function explorerFiles(session: ExplorerSession): Map<string, string> {
		return new Map([...filesOf(session.settings.artifactsDir), ...filesOf(session.settings.outputsDir)]);
	}

	it('50 epochs, then E and space for 10 more, writes exactly the bytes of a 60-epoch run', async () => {
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({epochs: 50}, scheduler);
		fullSpeed(session);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		await press(app.stdin, ' ');
		scheduler.run();
		expect(explorerFiles(session)).toEqual(trainedFiles(50));
		await press(app.stdin, 'E');
		expect(session.controller.getSnapshot().epochsTarget).toBe(60);
		await press(app.stdin, ' ');
		scheduler.run();
		expect(session.controller.getSnapshot().status).toBe('done');
		const files = explorerFiles(session);
		expect(files).toEqual(trainedFiles(60));
		expect(files.get('00_meta.json')).toContain('"epochs": 60,');
		expect(files.get('train_log.csv')!.trim().split('\n')).toHaveLength(61);
	});

	it('a learning rate changed with L is recorded in the added key learning_rate_schedule; the series\' keys keep the first rate', async () => {
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({epochs: 5}, scheduler);
		fullSpeed(session);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		await press(app.stdin, ' ');
		scheduler.run();
		await press(app.stdin, 'L', 'E', ' ');
		scheduler.run();
		expect(session.controller.run.epochsDone).toBe(6);
		const files = explorerFiles(session);
		expect(files).toEqual(trainedFiles(6, [[6, 0.2]]));
		const meta = JSON.parse(files.get('00_meta.json')!);
		expect(meta.training.learning_rate).toBe(0.1);
		expect(meta.learning_rate_schedule).toEqual([
			{from_epoch: 1, from_pair: 1, learning_rate: 0.1},
			{from_epoch: 6, from_pair: 1, learning_rate: 0.2},
		]);
		// Only a key added: everything else reads as a plain run's meta file
		// (but for the manifest: the weights, and so their hashes, differ).
		const {manifest: __, ...plain} = JSON.parse(trainedFiles(6).get('00_meta.json')!);
		const {learning_rate_schedule: _, manifest: ___, ...rest} = meta;
		expect(rest).toEqual(plain);
		expect(trainedFiles(6).get('00_meta.json')).not.toContain('learning_rate_schedule');
	});

	it('e lowers the epochs of a run in progress to those done: it finishes and writes there', () => {
		const scheduler = new ManualScheduler();
		const {session} = sessionIn({epochs: 50}, scheduler);
		const {controller} = session;
		controller.oneEpoch();
		scheduler.run();
		controller.oneEpoch();
		scheduler.run();
		expect(controller.getSnapshot().status).toBe('paused');
		controller.setEpochs(1);
		expect(controller.getSnapshot().epochsTarget).toBe(2);
		expect(controller.getSnapshot().status).toBe('done');
		expect(controller.getSnapshot().written).toHaveLength(5);
	});
});

describe('the toy-gpt series in the explorer', () => {
	it('the prompt stage reads "The owl" as the series does, gives the answer of "the owl", and says why', async () => {
		const {session} = sessionIn({});
		const app = render(<App session={session} initialStage="prompt" />);
		await tick();
		await press(app.stdin, 'i');
		await press(app.stdin, 'The owl');
		const upper = frameOf(app.lastFrame);
		await press(app.stdin, '\u0015', 'the owl');
		const lower = frameOf(app.lastFrame);
		const candidates = (frame: string) => frame.split('\n').filter((line) => /^\s{3}\S+\s+\d+\.\d%/.test(line));
		expect(candidates(upper)).toEqual(candidates(lower));
		expect(candidates(upper)[0]).toMatch(/^\s+hunts\s+43\.4%/);
		expect(upper.replace(/\s+/g, ' ')).toContain('Prompt read in lower case ("The" as "the"), as the toy-gpt series reads a prompt');
		expect(lower).not.toContain('read in lower case');
	});

	it('a set without our added keys is used, and named as a toy-gpt series set that could not be verified', () => {
		const ws = workspace();
		const metaPath = join(ws.artifacts, '00_meta.json');
		const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
		for (const key of ['manifest', 'context_size', 'weights_format', 'num_tokens', 'num_training_pairs', 'num_seen_contexts']) delete meta[key];
		writeFileSync(metaPath, JSON.stringify(meta, null, 2));
		const {session} = sessionIn({corpusPath: ANIMALS, artifactsToRead: ws.artifacts, artifactsDir: ws.artifacts, outputsDir: ws.outputs});
		const choice = modelInUse(session, session.controller.getSnapshot());
		expect(describeModel(choice.inUse!)).toMatch(/· a set without a manifest, not verified$/);
	});

	it('after a run whose vocabulary holds a comma, the train stage says the series\' client cannot load it', async () => {
		const scheduler = new ManualScheduler();
		const dir = tempDir();
		const corpusPath = join(dir, 'commas.txt');
		writeFileSync(corpusPath, 'one, two, three and four, five\n');
		const {session} = sessionIn({corpusPath, epochs: 2, artifactsToRead: join(dir, 'none'), artifactsDir: join(dir, 'a'), outputsDir: join(dir, 'o')}, scheduler);
		fullSpeed(session);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		await press(app.stdin, ' ');
		scheduler.run();
		await tick();
		expect(frameOf(app.lastFrame).replace(/\s+/g, ' ')).toContain('Note: the toy-gpt series\' client cannot load this vocabulary: the token "four," holds a comma');
	});
});

describe('no model yet, at the minimum size', () => {
	it('the prompt stage says whole, at 60 columns, that a run in stage 4 answers here', async () => {
		const dir = tempDir();
		const corpusPath = join(dir, 'words.txt');
		writeFileSync(corpusPath, 'one two three one two four\n');
		const {session} = sessionIn({corpusPath, artifactsToRead: join(dir, 'none'), artifactsDir: join(dir, 'a'), outputsDir: join(dir, 'o')});
		const {lastFrame, unmount} = render(<PromptStageAt session={session} />);
		await tick();
		const frame = frameOf(lastFrame);
		unmount();
		expect(frame).toContain('A run in stage 4 answers here from its first step.');
	});
});

function PromptStageAt({session}: {session: ExplorerSession}) {
	return <PromptStage state={initialPromptState(session)} ctx={{session, train: session.controller.getSnapshot(), rows: 13, columns: 60}} />;
}
