/**
 * The vocabulary stage: orders and filters (pure), the key reducer, and
 * frames rendered with ink-testing-library.
 */
import React from 'react';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {makeVocabulary} from '../../../source/text/vocabulary.js';
import type {ExplorerSession} from '../../../source/explorer/session.js';
import {ANIMALS, bareSession, contextOf, expectFits, frameLines} from '../helpers.js';
import {keyOf, type StageContext} from '../../../source/explorer/stages/types.js';
import {VocabStage} from '../../../source/explorer/stages/vocab/view.js';
import {
	filterIds,
	frequencyOrder,
	initialVocabState,
	maxFrequency,
	scrollTop,
	vocabKey,
	vocabList,
	vocabTyping,
	type VocabState,
} from '../../../source/explorer/stages/vocab/state.js';

const sessionOf = (text: string, path = 'test.txt'): ExplorerSession => bareSession(text, 0, path);

const animals = sessionOf(readFileSync(ANIMALS, 'utf8'), 'corpus/001_animals.txt');

function press(state: VocabState, ctx: StageContext, ...keys: Array<string | Parameters<typeof keyOf>[0]>): VocabState {
	return keys.reduce<VocabState>(
		(s, k) => (typeof k === 'string' ? vocabKey(s, k, keyOf({}), ctx) : vocabKey(s, '', keyOf(k), ctx)),
		state,
	);
}

const frameOf = (state: VocabState, ctx: StageContext): string[] => frameLines(<VocabStage state={state} ctx={ctx} />);

/** The token column of the table rows (lines 2 .. rows-3), after the › that marks the highlighted row. */
const tokensShown = (lines: string[]) =>
	lines
		.slice(2, -2)
		.map((line) => line.replace(/^›/, ' ').trim().split(/\s+/)[1])
		.filter((token): token is string => token !== undefined);

describe('orders and filters', () => {
	it('orders by frequency, highest first, ties by id', () => {
		const vocabulary = makeVocabulary(['a', 'b', 'c', 'd'], Int32Array.from([1, 3, 1, 3]));
		expect(Array.from(frequencyOrder(vocabulary))).toEqual([1, 3, 0, 2]);
		expect(maxFrequency(vocabulary)).toBe(3);
	});

	it('sorts a vocabulary once per order', () => {
		const {vocabulary} = animals.corpus;
		expect(frequencyOrder(vocabulary)).toBe(frequencyOrder(vocabulary));
	});

	it('filters by case-sensitive substring, in the order shown', () => {
		const vocabulary = makeVocabulary(['Cat', 'ca', 'cab', 'scar', 'xyz'], Int32Array.from([9, 1, 5, 2, 7]));
		expect(Array.from(filterIds(vocabulary, 'id', 'ca'))).toEqual([1, 2, 3]);
		expect(Array.from(filterIds(vocabulary, 'frequency', 'ca'))).toEqual([2, 3, 1]);
		expect(vocabList(vocabulary, 'token', 'ca').length).toBe(3);
		// Grown from "a" (which matches "Cat"), the narrowed pass is still case-sensitive.
		expect(Array.from(filterIds(vocabulary, 'id', 'a'))).toEqual([0, 1, 2, 3]);
		expect(Array.from(filterIds(vocabulary, 'id', 'ca'))).toEqual([1, 2, 3]);
	});

	it('narrows the last matches when the filter grows, with the same result as a full pass', () => {
		const {vocabulary} = animals.corpus;
		filterIds(vocabulary, 'frequency', 'o');
		const narrowed = Array.from(filterIds(vocabulary, 'frequency', 'ow'));
		const tokens = narrowed.map((id) => vocabulary.tokens[id]);
		expect(tokens).toEqual(['cow', 'owl']); // both occur 4 times: by id, cow (9) before owl (35)
		filterIds(vocabulary, 'frequency', 'x');
		expect(Array.from(filterIds(vocabulary, 'frequency', 'ow'))).toEqual(narrowed);
	});

	it('lists without a filter in id order or frequency order', () => {
		const {vocabulary} = animals.corpus;
		const byId = vocabList(vocabulary, 'id', '');
		expect([byId.length, byId.at(0), byId.at(46)]).toEqual([47, 0, 46]);
		const byFrequency = vocabList(vocabulary, 'frequency', '');
		expect(vocabulary.tokens[byFrequency.at(0)]).toBe('the');
		expect(vocabulary.tokens[byFrequency.at(1)]).toBe('in');
	});

	it('scrolls just enough to keep the highlighted row on screen', () => {
		expect(scrollTop(0, 5, 10, 47)).toBe(0);
		expect(scrollTop(0, 12, 10, 47)).toBe(3);
		expect(scrollTop(20, 12, 10, 47)).toBe(12);
		expect(scrollTop(45, 46, 10, 47)).toBe(37); // not past the end
	});
});

describe('vocabulary keys', () => {
	const ctx = contextOf(animals);
	const start = initialVocabState(animals);

	it('sorts by i, f and t, each from the top', () => {
		expect(press(start, ctx, 'f').sort).toBe('frequency');
		expect(press(start, ctx, 'f', 't').sort).toBe('token');
		expect(press(start, ctx, 'f', 'i').sort).toBe('id');
		expect(press(start, ctx, {downArrow: true}, {downArrow: true}, 'f').selected).toBe(0);
	});

	it('types a filter after / and keeps it after Enter', () => {
		const typing = press(start, ctx, '/', 'c', 'a');
		expect(vocabTyping(typing)).toBe(true);
		expect(typing.filter).toBe('ca');
		const done = press(typing, ctx, {return: true});
		expect(vocabTyping(done)).toBe(false);
		expect(done.filter).toBe('ca');
		expect(press(typing, ctx, {escape: true})).toMatchObject({filtering: false, filter: 'ca'});
	});

	it('takes sort and move keys as text while typing', () => {
		expect(press(start, ctx, '/', 'f', 'G', 'i').filter).toBe('fGi');
	});

	it('removes a character on Backspace, sent as delete or backspace', () => {
		const typing = press(start, ctx, '/', 'o', 'w', 'l');
		expect(press(typing, ctx, {delete: true}).filter).toBe('ow');
		expect(press(typing, ctx, {backspace: true}, {backspace: true}).filter).toBe('o');
		expect(press(press(start, ctx, '/', '猫', '🙂'), ctx, {delete: true}).filter).toBe('猫');
	});

	it('clears the filter with Ctrl+U, typing or not, and with Esc once emptied', () => {
		const typing = press(start, ctx, '/', 'o', 'w');
		expect(vocabKey(typing, 'u', keyOf({ctrl: true}), ctx).filter).toBe('');
		const done = press(typing, ctx, {return: true});
		expect(vocabKey(done, 'u', keyOf({ctrl: true}), ctx).filter).toBe('');
		expect(press(typing, ctx, {delete: true}, {delete: true}, {escape: true})).toMatchObject({filtering: false, filter: ''});
	});

	it('drops control characters from typed text', () => {
		expect(press(start, ctx, '/', 'a\x07b').filter).toBe('ab');
	});

	it('starts a new filter at the top', () => {
		const moved = press(start, ctx, {downArrow: true}, {downArrow: true}, {downArrow: true});
		expect(moved.selected).toBe(3);
		expect(press(moved, ctx, '/', 'o').selected).toBe(0);
	});

	it('moves with ↑↓, PgUp/PgDn and g/G, scrolling the table', () => {
		// 21 rows: title, column names, filter and status leave 17 table rows.
		expect(press(start, ctx, {downArrow: true}).selected).toBe(1);
		expect(press(start, ctx, {upArrow: true}).selected).toBe(0);
		expect(press(start, ctx, {pageDown: true})).toMatchObject({selected: 17, top: 1});
		expect(press(start, ctx, {pageDown: true}, {pageUp: true})).toMatchObject({selected: 0, top: 0});
		expect(press(start, ctx, 'G')).toMatchObject({selected: 46, top: 30});
		expect(press(start, ctx, 'G', 'g')).toMatchObject({selected: 0, top: 0});
		expect(press(start, ctx, {end: true}).selected).toBe(46);
	});

	it('moves within the matches while typing', () => {
		const typing = press(start, ctx, '/', 'o', {downArrow: true}, {downArrow: true});
		expect(typing).toMatchObject({filter: 'o', selected: 2, filtering: true});
		expect(press(typing, ctx, {pageDown: true}).selected).toBe(10); // the last of 11 matches
	});
});

describe('vocabulary view', () => {
	const ctx = contextOf(animals, 21, 80);
	const start = initialVocabState(animals);

	it('sorted by frequency, starts with "the" and its 94 occurrences at a full bar', () => {
		const lines = frameOf(press(start, ctx, 'f'), ctx);
		expect(lines).toHaveLength(21);
		expectFits(lines, 21, 80);
		expect(lines[1]).toBe(' id token  count▼  share bar (largest = 94)');
		// 94 of 313 tokens = 30.0%; the bar fills all 55 columns left. › marks the highlighted row.
		expect(lines[2]).toBe('›42 the        94  30.0% ' + '█'.repeat(55));
		// 26 / 94 of 55 columns = 15.2 columns: 15 full blocks and a quarter block.
		expect(lines[3]).toBe(' 27 in         26   8.3% ' + '█'.repeat(15) + '▎');
		expect(lines[20]).toBe('showing 1-17 of 47, sorted by frequency, highest first (ties by id)');
	});

	it('marks the highlighted row with ›', () => {
		const lines = frameOf(press(start, ctx, {downArrow: true}, {downArrow: true}), ctx);
		expect(lines.filter((line) => line.startsWith('›'))).toEqual([expect.stringMatching(/^› 2 barn {7}10 {3}3\.2% █+[▏▎▍▌▋▊▉]?$/)]);
	});

	it('sorted by id, lists ids 0, 1, 2 … and says token order is the same', () => {
		const lines = frameOf(start, ctx);
		expect(tokensShown(lines).slice(0, 3)).toEqual(['an', 'at', 'barn']);
		expect(lines[20]).toBe('showing 1-17 of 47, sorted by id');
		const byToken = frameOf(press(start, ctx, 't'), ctx);
		expect(tokensShown(byToken).slice(0, 3)).toEqual(['an', 'at', 'barn']);
		expect(byToken[20]).toBe('showing 1-17 of 47, sorted by token: code point order, the same as by id');
	});

	it('with the filter "o", shows exactly the 11 tokens containing o', () => {
		const lines = frameOf(press(start, ctx, '/', 'o'), ctx);
		expect(tokensShown(lines).sort()).toEqual(['cold', 'corn', 'cow', 'dog', 'fox', 'horse', 'mouse', 'old', 'on', 'owl', 'pond']);
		expect(lines[19]).toBe('filter: o▌  (case-sensitive substring) · Enter/Esc done · C-u clear');
		expect(lines[20]).toBe('showing 1-11 of 11 (filter "o" → 11 of 47 match), sorted by id');
	});

	it('with the filter "ca", shows exactly the tokens containing ca', () => {
		const session = sessionOf('cat car scarab Cat act ca cat\n');
		const c = contextOf(session);
		const lines = frameOf(press(initialVocabState(session), c, '/', 'c', 'a', {return: true}, 'f'), c);
		expect(tokensShown(lines)).toEqual(['cat', 'ca', 'car', 'scarab']);
		expect(lines[19]).toBe('filter: "ca" (case-sensitive substring) · / edit · C-u clear');
		expect(lines[20]).toBe('showing 1-4 of 4 (filter "ca" → 4 of 6 match), by frequency');
	});

	it('says when nothing matches', () => {
		const lines = frameOf(press(start, ctx, '/', 'z', 'z'), ctx);
		expect(lines[2]).toBe('no token contains "zz"');
		expect(lines[20]).toBe('showing 0 of 0 (filter "zz" → 0 of 47 match), sorted by id');
	});

	it('shows an escape sequence in a token as text, and wide tokens aligned', () => {
		const session = sessionOf('\x1b[31mred 猫 🙂 a\n');
		const c = contextOf(session, 16, 60);
		const {lastFrame, unmount} = render(<VocabStage state={initialVocabState(session)} ctx={c} />);
		const frame = lastFrame()!;
		unmount();
		expect(frame).not.toContain('\x1b[31mred');
		const lines = frame.split('\n');
		expectFits(lines, 16, 60);
		expect(lines.slice(2, 6).map((line) => line.split(/ +/).slice(1, 3))).toEqual([
			['0', '\\x1b[31mred'],
			['1', 'a'],
			['2', '猫'],
			['3', '🙂'],
		]);
		// The count column starts at the same display column on every row.
		const countColumn = (line: string) => stringWidth(line.slice(0, line.indexOf(' 1 ', 2)));
		expect(new Set(lines.slice(2, 6).map(countColumn)).size).toBe(1);
	});

	it('shows a share too small for its column as <0.01%, never cut mid-number', () => {
		// 20,000 tokens: "rare" once is 0.005%, which needs 6 columns and more.
		const session = sessionOf(`${'common '.repeat(19_999)}rare\n`);
		const lines = frameOf(press(initialVocabState(session), contextOf(session), 'G'), contextOf(session));
		const rare = lines.find((line) => /\brare\b/.test(line))!;
		expect(rare).toMatch(/\s1\s+<0\.01%$/);
		expect(lines.join('\n')).not.toContain('…');
		const common = lines.find((line) => /\bcommon\b/.test(line));
		if (common) expect(common).toContain('99.99%');
	});

	it('keeps every frame within its rows and columns', () => {
		for (const [rows, columns] of [
			[8, 30],
			[14, 60],
			[40, 100],
		] as const) {
			const c = contextOf(animals, rows, columns);
			for (const state of [start, press(start, c, 'f', 'G'), press(start, c, '/', 'o')]) expectFits(frameOf(state, c), rows, columns);
		}
	});
});
