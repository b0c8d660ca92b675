import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import {heatmapLines, shade, stepLines} from '../../source/explorer/stages/train/panels.js';
import {ManualScheduler, sessionOn} from './helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));
const frame = (app: {lastFrame: () => string | undefined}) => stripAnsi(app.lastFrame() ?? '');

afterEach(() => cleanup());

describe('the compare stage', () => {
	it('trains the four models when it opens and reads them for the prompt', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 30}, scheduler);
		const app = render(<App session={session} />);
		await tick();
		app.stdin.write('6');
		await tick();
		expect(frame(app)).toContain('[6 Compare]');
		expect(session.compare.getSnapshot().started).toBe(true);
		scheduler.run();
		await tick();
		app.stdin.write('i');
		await tick();
		app.stdin.write('the owl');
		await tick();
		const text = frame(app);
		for (const title of ['unigram (0)', 'bigram (1)', 'context-2', 'context-3']) expect(text).toContain(title);
		expect(text).toContain('row the|owl');
		expect(text).toContain('uniform: too short');
		expect(text).toMatch(/More context helps here: entropy falls from [\d.]+ bits \(the unigram\)/);
		expect(text).toContain('unigram ✓ · bigram ✓ · context-2 ✓ · context-3 ✓');
	});

	it('takes a model from the artifacts when they hold this corpus and training', async () => {
		const session = sessionOn(undefined, {epochs: 50});
		session.compare.start();
		expect(session.compare.getSnapshot().fromArtifacts).toEqual([false, false, true, false]);
		session.compare.dispose();
	});

	it('shares its prompt with the prompt stage', async () => {
		const app = render(<App session={sessionOn(undefined)} initialStage="prompt" />);
		await tick();
		app.stdin.write('eats the');
		await tick();
		app.stdin.write('\u001b');
		await tick();
		app.stdin.write('6');
		await tick();
		expect(frame(app)).toContain('Prompt   eats the');
	});
});

describe('step mode and the heatmap', () => {
	it('n trains one pair and shows it: pair, row, p - y, and that only this row changed', async () => {
		const session = sessionOn('a b c a b d a b c\n', {epochs: 3});
		const app = render(<App session={session} initialStage="train" />);
		await tick();
		app.stdin.write('n');
		await tick();
		const text = frame(app);
		expect(text).toContain('epoch 1, pair 1 of 7: "a b" → "c"');
		expect(text).toContain('row a|b (row 1 of 16)');
		expect(text).toMatch(/c ◀\s+0\.0000\s+0\.2500\s+-0\.7500\s+0\.0750/);
		expect(text).toContain('Only row a|b changed; 1 of 16 rows have ever been touched');
	});

	it('stepping a whole epoch gives exactly the weights of one epoch', async () => {
		const stepped = sessionOn('a b c a b d a b c b a d\n', {epochs: 5});
		const whole = sessionOn('a b c a b d a b c b a d\n', {epochs: 5});
		for (let i = 0; i < stepped.controller.run.pairCount; i++) stepped.controller.step();
		whole.controller.run.epoch();
		expect(Array.from(stepped.controller.run.model.rows.weights)).toEqual(Array.from(whole.controller.run.model.rows.weights));
		expect(stepped.controller.run.log).toEqual(whole.controller.run.log);
	});

	it('the step panel lists the target first, then the largest gradients', () => {
		const session = sessionOn('a b c a b d a b c\n', {epochs: 3});
		const detail = session.controller.step();
		const lines = stepLines(detail, session.controller.run.model, 1, 7, 80, 10);
		expect(lines[3]).toMatch(/^c ◀/);
	});

	it('shades probabilities with blocks, readable without colour', () => {
		expect([0.6, 0.3, 0.15, 0.05, 0.001].map(shade).join('')).toBe('█▓▒░·');
		const session = sessionOn('a b c a b c a b c\n', {epochs: 3, context: 1});
		for (let e = 0; e < 3; e++) session.controller.run.epoch();
		const lines = heatmapLines(session.controller.run.model, 0, 40, 10);
		// After "a" always comes "b": the row a has its darkest cell under b.
		const row = lines.find((l) => l.startsWith('a '))!;
		expect(row).toBeDefined();
		expect(lines[1]!.trim()).toBe('abc');
		expect(row.trim().slice(-3)).toMatch(/^.[▓█▒]/);
	});
});
