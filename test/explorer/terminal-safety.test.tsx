/**
 * A corpus full of escape sequences, control characters and bidirectional
 * overrides: in every stage of the explorer they are shown escaped, so none
 * of the corpus's own sequences reaches the terminal.
 */
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../source/explorer/app.js';
import {ManualScheduler, sessionOn} from './helpers.js';

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
