import type {Model} from '../../source/models/table/model.js';
import type {StepDetail} from '../../source/models/table/run.js';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import {heatmapLines, shade, signed, stepLines} from '../../source/explorer/stages/train/panels.js';
import {contextOf, ManualScheduler, sessionOn} from './helpers.js';
import {CompareStage} from '../../source/explorer/stages/compare/view.js';
import {TrainingRun} from '../../source/models/table/run.js';
import type {Scheduler} from '../../source/explorer/train-controller.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));
const frame = (app: {lastFrame: () => string | undefined}) => stripAnsi(app.lastFrame() ?? '');

afterEach(() => cleanup());

describe('the compare stage', () => {
	/** The explorer on the animals corpus (30 epochs: no model from the artifacts) with the compare stage open. */
	async function openCompare() {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 30}, scheduler);
		const app = render(<App session={session} />);
		await tick();
		app.stdin.write('6');
		await tick();
		const typePrompt = async (prompt: string) => {
			app.stdin.write('i');
			await tick();
			app.stdin.write(prompt);
			await tick();
			return frame(app);
		};
		return {scheduler, session, app, typePrompt};
	}

	it('trains the four models when it opens and reads them for the prompt', async () => {
		const {scheduler, session, app, typePrompt} = await openCompare();
		expect(frame(app)).toContain('[6 Compare]');
		expect(session.compare.getSnapshot().started).toBe(true);
		scheduler.run();
		await tick();
		const text = await typePrompt('the owl');
		for (const title of ['unigram (0)', 'bigram (1)', 'context-2', 'context-3']) expect(text).toContain(title);
		expect(text).toContain('row the|owl');
		expect(text).toContain('uniform: too short');
		// After 30 epochs at lr 0.1 the longer contexts' losses still fall by more than 1% over the last 3 epochs: no conclusion yet.
		expect(text.replace(/\s+/g, ' ')).toMatch(/Still training, no conclusion yet: .*context-3's( loss)? fell [\d.]+% over (its|their) last 3 epochs/);
		expect(text).not.toMatch(/helps here|does not help/);
		expect(text).toContain('30 epochs, lr 0.1 (embeddings, attention lr 0.01): every model trained');
	});

	it('reads the models that are ready while the others still train', async () => {
		const {scheduler, session, app, typePrompt} = await openCompare();
		expect(frame(app)).toContain('The comparison is read once two models are ready.');
		scheduler.run(Infinity, 2); // context-3, then context-2
		await tick();
		const text = (await typePrompt('eats the')).replace(/\s+/g, ' ');
		expect(text).toContain('training 0/30');
		expect(text).toContain('row eats|the');
		expect(text).toContain('(So far: the unigram and the bigram are still training.)');
		session.compare.dispose();
	});

	it('trains the longest context first, the cheapest, and the unigram last', () => {
		const scheduler = new ManualScheduler();
		// Not the artifacts' corpus, so all four train.
		const session = sessionOn('the cat sat on the mat and the dog sat on the rug\n', {epochs: 5}, scheduler);
		session.compare.start();
		const epochsAfter = (tasks: number) => {
			scheduler.run(Infinity, tasks);
			return session.compare.getSnapshot().epochs;
		};
		// The manual clock stands still, so each slice finishes its model.
		expect(epochsAfter(1)).toEqual([0, 0, 0, 5]);
		expect(epochsAfter(1)).toEqual([0, 0, 5, 5]);
		expect(epochsAfter(1)).toEqual([0, 5, 5, 5]);
		expect(epochsAfter(1)).toEqual([5, 5, 5, 5]);
		session.compare.dispose();
	});

	it('sizes its chunks of pairs by time, down to one pair, so a wide row cannot hold the keys up', () => {
		// A clock where every chunk takes 5 ms: chunks halve from 64 pairs to 1 and each slice stops at 8 ms.
		let time = 0;
		const tasks: Array<() => void> = [];
		const slow: Scheduler = {
			now: () => (time += 5),
			later: (fn) => {
				tasks.push(fn);
				return () => {};
			},
		};
		const session = sessionOn(undefined, {epochs: 2}, slow);
		const sizes: number[] = [];
		const advance = vi.spyOn(TrainingRun.prototype, 'advance').mockImplementation(function (this: TrainingRun, maxPairs: number) {
			sizes.push(maxPairs);
			return undefined;
		});
		try {
			session.compare.start();
			for (let i = 0; i < 10 && tasks.length > 0; i++) tasks.shift()!();
		} finally {
			advance.mockRestore();
			session.compare.dispose();
		}
		expect(sizes.slice(0, 8)).toEqual([64, 32, 16, 8, 4, 2, 1, 1]);
		expect(Math.max(...sizes)).toBe(64);
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
		app.stdin.write('i');
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
		expect(text).toContain('changed; 1 of 16 rows have ever been touched');
		expect(text).toContain('predicted "a"');
	});

	it('stepping a whole epoch gives exactly the weights of one epoch', async () => {
		const stepped = sessionOn('a b c a b d a b c b a d\n', {epochs: 5});
		const whole = sessionOn('a b c a b d a b c b a d\n', {epochs: 5});
		for (let i = 0; i < stepped.controller.run.pairCount; i++) stepped.controller.step();
		whole.controller.run.epoch();
		expect(Array.from((stepped.controller.run.model as Model).rows.weights)).toEqual(Array.from((whole.controller.run.model as Model).rows.weights));
		expect(stepped.controller.run.log).toEqual(whole.controller.run.log);
	});

	it('the step panel lists the target first, then the largest gradients', () => {
		const session = sessionOn('a b c a b d a b c\n', {epochs: 3});
		const detail = session.controller.step();
		const lines = stepLines(detail as StepDetail, session.controller.run.model as Model, 1, 7, 80, 10);
		expect(lines[3]).toMatch(/^c ◀/);
	});

	it('the step panel never prints -0.0000: a value that rounds to zero has no sign', () => {
		expect(signed(-0.00001)).toBe(' 0.0000');
		expect(signed(-0.5)).toBe('-0.5000');
		expect(signed(0.0999)).toBe(' 0.0999');
	});

	it('shades probabilities with blocks, readable without colour', () => {
		expect([0.6, 0.3, 0.15, 0.05, 0.001].map(shade).join('')).toBe('█▓▒░·');
		const session = sessionOn('a b c a b c a b c\n', {epochs: 3, context: 1});
		for (let e = 0; e < 3; e++) session.controller.run.epoch();
		const lines = heatmapLines(session.controller.run.model as Model, 0, 40, 10);
		// After "a" always comes "b": the row a has its darkest cell under b.
		const row = lines.find((l) => l.startsWith('a '))!;
		expect(row).toBeDefined();
		// 3 tokens in 31 columns: 3 cells each, after the 8-column label and a space.
		const cellsOf = (k: number) => row.slice(9 + 3 * k, 12 + 3 * k);
		const darkness = '·░▒▓█';
		expect(new Set(cellsOf(1)).size).toBe(1);
		expect(darkness.indexOf(cellsOf(1)[0]!)).toBeGreaterThan(darkness.indexOf(cellsOf(0)[0]!));
		expect(darkness.indexOf(cellsOf(1)[0]!)).toBeGreaterThanOrEqual(darkness.indexOf(cellsOf(2)[0]!));
	});

	it('names the cursor column: ←→ move a ▼ over the columns and the line above says which token it is', () => {
		const session = sessionOn('a b c a b c a b c\n', {epochs: 3, context: 1});
		const model = session.controller.run.model as Model;
		// a, b and c are equally frequent: the columns go by id, a b c.
		const first = heatmapLines(model, 0, 40, 10, 0);
		expect(first[1]).toContain('column 1: "a" (id 0)');
		const second = heatmapLines(model, 0, 40, 10, 1);
		expect(second[1]).toContain('column 2: "b" (id 1)');
		// 3 tokens in 31 columns: 3 cells each; the ▼ sits over the middle of the second token's cells (label 8 + 1, then 3 + 1).
		const row = second.find((l) => l.startsWith('a '))!;
		expect(row).toHaveLength(8 + 1 + 9);
		expect(second[2]!.indexOf('▼')).toBe(8 + 1 + 3 + 1);
		// Past the last column the cursor stays on it.
		expect(heatmapLines(model, 0, 40, 10, 99)[1]).toContain('column 3: "c" (id 2)');
	});
});

describe('compare columns and ties', () => {
	it('tokens tied at one probability are one line per column, with how many', () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 5}, scheduler);
		session.compare.start();
		scheduler.run();
		const {lastFrame, unmount} = render(<CompareStage ctx={contextOf(session, 21, 80)} text="the owl" typing={false} columnsView compare={session.compare.getSnapshot()} />);
		const frame = stripAnsi(lastFrame() ?? '');
		unmount();
		session.compare.dispose();
		// context-3 has no row for a 2-token prompt: all 47 tokens tie.
		expect(frame).toContain('… 47 at 2.1% each');
		expect(frame).not.toMatch(/an\s+2\.1%/);
	});
});
