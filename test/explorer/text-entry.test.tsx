/**
 * Text entry in the explorer as a person meets it: pastes, keys that arrive
 * together, Backspace on wide characters, and knowing when keys are text.
 */
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import type {StageId} from '../../source/explorer/keymap.js';
import {sessionOn} from './helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

afterEach(() => cleanup());

async function open(stage: StageId, onQuit?: (code: number) => void) {
	const app = render(<App session={sessionOn(undefined)} initialStage={stage} onQuit={onQuit} />);
	await tick();
	const send = async (...chunks: string[]) => {
		for (const chunk of chunks) {
			app.stdin.write(chunk);
			await tick();
		}
	};
	const lines = () => stripAnsi(app.lastFrame() ?? '').split('\n');
	/** The prompt as the screen shows it, cursor and « » included. */
	const prompt = () => (lines().find((l) => l.startsWith('Prompt')) ?? '').replace(/^Prompt [›\s]\s/, '').trimEnd();
	return {app, send, lines, prompt};
}

describe('pasted text', () => {
	it('a bracketed paste keeps its tabs and line breaks as spaces, and opens text entry', async () => {
		const {send, prompt} = await open('prompt');
		await send('\u001b[200~the\tcat\r\nsat\u001b[201~');
		expect(prompt()).toBe('the cat sat█');
	});

	it('a paste from a terminal without bracketed paste keeps words apart', async () => {
		const {send, prompt} = await open('prompt');
		await send('i', 'the\tcat\nsat');
		expect(prompt()).toBe('the cat sat█');
	});

	it('a paste on the compare stage goes into its prompt, not into its keys', async () => {
		const {send, lines} = await open('compare');
		await send('\u001b[200~q 1\tthe\u001b[201~');
		expect(lines()[0]).toContain('[6 Compare]');
		expect(lines().join('\n')).toContain('Prompt › q 1 the█');
	});
});

describe('a paste where there is no text to type', () => {
	it('is ignored on the corpus stage: a pasted "q4" neither quits nor changes stage', async () => {
		const quits: number[] = [];
		const {send, lines} = await open('corpus', (code) => quits.push(code));
		await send('\u001b[200~q4\u001b[201~');
		expect(lines()[0]).toContain('[1 Corpus]');
		expect(quits).toEqual([]);
	});
});

describe('keys that arrive together', () => {
	it('three Backspaces sent at once delete three characters', async () => {
		const {send, prompt} = await open('prompt');
		await send('i', 'the owl');
		await send('\u007f\u007f\u007f');
		expect(prompt()).toBe('the █');
	});

	it('"i" followed at once by C-u starts typing and clears the prompt', async () => {
		const {send, prompt} = await open('prompt');
		await send('i', 'the owl', '\u001b');
		expect(prompt()).toBe('the owl');
		await send('i\u0015');
		expect(prompt()).toBe('█');
	});
});

describe('Esc and a key at once', () => {
	it('Esc then "m" sent together stops typing and switches to sampling', async () => {
		const {send, lines, prompt} = await open('prompt');
		await send('i', 'the owl');
		await send('\u001bm');
		expect(prompt()).toBe('the owl');
		expect(lines().join('\n')).toContain('Decoding sample');
	});
});

describe('Backspace deletes one visible character', () => {
	it('in the prompt, a family emoji goes whole', async () => {
		const {send, prompt} = await open('prompt');
		await send('i', 'the 👩‍👩‍👧');
		await send('\u007f');
		expect(prompt()).toBe('the █');
	});

	it('in the compare stage\'s prompt too', async () => {
		const {send, lines} = await open('compare');
		await send('i', 'the 👩‍👩‍👧', '\u007f');
		expect(lines().find((l) => l.startsWith('Prompt'))?.trimEnd()).toBe('Prompt › the █');
	});

	it('and in the vocabulary filter', async () => {
		const {send, lines} = await open('vocab');
		await send('/', 'e\u0301', '\u007f', 'ow');
		const text = lines().join('\n');
		expect(text).toContain('filter "ow"');
	});
});

describe('knowing when keys are text', () => {
	it('Shift+Tab to the prompt stage, then 3 and G, moves to the Model stage instead of typing "3G"', async () => {
		const {send, lines} = await open('compare');
		await send('\u001b[Z');
		expect(lines()[0]).toContain('[5 Prompt]');
		expect(lines().join('\n')).toContain('not typing — press i or Enter to type');
		await send('3', 'G');
		expect(lines()[0]).toContain('[3 Model]');
	});

	it('the screen says which mode it is in, and ?, q and digits do what the footer says in each, at 80 and 60 columns', async () => {
		for (const columns of [80, 60]) {
			const {app, send, lines} = await open('prompt');
			const stdout = (app as unknown as {stdout: {columns: number; emit: (e: string) => void}}).stdout;
			Object.defineProperty(stdout, 'columns', {get: () => columns});
			stdout.emit('resize');
			await tick();
			expect(lines().at(-1)).toContain('Enter/i type');
			expect(lines().at(-1)).toContain('? help');
			expect(lines().at(-1)).toContain('q quit');
			await send('i');
			expect(lines().at(-1)).toContain('Esc stop typing');
			expect(lines().at(-1)).toContain('Tab next stage');
			expect(lines().at(-1)).not.toContain('? help');
			app.unmount();
		}
		const quits: number[] = [];
		const {send, lines} = await open('prompt', (code) => quits.push(code));
		expect(lines().at(-1)).toContain('? help');
		await send('?');
		expect(lines().join('\n')).toContain('Esc or ? closes this help');
		await send('\u001b', 'i');
		expect(lines().join('\n')).toContain('typing — Esc to stop');
		expect(lines().at(-1)).not.toContain('? help');
		await send('q', '1', '?');
		expect(lines().join('\n')).toContain('Prompt › q1?█');
		expect(quits).toEqual([]);
		await send('\u001b', 'q');
		expect(quits).toEqual([0]);
	});

	it('the vocabulary filter too: left open, it is closed on return, its text kept, and 3 moves on', async () => {
		const {send, lines} = await open('vocab');
		await send('/', 'ca', '\t', '\u001b[Z');
		expect(lines()[0]).toContain('[2 Vocabulary]');
		expect(lines().join('\n')).toContain('filter "ca"');
		await send('3');
		expect(lines()[0]).toContain('[3 Model]');
	});

	it('leaving the prompt stage while typing and coming back finds it not typing', async () => {
		const {send, lines} = await open('prompt');
		await send('i', 'the', '\t', '\u001b[Z');
		expect(lines()[0]).toContain('[5 Prompt]');
		expect(lines().join('\n')).toContain('not typing');
		await send('4');
		expect(lines()[0]).toContain('[4 Train]');
	});
});
