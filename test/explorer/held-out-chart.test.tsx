/**
 * The loss chart with held-out text: both curves, told apart without colour
 * (single lines for training, double lines for held-out), ◆ at the lowest
 * held-out epoch, and the reference lines labelled; and the train stage
 * drawing them whole at 80x24.
 */
import React from 'react';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';
import {lossChartLines} from '../../source/explorer/components/loss-chart.js';
import {App} from '../../source/explorer/app.js';
import {ManualScheduler, sessionOn} from './helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('lossChartLines with a held-out curve and reference lines', () => {
	// Training falls all along; held-out falls to epoch 12, then rises (overfitting).
	const train = Array.from({length: 30}, (_, e) => 3 * Math.exp(-e / 8) + 0.4);
	const heldOut = Array.from({length: 30}, (_, e) => 2 + 0.002 * (e - 11) ** 2);
	const lines = lossChartLines({train, heldOut, references: [{label: 'ln V', value: 3.5}, {label: 'floor', value: 0.3}]}, 60, 14);

	it('is exactly the height asked for and never wider than the columns', () => {
		expect(lines).toHaveLength(14);
		for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
	});

	it('draws training in single lines and held-out in double lines', () => {
		const text = lines.join('\n');
		expect(text).toMatch(/[╭╮╰╯─]/);
		expect(text).toMatch(/[╔╗╚╝═]/);
	});

	it('puts one ◆ in the column of the lowest held-out epoch (12 of 30)', () => {
		const marks = lines.flatMap((line, row) => [...line].map((c, col) => (c === '◆' ? [row, col] : undefined)).filter(Boolean));
		expect(marks).toHaveLength(1);
		const axis = lines[0]!.search(/[┤┼]/);
		const plotWidth = 60 - 8 - 2;
		expect((marks[0] as number[])[1]! - axis - 1).toBe(Math.round((11 * (plotWidth - 1)) / 29));
	});

	it('draws each reference line dotted under its label, the top one on the first row and the bottom one on the last', () => {
		expect(lines[0]).toContain(' ln V ');
		expect(lines[0]).toContain('┄┄┄');
		expect(lines[13]).toContain(' floor ');
		expect(lines[0]!.trimStart().startsWith('3.500')).toBe(true);
		expect(lines[13]!.trimStart().startsWith('0.300')).toBe(true);
	});
});

describe('the train stage with --holdout', () => {
	async function trained(columns: number, rows: number): Promise<{frame: string; session: ReturnType<typeof sessionOn>}> {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {holdout: 0.2, epochs: 30}, scheduler);
		for (let i = 0; i < 10; i++) session.controller.faster();
		const app = render(<App session={session} initialStage="train" />);
		const stdout = (app as unknown as {stdout: {emit: (e: string) => void}}).stdout;
		Object.defineProperty(stdout, 'columns', {get: () => columns, configurable: true});
		Object.defineProperty(stdout, 'rows', {get: () => rows, configurable: true});
		stdout.emit('resize');
		await tick();
		session.controller.toggle();
		scheduler.run();
		await tick();
		const frame = stripAnsi(app.lastFrame() ?? '');
		app.unmount();
		return {frame, session};
	}

	it('at 80x24: both curves, the legend, the held-out columns and the lowest held-out epoch, within the screen', async () => {
		const {frame, session} = await trained(80, 24);
		const rows = frame.split('\n');
		expect(rows.length).toBeLessThanOrEqual(23);
		for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(80);
		expect(frame).toContain('── training: average before each step  ══ held-out: after the epoch  ◆ lowest');
		expect(frame).toMatch(/┄ ln V 3\.85 · unigram \d\.\d\d · floor \d\.\d\d: best a context-2 table can do \(nats\)/);
		expect(frame).toMatch(/epoch {2}train {3}held {2}h\.acc/);
		const best = session.controller.getSnapshot().heldOutLog.reduce((a, b) => (b.loss < a.loss ? b : a));
		expect(frame).toContain(`◆ lowest held: epoch ${best.epoch}`);
		expect(frame).toMatch(/held-out \d\.\d{4} nats \(perplexity [\d.]+\)/);
		expect(frame).toMatch(/[╔╗╚╝═]/);
		expect(frame).toMatch(/[╭╮╰╯]/);
	});

	it('at 60x16 and 120x40 the frame fits too, with the held-out perplexity in the side table at 120', async () => {
		for (const [columns, rows] of [
			[60, 16],
			[120, 40],
		] as const) {
			const {frame} = await trained(columns, rows);
			const lines = frame.split('\n');
			expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
			for (const line of lines) expect(stringWidth(line), `${columns}x${rows}: ${line}`).toBeLessThanOrEqual(columns);
			if (columns === 120) expect(frame).toMatch(/epoch {2}train {3}held perplex\. {2}h\.acc/);
			// At 60 columns the legend's shorter wording, each line whole, so the chart keeps its rows.
			if (columns === 60) {
				expect(lines).toContain('── training, before each step ══ held-out, after ◆ lowest');
				expect(lines).toContain('┄ ln V 3.85 · unigram 3.14 · floor 0.59 (nats)');
			}
		}
	});
});

describe('a saved model is this corpus\'s only with the same held-out part and order', () => {
	it('the shipped animals model (nothing held out, corpus order) is used without --holdout, offered but not used with it or with --shuffle', () => {
		const plain = sessionOn(undefined, {}, new ManualScheduler());
		plain.artifacts.load();
		expect(plain.artifacts.getSnapshot().status).toBe('loaded');
		for (const overrides of [{holdout: 0.2}, {shuffleSeed: 0}]) {
			const session = sessionOn(undefined, overrides, new ManualScheduler());
			session.artifacts.load();
			const state = session.artifacts.getSnapshot();
			expect(state.status, JSON.stringify(overrides)).toBe('none');
			if (state.status === 'none') expect(state.other?.otherSplit).toBe(true);
		}
	});
});

describe('the unigram beside the token frequencies (model stage, step 3)', () => {
	it('shows each token\'s share of the text beside its p, and says corpus-order SGD leans to the end of the text', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {context: 0, epochs: 20}, scheduler);
		for (let i = 0; i < 10; i++) session.controller.faster();
		session.controller.toggle();
		scheduler.run();
		const app = render(<App session={session} initialStage="model" />);
		const stdout = (app as unknown as {stdout: {emit: (e: string) => void}}).stdout;
		Object.defineProperty(stdout, 'columns', {get: () => 80, configurable: true});
		Object.defineProperty(stdout, 'rows', {get: () => 24, configurable: true});
		stdout.emit('resize');
		await tick();
		for (const key of ['\u001b[C', '\u001b[C', '\u001b[C']) {
			app.stdin.write(key);
			await tick();
		}
		const frame = stripAnsi(app.lastFrame() ?? '');
		expect(frame).toMatch(/token {6}score {5}−max {6}exp {8}p {2}in text/);
		// "the" is 94 of the 313 tokens: 30.03% of the text.
		expect(frame).toMatch(/the {7}[\d.]+ {3}0\.0000 {3}1\.0000 {3}[\d.]+% {3}30\.03%/);
		expect(frame.replace(/\s+/g, ' ')).toContain('"in text" is each token\'s share: corpus-order SGD favours the end (try --shuffle)');
		app.unmount();
	});
});
