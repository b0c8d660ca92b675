/**
 * The prompt stage as a learner reads it: the prompt's newest text and the
 * cursor at every length, the candidates and the last action at the smallest
 * terminal, the distribution actually sampled from, tied tokens on one line,
 * probabilities without exponents, and generated text without colour.
 */
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';
import {contextOf, ManualScheduler, sessionOn} from '../helpers.js';
import {PromptStage} from '../../../source/explorer/stages/prompt/view.js';
import {CompareStage} from '../../../source/explorer/stages/compare/view.js';
import {candidateCount, initialPromptState, promptKey, type PromptState} from '../../../source/explorer/stages/prompt/state.js';
import {candidateLines, probabilityText} from '../../../source/explorer/stages/prompt/layout.js';
import {predict, samplingDistribution} from '../../../source/models/sample.js';
import {keyOf, NO_KEY} from '../../../source/explorer/stages/types.js';
import type {Model} from '../../../source/models/table/model.js';

afterEach(() => cleanup());

const session = sessionOn(undefined);
session.artifacts.load();
const model = (session.artifacts.getSnapshot() as {loaded: {model: Model}}).loaded.model;

function typed(text: string, rows = 21, columns = 80): PromptState {
	const ctx = contextOf(session, rows, columns);
	let state = promptKey(initialPromptState(session), 'i', NO_KEY, ctx);
	state = promptKey(state, text, NO_KEY, ctx);
	return state;
}

function lines(state: PromptState, rows = 21, columns = 80): string[] {
	const {lastFrame, unmount} = render(<PromptStage state={state} ctx={contextOf(session, rows, columns)} />);
	const out = stripAnsi(lastFrame() ?? '').split('\n');
	unmount();
	return out;
}

/** The prompt's lines as shown, without the label column, joined. */
function promptShown(frame: string[]): string {
	const first = frame.findIndex((l) => l.startsWith('Prompt'));
	const out: string[] = [];
	for (let i = first; i < frame.length && (i === first || frame[i]!.startsWith('         ')); i++) out.push(frame[i]!.slice(9).trimEnd());
	return out.join(' ');
}

describe('a long prompt', () => {
	it('shows its newest characters and the cursor at every length from 1 to 300, at 80 and 60 columns', () => {
		const words = 'the owl hunts the mouse at night and the cat sleeps in the sun while ';
		for (const [rows, columns] of [
			[21, 80],
			[13, 60],
		] as const) {
			const app = render(<PromptStage state={typed('x', rows, columns)} ctx={contextOf(session, rows, columns)} />);
			for (let length = 1; length <= 300; length++) {
				const text = words.repeat(5).slice(0, length - 1) + 'Z';
				app.rerender(<PromptStage state={typed(text, rows, columns)} ctx={contextOf(session, rows, columns)} />);
				const frame = stripAnsi(app.lastFrame() ?? '').split('\n');
				const shown = promptShown(frame).replace(/\s+/g, ' ');
				const tail = text.slice(-12).replace(/\s+/g, ' ');
				expect(shown.endsWith(`${tail}█`), `length ${length} at ${columns} columns: ${shown}`).toBe(true);
				expect(frame.length).toBeLessThanOrEqual(rows);
				for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
			}
			app.unmount();
		}
	}, 120_000);

	it('a generated continuation can be read in full, between « »', () => {
		const state = promptKey(typed('the owl'), '', keyOf({return: true}), contextOf(session));
		const shown = promptShown(lines(state)).replace(/\s+/g, ' ');
		expect(shown).toBe(`the owl «${state.appended.join(' ')}»█`);
	});
});

describe('the layout', () => {
	for (const [rows, columns] of [
		[21, 80],
		[13, 60],
	] as const) {
		it(`at ${columns}x${rows + 3}: the prompt and cursor, the top candidates and the last action are all on screen, uncut`, () => {
			const ctx = contextOf(session, rows, columns);
			const state = promptKey(typed('the owl sees the cat and the owl hunts the mouse', rows, columns), '', keyOf({return: true}), ctx);
			const frame = lines(state, rows, columns);
			expect(frame.length).toBeLessThanOrEqual(rows);
			const text = frame.join('\n');
			expect(text).toContain('█');
			expect(text).toContain(`Appended 10 tokens (between « »).`);
			// The three most likely next tokens, each with its probability.
			const p = predict(model, state.text.split(' ')).probabilities;
			const top = candidateLines(p, 3);
			for (const line of top) {
				if (line.kind !== 'token') continue;
				expect(text).toMatch(new RegExp(`${model.vocabulary.tokens[line.id]}\\s+${probabilityText(line.p).replace(/[.<>]/g, '\\$&')}`));
			}
			for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
			// What the learner needs is never cut with …
			for (const line of frame.filter((l) => /typing|Appended|Next token|Context/.test(l))) expect(line.trimEnd().endsWith('…'), line).toBe(false);
		});
	}

	it('a bigger terminal lists more candidates: 26 lines at 120x40 on a large vocabulary, 3 at 60x16', () => {
		expect(candidateCount(37, 56_000)).toBe(26);
		expect(candidateCount(13, 56_000)).toBe(3);
		expect(candidateCount(21, 56_000)).toBe(10);
	});

	it('the compare stage lists more candidates per model on a taller terminal', () => {
		const scheduler = new ManualScheduler();
		const compareSession = sessionOn(undefined, {epochs: 5}, scheduler);
		compareSession.compare.start();
		scheduler.run();
		const frameAt = (rows: number) => {
			const {lastFrame, unmount} = render(<CompareStage ctx={contextOf(compareSession, rows, 100)} text="the" typing={false} compare={compareSession.compare.getSnapshot()} />);
			const out = stripAnsi(lastFrame() ?? '').split('\n');
			unmount();
			return out;
		};
		const tall = frameAt(37).filter((l) => /^\S+\s+\d+(\.\d+)?%/.test(l)).length;
		const small = frameAt(21).filter((l) => /^\S+\s+\d+(\.\d+)?%/.test(l)).length;
		expect(small).toBe(5);
		expect(tall).toBeGreaterThanOrEqual(20);
		compareSession.compare.dispose();
	});
});

describe('the decoding settings on screen', () => {
	it('sampling shows the distribution drawn from beside the model\'s: top-k 2 renormalizes the first two and cuts the rest', () => {
		let state = typed('the owl');
		state = {...state, typing: false, decode: {mode: 'sample', temperature: 1, topK: 2, topP: 1}};
		const frame = lines(state);
		const text = frame.join('\n');
		expect(text).toContain('sampled from 2 of 47 tokens');
		const p = predict(model, ['the', 'owl']).probabilities;
		const [a, b] = candidateLines(p, 2) as Array<{id: number; p: number}>;
		const first = frame.find((l) => l.trimStart().startsWith(model.vocabulary.tokens[a!.id]!))!;
		expect(first).toContain(`│ ${probabilityText(a!.p / (a!.p + b!.p)).padStart(8)}`);
		const cut = frame.filter((l) => l.includes('│      cut'));
		expect(cut.length).toBeGreaterThan(0);
	});

	it('a lower temperature sharpens the sampled column: the top token gets more than the model gives it', () => {
		let state = typed('the owl');
		state = {...state, typing: false, decode: {mode: 'sample', temperature: 0.5, topK: 0, topP: 1}};
		const frame = lines(state);
		const scores = predict(model, ['the', 'owl']).scores;
		const drawn = samplingDistribution(scores, state.decode);
		const token = model.vocabulary.tokens[drawn.ids[0]!]!;
		const row = frame.find((l) => l.trimStart().startsWith(token))!;
		expect(row).toContain(`│ ${probabilityText(drawn.probabilities[0]!).padStart(8)}`);
		expect(drawn.probabilities[0]!).toBeGreaterThan(predict(model, ['the', 'owl']).probabilities[drawn.ids[0]!]!);
	});

	it('top-k stops at the vocabulary\'s size: below all comes 20 for 47 tokens; x resets the settings, C-u clears the prompt', () => {
		const ctx = contextOf(session);
		let state = promptKey(initialPromptState(session), 'k', NO_KEY, ctx);
		expect(state.decode.topK).toBe(20);
		state = promptKey(state, 'K', NO_KEY, ctx);
		expect(state.decode.topK).toBe(0);
		state = {...promptKey(state, 't', NO_KEY, ctx), text: 'the owl'};
		state = promptKey(state, 'x', NO_KEY, ctx);
		expect(state.decode).toEqual(initialPromptState(session).decode);
		expect(state.text).toBe('the owl');
		state = promptKey(state, 'u', keyOf({ctrl: true}), ctx);
		expect(state.text).toBe('');
	});
});

describe('numbers and ties', () => {
	it('every probability reads without exponents: 43.4%, 0.52%, 0.0032%, 0.00016%, <0.0001%', () => {
		expect(probabilityText(0.434)).toBe('43.4%');
		expect(probabilityText(0.0052)).toBe('0.52%');
		expect(probabilityText(0.000032)).toBe('0.0032%');
		expect(probabilityText(0.0000016)).toBe('0.00016%');
		expect(probabilityText(1.6e-7)).toBe('<0.0001%');
		expect(probabilityText(1)).toBe('100%');
		expect(probabilityText(0.99999)).toBe('>99.99%');
		for (let e = -15; e <= 0; e += 0.25) expect(probabilityText(10 ** e)).toMatch(/^[<>]?\d+(\.\d+)?%$/);
	});

	it('tied tokens are one line: an unknown word gives "47 tokens tied at 2.1% each"', () => {
		const frame = lines(typed('the dragon'));
		expect(frame.join('\n')).toContain('47 tokens tied at 2.1% each');
		expect(frame.join('\n')).toContain('Uniform "dragon" is not in the vocabulary');
	});

	it('a row with a few seen tokens lists them, then the rest tied at the shared value on one line', () => {
		const p = predict(model, ['the', 'owl']).probabilities;
		const list = candidateLines(p, 11);
		const tie = list.find((l) => l.kind === 'tie')!;
		expect(tie.kind).toBe('tie');
		const frame = lines(typed('the owl')).join('\n');
		expect(frame).toContain(`… ${tie.kind === 'tie' ? tie.count : 0} tokens tied at ${probabilityText(tie.p)} each`);
	});
});

describe('without colour', () => {
	it('generated text is between « » and the cursor is a █, with no inverse or underline', async () => {
		vi.stubEnv('NO_COLOR', '1');
		vi.resetModules();
		try {
			const view = await import('../../../source/explorer/stages/prompt/view.js');
			const state = promptKey(typed('the owl'), '', keyOf({return: true}), contextOf(session));
			const {lastFrame, unmount} = render(<view.PromptStage state={state} ctx={contextOf(session)} />);
			const raw = lastFrame() ?? '';
			unmount();
			expect(raw).not.toContain('\u001b[7m');
			expect(raw).not.toContain('\u001b[4m');
			expect(stripAnsi(raw)).toContain(`the owl «${state.appended.join(' ')}»█`);
		} finally {
			vi.unstubAllEnvs();
		}
	});
});
