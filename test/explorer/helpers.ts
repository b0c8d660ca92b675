/** Building explorer sessions on small corpora, without touching the repository's files. */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createSession, type ExplorerSession, type ExplorerSettings, type SessionRun} from '../../source/explorer/session.js';
import {ArtifactsStore} from '../../source/explorer/artifacts-store.js';
import {CompareModels} from '../../source/explorer/compare-models.js';
import {TrainController} from '../../source/explorer/train-controller.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {corpusFromBytes} from '../../source/text/corpus.js';
import type {ContextSize} from '../../source/models/table/model.js';
import type {Scheduler} from '../../source/explorer/train-controller.js';
import type {StageContext} from '../../source/explorer/stages/types.js';
import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {expect} from 'vitest';
import stripAnsi from 'strip-ansi';

export const ANIMALS = new URL('../../corpus/001_animals.txt', import.meta.url).pathname;
export const ARTIFACTS = new URL('../../artifacts', import.meta.url).pathname;

/** A scheduler whose clock only moves when the test says so. */
export class ManualScheduler implements Scheduler {
	time = 0;
	private tasks: Array<{at: number; fn: () => void; id: number}> = [];
	private nextId = 0;
	now(): number {
		return this.time;
	}
	later(fn: () => void, ms: number): () => void {
		const id = this.nextId++;
		this.tasks.push({at: this.time + Math.max(0, ms), fn, id});
		return () => {
			this.tasks = this.tasks.filter((t) => t.id !== id);
		};
	}
	get pending(): number {
		return this.tasks.length;
	}
	/** Run due tasks, advancing the clock to each, until `until` ms or no task is left. */
	run(until = Infinity, maxTasks = 100000): void {
		for (let i = 0; i < maxTasks; i++) {
			this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
			const task = this.tasks[0];
			if (!task || task.at > until) break;
			this.tasks.shift();
			this.time = Math.max(this.time, task.at);
			task.fn();
		}
		if (until !== Infinity) this.time = Math.max(this.time, until);
	}
}

export function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'toy-gpt-tui-test-'));
}

export function settings(overrides: Partial<ExplorerSettings> = {}): ExplorerSettings {
	const dir = tempDir();
	return {
		corpusPath: ANIMALS,
		context: 2,
		epochs: 50,
		learningRate: 0.1,
		artifactsDir: join(dir, 'artifacts'),
		artifactsToRead: ARTIFACTS,
		outputsDir: join(dir, 'outputs'),
		seed: 0,
		num: 10,
		topK: 0,
		...overrides,
	};
}

export function sessionOn(text: string | undefined, overrides: Partial<ExplorerSettings> = {}, scheduler?: Scheduler): ExplorerSession {
	let corpusPath = ANIMALS;
	if (text !== undefined) {
		corpusPath = join(tempDir(), 'corpus.txt');
		writeFileSync(corpusPath, text);
	}
	return createSession(settings({corpusPath, ...overrides}), scheduler);
}

export function contextOf(session: ExplorerSession, rows = 21, columns = 80): StageContext {
	return {session, train: session.controller.getSnapshot(), rows, columns};
}

/** A session on a text held in memory, with nothing read from or written to disk. */
export function bareSession(text: string, n: ContextSize = 2, path = 'test.txt'): ExplorerSession {
	const corpus = corpusFromBytes(path, Buffer.from(text));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, 0.1);
	const controller = new TrainController<SessionRun>({run, epochs: 3, write: () => ({files: []})});
	return {
		settings: {corpusPath: path, context: n, epochs: 3, learningRate: 0.1, artifactsDir: 'a', artifactsToRead: 'a', outputsDir: 'o', seed: 1, num: 1, topK: 1},
		corpus,
		controller,
		artifacts: new ArtifactsStore(['no-such-folder'], corpus.sha256),
		compare: new CompareModels(corpus, 1, 0.1, new ArtifactsStore(['no-such-folder'], corpus.sha256)),
		references: {uniform: Math.log(corpus.vocabulary.tokens.length), unigram: 0, conditional: 0},
	};
}

/** The last frame an element renders, as lines. */
export function frameLines(element: ReactElement): string[] {
	const {lastFrame, unmount} = render(element);
	const frame = lastFrame()!;
	unmount();
	return frame.split('\n');
}

/** No more lines than `rows`, none wider than `columns`. */
export function expectFits(lines: string[], rows: number, columns: number): void {
	expect(lines.length).toBeLessThanOrEqual(rows);
	for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
}

/** A frame within `columns` × `rows`: no more lines, none wider. */
export function expectWithin(frame: string, columns: number, rows: number): void {
	expectFits(frame.split('\n'), rows, columns);
}

/**
 * The whole explorer on a stage at a terminal size, on the animals corpus or
 * `text`, with `overrides`; with `train`, the session's run trained to the
 * end first (at full speed, on a manual scheduler). `press` writes each key
 * (an arrow's escape sequence whole) and waits for the frame.
 */
export async function openApp(stage: 'model' | 'train' | 'prompt' | 'compare', columns: number, rows: number, options: {readonly text?: string; readonly overrides: Partial<ExplorerSettings>; readonly train: boolean}) {
	const {App} = await import('../../source/explorer/app.js');
	const {createElement} = await import('react');
	const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
	const scheduler = new ManualScheduler();
	const session = sessionOn(options.text, options.overrides, scheduler);
	if (options.train) {
		for (let i = 0; i < 10; i++) session.controller.faster();
		session.controller.toggle();
		scheduler.run();
	}
	const view = render(createElement(App, {session, initialStage: stage}));
	const stdout = (view as unknown as {stdout: {emit: (e: string) => void}}).stdout;
	Object.defineProperty(stdout, 'columns', {get: () => columns, configurable: true});
	Object.defineProperty(stdout, 'rows', {get: () => rows, configurable: true});
	stdout.emit('resize');
	await tick();
	const frame = () => stripAnsi(view.lastFrame() ?? '');
	const press = async (keys: string) => {
		for (const key of keys.match(/\u001B\[[A-D]|[^]/gu) ?? []) {
			view.stdin.write(key);
			await tick();
		}
	};
	return {session, scheduler, view, frame, press};
}
