/**
 * The model stage: a row's forward pass step by step (pure, checked against
 * Model.probabilities), the key reducer, and frames rendered with
 * ink-testing-library.
 */
import React from 'react';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {Model, type ContextSize} from '../../../source/models/table/model.js';
import {makeVocabulary} from '../../../source/text/vocabulary.js';
import type {ExplorerSession} from '../../../source/explorer/session.js';
import {ANIMALS, bareSession, contextOf, expectFits, frameLines} from '../helpers.js';
import {keyOf, type StageContext} from '../../../source/explorer/stages/types.js';
import {ModelStage, summaryLines} from '../../../source/explorer/stages/model/view.js';
import {initialModelState, modelGeometry, modelKey, type ModelState} from '../../../source/explorer/stages/model/state.js';
import {
	computeRowSteps,
	entriesToShow,
	formatBig,
	formatProbability,
	formatShare,
	formatValue,
	fullRows,
	rowSteps,
} from '../../../source/explorer/stages/model/row.js';

const sessionOf = (text: string, n: ContextSize = 2, path = 'test.txt'): ExplorerSession => bareSession(text, n, path);

const animalsText = readFileSync(ANIMALS, 'utf8');

/** Train whole epochs through the controller (its snapshot's version grows). */
function trainEpochs(session: ExplorerSession, epochs: number): void {
	for (let e = 0; e < epochs; e++) {
		const pairs = session.controller.run.pairCount;
		for (let i = 0; i < pairs; i++) session.controller.step();
	}
}

function press(state: ModelState, ctx: StageContext, ...keys: Array<Parameters<typeof keyOf>[0]>): ModelState {
	return keys.reduce((s, k) => modelKey(s, '', keyOf(k), ctx), state);
}

const frameOf = (state: ModelState, ctx: StageContext): string[] => frameLines(<ModelStage state={state} ctx={ctx} />);

/** The right-hand panel of a frame: after the context list and a space. */
const panelOf = (lines: string[], columns = 80) => lines.map((line) => line.slice(modelGeometry(21, columns).listWidth + 1));

describe('a row step by step', () => {
	it('before training: every score 0, every probability 1/V, the lowest id chosen', () => {
		// "a b a c": contexts (n = 1) a, b; "a" is followed by b and c.
		const {controller} = sessionOf('a b a c', 1);
		const model = controller.run.model as Model;
		const steps = computeRowSteps(model, 0, 10);
		expect(steps.label).toBe('a');
		expect(steps.allZero).toBe(true);
		expect([steps.explicitCount, steps.sharedCount]).toEqual([2, 1]);
		for (const entry of steps.top) {
			expect(entry.score).toBe(0);
			expect(entry.exp).toBe(1);
			expect(entry.p).toBeCloseTo(1 / 3, 15);
		}
		// All tie at 1/3: the lowest id wins, "a" (id 0), one of the shared columns.
		expect(steps.chosen.id).toBe(0);
		expect(steps.sharedEntry).toMatchObject({id: 0, count: 1, shared: true});
	});

	it('after training: the same probabilities as Model.probabilities, bit for bit', () => {
		const session = sessionOf(animalsText, 2);
		trainEpochs(session, 2);
		const model = session.controller.run.model as Model;
		for (let slot = 0; slot < model.rowCount; slot += 7) {
			const steps = computeRowSteps(model, slot, 1000);
			const p = model.probabilities(slot);
			for (const entry of steps.top) expect(entry.p).toBe(p[entry.id]);
			// The most probable token, ties to the lowest id, as training predicts.
			let best = 0;
			for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
			expect(steps.chosen.id).toBe(best);
			expect(steps.pSum).toBeCloseTo(1, 12);
			expect(steps.allZero).toBe(false);
		}
	});

	it('lists tokens by probability, highest first, ties by id', () => {
		const session = sessionOf(animalsText, 2);
		trainEpochs(session, 3);
		const steps = computeRowSteps(session.controller.run.model as Model, 0, 1000);
		for (let i = 1; i < steps.top.length; i++) {
			const [a, b] = [steps.top[i - 1]!, steps.top[i]!];
			expect(a.p > b.p || (a.p === b.p && a.id < b.id)).toBe(true);
		}
	});

	it('keeps the line for the shared tokens when the list is cut, and counts the rest', () => {
		const session = sessionOf('x a x b x c x d x e x f', 1);
		trainEpochs(session, 3);
		const model = session.controller.run.model as Model;
		const slot = model.slotOf([model.vocabulary.ids.get('x')!]);
		const steps = computeRowSteps(model, slot, 4);
		// "x" is followed by a..f (6 explicit) and never by x (1 shared): 7 entries.
		expect([steps.explicitCount, steps.sharedCount, steps.top.length + steps.rest]).toEqual([6, 1, 7]);
		const {entries, more} = entriesToShow(steps, 4);
		expect(entries).toHaveLength(3);
		expect(entries[2]!.shared).toBe(true);
		expect(more).toBe(4);
	});

	it('recomputes a row only when the row or the weights\' version changes', () => {
		const session = sessionOf(animalsText, 2);
		const model = session.controller.run.model as Model;
		const first = rowSteps(model, 3, 0, 10);
		expect(rowSteps(model, 3, 0, 10)).toBe(first);
		expect(rowSteps(model, 4, 0, 10)).not.toBe(first);
		trainEpochs(session, 1);
		const after = rowSteps(model, 3, session.controller.getSnapshot().version, 10);
		expect(after).not.toBe(first);
		expect(after.allZero).toBe(false);
	});
});

describe('numbers', () => {
	it('writes the full table\'s size exactly, and its order of size from 10^15 on', () => {
		expect(formatBig(fullRows(47, 2))).toBe('2,209');
		expect(formatBig(fullRows(3000, 4))).toBe('81,000,000,000,000');
		expect(formatBig(fullRows(60_000, 3) * 60_000n)).toBe('≈1.30×10^19');
	});

	it('writes a share too small for two decimals as 1 in so many, never in exponent notation', () => {
		expect(formatShare(108, 2209n)).toBe('4.89% of the rows');
		expect(formatShare(1, fullRows(60_000, 3))).toBe('1 in 216 trillion rows');
		expect(formatShare(3, fullRows(60_000, 3) * 60_000n, 'weights')).toBe('1 in 4.3 quintillion weights');
		expect(formatProbability(1.6e-7)).toBe('0.000016%');
		expect(formatProbability(0.0213)).toBe('2.13%');
	});

	it('writes values with 4 decimals, tiny ones in exponent notation', () => {
		expect(formatValue(0.29289)).toBe('0.2929');
		expect(formatValue(-0)).toBe('0.0000');
		expect(formatValue(-0.0000017)).toBe('-1.7e-6');
	});

	it('describes a huge table and how little of it is held', () => {
		const tokens = Array.from({length: 60_000}, (_, i) => `t${String(i).padStart(5, '0')}`);
		const vocabulary = makeVocabulary(tokens, new Int32Array(60_000).fill(1));
		const model = new Model(vocabulary, 3, {
			contexts: Int32Array.of(0, 1, 2),
			colStart: Int32Array.of(0, 2),
			cols: Int32Array.of(3, 4),
			weights: new Float64Array(2),
			shared: new Float64Array(1),
		});
		expect(summaryLines(model)).toEqual([
			'context3 model, n = 3: rows = 3-token contexts like a|b|c, columns = next tokens',
			'full table: 60,000^3 = 216,000,000,000,000 rows × 60,000 columns ≈ 1.30×10^19 weights',
			'seen in the corpus: 1 context, 1 in 216 trillion rows; the other rows stay 0',
			'held: 2 weights + 1 shared per row = 3, 1 in 4.3 quintillion weights',
		]);
	});
});

describe('model keys', () => {
	const session = sessionOf(animalsText, 2);
	const ctx = contextOf(session);
	const start = initialModelState(session);
	const count = (session.controller.run.model as Model).rowCount;

	it('picks contexts with ↑↓ and PgUp/PgDn, within the list', () => {
		expect(press(start, ctx, {downArrow: true}, {downArrow: true}).row).toBe(2);
		expect(press(start, ctx, {upArrow: true}).row).toBe(0);
		// 21 rows: 4 summary lines, the status line and the list's title leave 15 listed.
		expect(press(start, ctx, {pageDown: true})).toMatchObject({row: 15, top: 1});
		expect(press(start, ctx, ...Array(20).fill({pageDown: true})).row).toBe(count - 1);
	});

	it('moves through the five steps with → and ←', () => {
		expect(press(start, ctx, {rightArrow: true}, {rightArrow: true}).step).toBe(2);
		expect(press(start, ctx, ...Array(9).fill({rightArrow: true})).step).toBe(4);
		expect(press(start, ctx, {leftArrow: true}).step).toBe(0);
	});
});

describe('model view', () => {
	it('before training: the table\'s shape, and every probability is 1/V', () => {
		const session = sessionOf(animalsText, 2, 'corpus/001_animals.txt');
		const ctx = contextOf(session);
		const lines = frameOf(initialModelState(session), ctx);
		expect(lines).toHaveLength(21);
		expectFits(lines, 21, 80);
		expect(lines[1]).toBe('full table: 47^2 = 2,209 rows × 47 columns = 103,823 weights');
		expect(lines[2]).toBe('seen in the corpus: 108 contexts, 4.89% of the rows; the other rows stay 0');
		expect(lines[3]).toBe('held: 183 weights + 1 shared per row = 291, 0.28% of the weights');
		expect(lines[4]).toMatch(/^contexts \(108\) +row an\|egg: 2 tokens seen after it, 45 never$/);
		expect(lines[5]).toMatch(/^› an\|egg /); // the picked context
		expect(lines[6]).toMatch(/^ {2}at\|night /);
		expect(lines[20]).toBe('before training every weight is 0: every probability is 1/47 = 2.13%');
	});

	it('step 0 lists the row\'s scores and a line for all the other tokens', () => {
		const session = sessionOf(animalsText, 2);
		const ctx = contextOf(session);
		const panel = panelOf(frameOf(initialModelState(session), ctx)).map((line) => line.trimEnd());
		expect(panel[6]).toBe('step 0: the row: one score (weight) per next token');
		expect(panel.slice(7, 11)).toEqual([
			'token           score',
			'… 45 others    0.0000',
			'by             0.0000',
			'in             0.0000',
		]);
		expect(panel[18]).toBe('… 45 other tokens share the score 0.0000');
	});

	it('step 3 shows probabilities summing to 100%', () => {
		const session = sessionOf(animalsText, 2);
		trainEpochs(session, 3);
		const ctx = contextOf(session);
		// Row 2 is "barn|at", followed only by "night".
		const state = press(initialModelState(session), ctx, {downArrow: true}, {downArrow: true}, ...Array(3).fill({rightArrow: true}));
		const lines = frameOf(state, ctx);
		expectFits(lines, 21, 80);
		const panel = panelOf(lines).map((line) => line.trimEnd());
		expect(panel[4]).toBe('row barn|at: 1 token seen after it, 46 never');
		// The token column is as wide as its widest name ("… 46 others"), so the values sit beside the tokens.
		expect(panel[7]).toBe('token           score     −max      exp        p');
		const night = panel[8]!.split(/ +/);
		const others = panel[9]!.split(/ +/);
		expect(night[0]).toBe('night');
		expect(others.slice(0, 3)).toEqual(['…', '46', 'others']);
		// One token at p(night) and 46 at p(other): 100% up to the rounding of the two shown.
		const percent = (cell: string) => Number(cell.replace('%', ''));
		const total = percent(night[4]!) + 46 * percent(others[6]!);
		expect(Math.abs(total - 100)).toBeLessThan(46 * 0.005 + 0.005);
		expect(panel[19]).toBe('Σ p over all 47 tokens = 100.00%');
	});

	it('step 4 marks the chosen token', () => {
		const session = sessionOf(animalsText, 2);
		trainEpochs(session, 3);
		const ctx = contextOf(session);
		const state = press(initialModelState(session), ctx, {downArrow: true}, {downArrow: true}, ...Array(4).fill({rightArrow: true}));
		const panel = panelOf(frameOf(state, ctx)).map((line) => line.trimEnd());
		expect(panel[8]).toMatch(/^night .* ◀$/);
		expect(panel[19]).toMatch(/^chosen: "night" \(id 32\), p = \d+\.\d\d%$/);
	});

	it('before training, step 4 chooses the lowest id among the tied tokens', () => {
		const session = sessionOf(animalsText, 2);
		const ctx = contextOf(session);
		const panel = panelOf(frameOf(press(initialModelState(session), ctx, ...Array(4).fill({rightArrow: true})), ctx)).map((line) =>
			line.trimEnd(),
		);
		// "an|egg" is followed by "by" and "in"; "an" (id 0) is among the 45 others and wins the tie.
		expect(panel[8]).toMatch(/^… 45 others .* ◀$/);
		expect(panel[19]).toBe('chosen: "an" (id 0), p = 2.13%: 47 tie, lowest id wins');
	});

	it('shows a unigram model\'s single row', () => {
		const session = sessionOf('b a b c', 0);
		const lines = frameOf(initialModelState(session), contextOf(session));
		expect(lines[0]).toBe('unigram model, n = 0: one row, (no context); columns = next tokens');
		expect(lines[1]).toBe('full table: 3^0 = 1 rows × 3 columns = 3 weights');
		expect(lines[5]).toMatch(/^› \(no context\) /);
	});

	it('keeps every frame within its rows and columns', () => {
		const session = sessionOf('\x1b[31mred 猫 🙂 a\tb ' + animalsText, 2);
		trainEpochs(session, 1);
		for (const [rows, columns] of [
			[8, 40],
			[14, 60],
			[21, 80],
			[40, 100],
		] as const) {
			const ctx = contextOf(session, rows, columns);
			let state = initialModelState(session);
			for (let step = 0; step < 5; step++) {
				const {lastFrame, unmount} = render(<ModelStage state={state} ctx={ctx} />);
				const frame = lastFrame()!;
				unmount();
				expect(frame).not.toContain('\x1b[31mred');
				expectFits(frame.split('\n'), rows, columns);
				state = press(state, ctx, {rightArrow: true});
			}
		}
	});
});

describe('the model stage on small and large terminals', () => {
	it('keeps the two most probable tokens listed when only two lines are left, never giving them up for the shared line', () => {
		const session = sessionOf('x a x b x c x d x e x f x a x a x b\n', 1);
		trainEpochs(session, 3);
		const model = session.controller.run.model as Model;
		const steps = computeRowSteps(model, model.slotOf([model.vocabulary.ids.get('x')!]), 2);
		const {entries, more} = entriesToShow(steps, 2);
		expect(entries.map((e) => e.shared)).toEqual([false, false]);
		expect(entries[0]!.id).toBe(model.vocabulary.ids.get('a'));
		expect(more).toBe(steps.top.length + steps.rest - 2);
	});

	it('at 120x40 the token column is as wide as the longest name shown, and more tokens are listed than at 80x24', () => {
		const session = sessionOf(animalsText, 1);
		trainEpochs(session, 3);
		// Row "the" has many followers.
		const model = session.controller.run.model as Model;
		const slot = model.slotOf([model.vocabulary.ids.get('the')!]);
		const state = {...initialModelState(session), row: slot, step: 3};
		const wide = frameLines(<ModelStage state={state} ctx={contextOf(session, 39, 120)} />);
		const narrow = frameLines(<ModelStage state={state} ctx={contextOf(session, 21, 80)} />);
		expectFits(wide, 39, 120);
		// The most probable token's line: its value starts right after the widest name, not 50 columns on.
		const header = wide.find((line) => / token +score +−max/.test(line))!;
		expect(header).toBeDefined();
		expect(header.indexOf('score') - header.indexOf('token')).toBeLessThan(24);
		const listed = (lines: string[]) => lines.filter((line) => /\d%$/.test(line.trimEnd())).length;
		expect(listed(wide)).toBeGreaterThan(listed(narrow));
		expect(listed(wide)).toBeGreaterThanOrEqual(20);
	});
});
