import React from 'react';
import {describe, expect, it, afterEach} from 'vitest';
import {render, cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import {ManualScheduler, sessionOn, settings} from './helpers.js';
import {createSession} from '../../source/explorer/session.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

async function press(stdin: {write: (s: string) => void}, ...keys: string[]) {
	for (const key of keys) {
		stdin.write(key);
		await tick();
	}
}

function frame(lastFrame: () => string | undefined): string[] {
	return stripAnsi(lastFrame() ?? '').split('\n');
}

afterEach(() => cleanup());

describe('the explorer app', () => {
	it('opens on the corpus stage, fits 100x24 (23 rows), and shows the keys', async () => {
		const app = render(<App session={sessionOn(undefined)} />);
		await tick();
		const lines = frame(app.lastFrame);
		expect(lines[0]).toContain('[1 Corpus]');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(100);
		expect(lines.at(-1)).toContain('Tab next stage');
		expect(lines.at(-1)).toContain('q quit');
	});

	it('Tab and Shift+Tab move between stages, wrapping around; digits jump', async () => {
		const app = render(<App session={sessionOn(undefined)} />);
		await tick();
		await press(app.stdin, '\t');
		expect(frame(app.lastFrame)[0]).toContain('[2 Vocabulary]');
		await press(app.stdin, '\u001b[Z', '\u001b[Z');
		expect(frame(app.lastFrame)[0]).toContain('[6 Compare]');
		await press(app.stdin, '\t');
		expect(frame(app.lastFrame)[0]).toContain('[1 Corpus]');
		await press(app.stdin, '3');
		expect(frame(app.lastFrame)[0]).toContain('[3 Model]');
		await press(app.stdin, '4');
		expect(frame(app.lastFrame)[0]).toContain('[4 Train]');
		expect(frame(app.lastFrame).at(-1)).toContain('space start/pause');
	});

	it('? opens the help with every stage\'s keys and Esc closes it', async () => {
		const app = render(<App session={sessionOn(undefined)} />);
		await tick();
		await press(app.stdin, '?');
		const help = frame(app.lastFrame).join('\n');
		expect(help).toContain('Keys');
		for (const title of ['Everywhere', '1 Corpus', '2 Vocabulary', '3 Model', '4 Train', '5 Prompt']) expect(help).toContain(title);
		expect(help).toContain('start/pause');
		await press(app.stdin, '\u001b');
		await tick();
		expect(frame(app.lastFrame).join('\n')).not.toContain('Esc or ? closes');
	});

	it('while typing a prompt, digits, q and ? are text; Tab still moves on', async () => {
		const quits: number[] = [];
		const app = render(<App session={sessionOn(undefined)} initialStage="prompt" onQuit={(c) => quits.push(c)} />);
		await tick();
		await press(app.stdin, 'i', 'q', '1', '?');
		const lines = frame(app.lastFrame);
		expect(lines[0]).toContain('[5 Prompt]');
		expect(lines.find((l) => l.startsWith('Prompt'))).toContain('q1?');
		expect(quits).toEqual([]);
		await press(app.stdin, '\t');
		expect(frame(app.lastFrame)[0]).toContain('[6 Compare]');
	});

	it('shows live probabilities for the typed prompt and appends a continuation on Enter', async () => {
		const app = render(<App session={sessionOn(undefined)} initialStage="prompt" />);
		await tick();
		await press(app.stdin, 'i', 't', 'h', 'e', ' ', 'o', 'w', 'l');
		let text = frame(app.lastFrame).join('\n');
		expect(text).toContain('row the|owl');
		expect(text).toMatch(/hunts\s+43\.4%/);
		await press(app.stdin, '\r');
		text = frame(app.lastFrame).join('\n');
		expect(text).toContain('the owl «hunts the mouse at night');
	});

	it('trains from the train stage and draws the loss chart', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 6}, scheduler);
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		expect(frame(app.lastFrame).join('\n')).toContain('epoch 0/6');
		await press(app.stdin, ' ');
		scheduler.run();
		await tick();
		const text = frame(app.lastFrame).join('\n');
		expect(text).toContain('epoch 6/6');
		expect(text).toContain('┤');
		expect(text).toContain('wrote ');
		expect(text).toContain('finished');
	});

	it('q quits with status 0 when not typing', async () => {
		const quits: number[] = [];
		const app = render(<App session={sessionOn(undefined)} onQuit={(c) => quits.push(c)} />);
		await tick();
		await press(app.stdin, 'q');
		expect(quits).toEqual([0]);
	});

	it('says so instead of drawing a broken screen when the terminal is too small', async () => {
		const session = sessionOn(undefined);
		const app = render(<App session={session} />);
		await tick();
		// ink-testing-library's stdout is 100 columns wide; shrink it.
		const stdout = (app as unknown as {stdout: {columns: number; emit: (e: string) => void}}).stdout;
		Object.defineProperty(stdout, 'columns', {get: () => 40});
		stdout.emit('resize');
		await tick();
		expect(frame(app.lastFrame).join('\n')).toContain('Terminal too small: 40x24');
	});
});

describe('keys that arrive together', () => {
	it('a chunk "/ca" opens the vocabulary filter and types "ca" into it', async () => {
		const app = render(<App session={sessionOn(undefined)} initialStage="vocab" />);
		await tick();
		app.stdin.write('/ca');
		await tick();
		const text = frame(app.lastFrame).join('\n');
		expect(text).toContain('filter "ca"');
		expect(text).toMatch(/\bcat\b/);
		expect(text).not.toMatch(/\bowl\b/);
	});

	it('a chunk "4 " jumps to Train and starts it', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 3}, scheduler);
		const app = render(<App session={session} />);
		await tick();
		app.stdin.write('4 ');
		await tick();
		expect(frame(app.lastFrame)[0]).toContain('[4 Train]');
		expect(session.controller.getSnapshot().status).toBe('running');
	});
});

describe('the artifacts model', () => {
	it('loads after the first frame: the prompt says so meanwhile, then answers', async () => {
		const session = createSession(settings(), undefined, false);
		const app = render(<App session={session} initialStage="prompt" />);
		await tick();
		await press(app.stdin, 'i', 't', 'h', 'e', ' ', 'o', 'w', 'l');
		expect(frame(app.lastFrame).join('\n')).toContain('looking for a model of this corpus');
		session.artifacts.load();
		await tick();
		expect(frame(app.lastFrame).join('\n')).toContain('row the|owl');
	});
});
