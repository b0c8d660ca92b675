/**
 * Every stage and overlay, rendered by the real app at 80x24, at the minimum
 * size 60x16 and at 120x40, on the animals corpus and on a text with
 * thousands of distinct words, some longer than 30 characters. Each frame
 * must fit (rows - 1 lines, none wider than the terminal), keep the keys to
 * get help and to quit (or, while typing, to stop typing) whole in the
 * footer, and show the stage's key facts whole (never cut with …).
 */
import type {Model} from '../../source/models/table/model.js';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {basename, dirname} from 'node:path';
import {App} from '../../source/explorer/app.js';
import type {StageId} from '../../source/explorer/keymap.js';
import type {ExplorerSession} from '../../source/explorer/session.js';
import {formatCount} from '../../source/explorer/text.js';
import {ManualScheduler, sessionOn} from './helpers.js';

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

const KEYS = {right: '\u001b[C', left: '\u001b[D', up: '\u001b[A', down: '\u001b[B', esc: '\u001b'};

/** A text with a few thousand distinct words, some of them 30 to 40 characters long (seeded, so always the same). */
export function wideText(): string {
	let seed = 12345;
	const random = () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
	const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sta', 'pho', 'tri', 'vel', 'zan', 'qui', 'dor', 'mes', 'ba', 'glu'];
	const word = (parts: number) => Array.from({length: parts}, () => syllables[Math.floor(random() * syllables.length)]).join('');
	const common = Array.from({length: 3000}, (_, i) => word(2 + (i % 4)));
	const long = Array.from({length: 12}, () => word(13));
	const lines: string[] = [];
	for (let l = 0; l < 600; l++) {
		const words: string[] = [];
		for (let w = 0; w < 12; w++) {
			const r = random();
			words.push(r < 0.2 ? long[Math.floor(random() * long.length)]! : r < 0.35 ? 'the' : common[Math.floor(random() * common.length)]!);
		}
		lines.push(words.join(' '));
	}
	return lines.join('\n') + '\n';
}

interface Shown {
	readonly lines: string[];
	readonly text: string;
	readonly footer: string;
}

type Size = readonly [columns: number, rows: number];

async function show(session: ExplorerSession, stage: StageId, [columns, rows]: Size, keys: string[] = [], scheduler?: ManualScheduler): Promise<Shown> {
	const app = render(<App session={session} initialStage={stage} />);
	const stdout = (app as unknown as {stdout: {emit: (e: string) => void}}).stdout;
	Object.defineProperty(stdout, 'columns', {get: () => columns, configurable: true});
	Object.defineProperty(stdout, 'rows', {get: () => rows, configurable: true});
	stdout.emit('resize');
	await tick();
	for (const key of keys) {
		if (key === 'RUN') {
			scheduler?.run();
			await tick(50);
			continue;
		}
		app.stdin.write(key);
		await tick();
	}
	scheduler?.run();
	await tick(30);
	const lines = stripAnsi(app.lastFrame() ?? '').split('\n');
	return {lines, text: lines.join('\n'), footer: lines.at(-1) ?? ''};
}

function expectFrameFits(shown: Shown, [columns, rows]: Size): void {
	expect(shown.lines.length, 'lines in the frame').toBeLessThanOrEqual(rows - 1);
	for (const line of shown.lines) expect(stringWidth(line), `width of "${line}"`).toBeLessThanOrEqual(columns);
}

/** Each fact appears whole, on one line or wrapped at spaces over several (a line cut with … never joins up). */
function expectFacts(shown: Shown, facts: readonly string[]): void {
	const joined = shown.lines.map((line) => line.trim()).join(' ');
	for (const fact of facts) expect(shown.text.includes(fact) || joined.includes(fact), `"${fact}" shown whole in\n${shown.text}`).toBe(true);
}

const SIZES: readonly Size[] = [
	[80, 24],
	[60, 16],
	[120, 40],
];

function expectHelpAndQuit(shown: Shown): void {
	expect(shown.footer).toContain('? help');
	expect(shown.footer).toContain('q quit');
}

afterEach(() => cleanup());

const corpora = [
	{name: 'the animals corpus', text: undefined as string | undefined},
	{name: 'a text of 3,000 distinct words, some 30+ characters long', text: wideText()},
];

for (const corpus of corpora) {
	describe(`every stage fits and keeps what matters whole, on ${corpus.name}`, () => {
		for (const size of SIZES) {
			const label = `${size[0]}x${size[1]}`;

			it(`corpus stage at ${label}: the token under the cursor, its counts, the keys`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const {corpus: c} = session;
				// The cursor on the first token of 30 characters or more (on the animals corpus, the second token).
				const long = c.ids.findIndex((id) => c.vocabulary.tokens[id]!.length >= 30);
				const at = long > 0 ? long : 1;
				const shown = await show(session, 'corpus', size, Array(at).fill(KEYS.right));
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const token = c.vocabulary.tokens[c.ids[at]!]!;
				expectFacts(shown, [`"${token}"`, `token ${at + 1} of ${formatCount(c.ids.length)}`, `${formatCount(c.ids.length)} tokens`, `vocabulary ${formatCount(c.vocabulary.tokens.length)}`]);
			});

			it(`vocabulary stage at ${label}: the highlighted token whole, the counts, the keys`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'vocab', size, ['f', KEYS.down]);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const v = session.corpus.vocabulary;
				const second = Array.from(v.frequencies.keys()).sort((a, b) => v.frequencies[b]! - v.frequencies[a]! || a - b)[1]!;
				expectFacts(shown, [`${formatCount(v.tokens.length)} distinct tokens`, 'showing 1-']);
				expect(shown.text).toMatch(new RegExp(`[ "]${v.tokens[second]!}[ "]`));
			});

			it(`vocabulary filter at ${label}: the filter typed, how to stop typing`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'vocab', size, ['/', 't', 'h']);
				expectFrameFits(shown, size);
				expect(shown.footer).toContain('Enter/Esc done');
				expectFacts(shown, ['filter: th']);
			});

			it(`model stage at ${label}: the weight total, the row's two most probable tokens, the keys`, async () => {
				const scheduler = new ManualScheduler();
				// Train first (on the train stage), then read the trained row at step 3 (the probabilities).
				const trained = sessionOn(corpus.text, {epochs: 2, context: 3}, scheduler);
				const shown = await show(trained, 'train', size, [' ', 'RUN', '3', KEYS.right, KEYS.right, KEYS.right], scheduler);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const model = trained.controller.run.model as Model;
				const weights = BigInt(model.V) ** 4n;
				const p = model.probabilities(0);
				const best = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
				expectFacts(shown, [formatCount(weights), model.vocabulary.tokens[best[0]!]!, model.vocabulary.tokens[best[1]!]!]);
			});

			it(`train stage, chart before a run at ${label}: where a run writes, the keys`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'train', size);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				expectFacts(shown, [`${session.settings.artifactsDir}/`, `${session.settings.outputsDir}/`]);
			});

			it(`train stage, chart after a finished run at ${label}: every file written, the loss in nats and its perplexity`, async () => {
				const scheduler = new ManualScheduler();
				const session = sessionOn(corpus.text, {epochs: 2}, scheduler);
				const shown = await show(session, 'train', size, [' ', 'RUN'], scheduler);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const snapshot = session.controller.getSnapshot();
				expect(snapshot.written?.length).toBeGreaterThan(0);
				const dirs = new Set(snapshot.written!.map((path) => dirname(path)));
				expectFacts(shown, [...dirs, ...snapshot.written!.map((path) => basename(path)), 'nats', 'perplexity']);
				if (size[0] >= 80) expect(shown.text).toMatch(/finished.* · loss [\d.]+ nats \(perplexity [\d.,]+\) · accuracy [\d.]+%/);
			});

			it(`train stage, one step at ${label}: the predicted token, the loss, the untouched rows`, async () => {
				const scheduler = new ManualScheduler();
				const session = sessionOn(corpus.text, {epochs: 2}, scheduler);
				const shown = await show(session, 'train', size, ['n'], scheduler);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const step = session.controller.getSnapshot().lastStep!;
				const tokens = session.corpus.vocabulary.tokens;
				expectFacts(shown, [`predicted "${tokens[step.predicted]!}"`, 'the rest are still all zero', 'nats']);
			});

			it(`train stage, heatmap at ${label}: the cursor's column named, the keys`, async () => {
				const scheduler = new ManualScheduler();
				const session = sessionOn(corpus.text, {epochs: 2}, scheduler);
				const shown = await show(session, 'train', size, [' ', 'RUN', 'h', KEYS.right], scheduler);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				const {tokens, frequencies} = session.corpus.vocabulary;
				const second = Array.from(frequencies.keys()).sort((a, b) => frequencies[b]! - frequencies[a]! || a - b)[1]!;
				expectFacts(shown, [`column 2: "${tokens[second]!}"`]);
			});

			it(`prompt stage, typing at ${label}: how to stop typing`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'prompt', size, ['i', 't', 'h', 'e']);
				expectFrameFits(shown, size);
				expect(shown.footer).toContain('Esc stop typing');
			});

			it(`compare stage, typing at ${label}: how to stop typing`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'compare', size, ['i', 't', 'h', 'e']);
				expectFrameFits(shown, size);
				expect(shown.footer).toContain('Esc stop typing');
				expect(shown.footer).toContain('C-c always quits');
			});

			it(`prompt stage, not typing at ${label}: the keys`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'prompt', size, [KEYS.esc]);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
			});

			it(`compare stage at ${label}: entropy in bits, the reading, the keys`, async () => {
				const scheduler = new ManualScheduler();
				const session = sessionOn(corpus.text, {epochs: 2, slowSeconds: 1}, scheduler);
				const shown = await show(session, 'compare', size, ['RUN', 'i', 't', 'h', 'e', KEYS.esc], scheduler);
				expectFrameFits(shown, size);
				expectHelpAndQuit(shown);
				expectFacts(shown, ['bits']);
			});

			it(`help overlay at ${label}: every description shown is whole, with this stage's keys and the global ones`, async () => {
				const session = sessionOn(corpus.text, {epochs: 2});
				const shown = await show(session, 'train', size, ['?']);
				expectFrameFits(shown, size);
				expect(shown.text).not.toContain('…');
				expect(shown.footer).toContain('q quit');
				expectFacts(shown, ['start/pause', 'one pair', 'next stage', 'quit', 'always quits', 'Esc']);
			});
		}
	});
}

describe('the too-small screen', () => {
	for (const size of [
		[50, 12],
		[59, 24],
		[80, 15],
	] as const) {
		it(`at ${size[0]}x${size[1]} says how big it must be and how to quit, whole`, async () => {
			const shown = await show(sessionOn(undefined), 'corpus', size);
			expectFrameFits(shown, size);
			expectFacts(shown, [`${size[0]}x${size[1]}`, '60x16', 'press q to quit']);
		});
	}
});

describe('the compare stage concludes only from settled models, in a sentence shown whole', () => {
	const readingOf = (shown: Shown): string => {
		const start = shown.lines.findIndex((line) => /^(Still training|More context|Only|Every model|No model|The comparison)/.test(line));
		expect(start, shown.text).toBeGreaterThan(0);
		const end = shown.lines.findIndex((line, i) => i > start && (line.trim() === '' || /^\d+ epochs, lr/.test(line)));
		return shown.lines.slice(start, end < 0 ? -1 : end).join(' ');
	};

	it('after 50 epochs at lr 0.1 on the animals corpus, context-3 is still training: no conclusion', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 50}, scheduler);
		const shown = await show(session, 'compare', [80, 24], ['RUN', 'i', ...'the cow eats the', KEYS.esc], scheduler);
		const reading = readingOf(shown);
		expect(reading).toMatch(/^Still training, no conclusion yet: .*context-3's( loss)? fell \d+\.\d% over (its|their) last 5 epochs/);
		expect(reading).not.toMatch(/does not help|helps here/);
		// Context-2 comes from the artifacts of this very corpus and training: no log to judge it by, and the screen says so.
		expect(reading).toContain('(context-2: from the artifacts, settled or not is not known.)');
		expect(reading).not.toContain('…');
	});

	it('after 600 epochs every model has settled and the reading concludes, without calling context-3 unhelpful', async () => {
		const scheduler = new ManualScheduler();
		// The reading is about the four tables: the vector models (600 epochs each, seconds on a busy machine) wait to be asked.
		const session = sessionOn(undefined, {epochs: 600, slowSeconds: 1}, scheduler);
		const shown = await show(session, 'compare', [80, 24], ['RUN', 'i', ...'the cow eats the', KEYS.esc], scheduler);
		const reading = readingOf(shown);
		expect(reading).not.toContain('Still training');
		expect(reading).toMatch(/^More context helps here/);
		expect(reading).not.toMatch(/context-3[^.;]*does not help|more words do not help/);
		expect(reading).not.toContain('…');
	});

	it('at 60x16 the reading is still whole', async () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 50}, scheduler);
		const shown = await show(session, 'compare', [60, 16], ['RUN', 'i', ...'the cow', KEYS.esc], scheduler);
		expectFrameFits(shown, [60, 16]);

		expect(readingOf(shown)).not.toContain("…");
	});
});
