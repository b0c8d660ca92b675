/**
 * The corpus stage: line index, wrapping and markers (pure, no Ink), the key
 * reducer, and frames rendered with ink-testing-library.
 */
import React from 'react';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import type {ExplorerSession} from '../../../source/explorer/session.js';
import {ANIMALS, bareSession, contextOf, expectFits, frameLines} from '../helpers.js';
import {keyOf, type StageContext} from '../../../source/explorer/stages/types.js';
import {CorpusStage, rowSegments, statusText} from '../../../source/explorer/stages/corpus/view.js';
import {corpusGeometry, corpusKey, initialCorpusState, type CorpusState} from '../../../source/explorer/stages/corpus/state.js';
import {
	advanceRows,
	keepVisible,
	lineIndex,
	lineOfToken,
	rowItems,
	rowOfToken,
	rowsOfLine,
	shapeToken,
	tokenMarker,
} from '../../../source/explorer/stages/corpus/layout.js';

const sessionOf = (text: string, path = 'test.txt'): ExplorerSession => bareSession(text, 0, path);

const frameOf = (state: CorpusState, ctx: StageContext): string[] => frameLines(<CorpusStage state={state} ctx={ctx} />);

/** Press keys in order, each against the state the previous one left. */
function press(state: CorpusState, ctx: StageContext, ...keys: Array<[string, Parameters<typeof keyOf>[0]]>): CorpusState {
	return keys.reduce((s, [input, key]) => corpusKey(s, input, keyOf(key), ctx), state);
}
const RIGHT: [string, {rightArrow: true}] = ['', {rightArrow: true}];
const LEFT: [string, {leftArrow: true}] = ['', {leftArrow: true}];
const DOWN: [string, {downArrow: true}] = ['', {downArrow: true}];
const UP: [string, {upArrow: true}] = ['', {upArrow: true}];

describe('line index', () => {
	it('splits at \\n, \\r\\n and \\r and finds each line\'s first token', () => {
		const {corpus} = sessionOf('a b\n\nc\r\nd\re\n');
		const index = lineIndex(corpus);
		expect(index.lineCount).toBe(5); // the final \n does not start a sixth line
		expect(Array.from(index.lineFirstToken)).toEqual([0, 2, 2, 3, 4, 5]);
		expect(lineOfToken(index, 1)).toBe(0);
		expect(lineOfToken(index, 2)).toBe(2); // "c", past the empty line 1
		expect(lineOfToken(index, 4)).toBe(4);
	});
});

describe('token shapes and markers', () => {
	it('spans a token with └─┘ as wide as it is', () => {
		expect(tokenMarker(1)).toBe('│');
		expect(tokenMarker(2)).toBe('└┘');
		expect(tokenMarker(4)).toBe('└──┘');
		expect([tokenMarker(1, true), tokenMarker(3, true)]).toEqual(['┃', '┗━┛']);
	});

	it('escapes control characters and measures wide characters', () => {
		expect(shapeToken('\x1b[31mred')).toEqual({text: '\\x1b[31mred', width: 11});
		expect(shapeToken('猫')).toEqual({text: '猫', width: 2});
		expect(shapeToken('🙂')).toEqual({text: '🙂', width: 2});
		expect(shapeToken('cat.')).toEqual({text: 'cat.', width: 4});
	});

	it('shows a token of zero-width characters as its code points', () => {
		expect(shapeToken('\u200b')).toEqual({text: '\\u200b', width: 6});
	});
});

describe('wrapping', () => {
	it('wraps a long line at token boundaries', () => {
		const {corpus} = sessionOf('aaa bbb ccc');
		expect(rowsOfLine(corpus, 0, 7)).toBe(2);
		const texts = (sub: number) => rowItems(corpus, {line: 0, sub}, 7).map((item) => item.text).join('');
		expect(texts(0)).toBe('aaa bbb');
		expect(texts(1)).toBe('ccc');
		expect(rowOfToken(corpus, 2, 7)).toEqual({line: 0, sub: 1});
	});

	it('never lays a row out wider than its width', () => {
		const {corpus} = sessionOf('aa bbb c dddd ee\tf 猫猫 g');
		for (let width = 1; width <= 14; width++) {
			for (let sub = 0; sub < rowsOfLine(corpus, 0, width); sub++) {
				const items = rowItems(corpus, {line: 0, sub}, width);
				const last = items[items.length - 1]!;
				const end = last.x + (last.kind === 'token' ? last.width : 1);
				expect(end, `width ${width}, row ${sub}`).toBeLessThanOrEqual(width);
			}
		}
		// Every token is on some row, once.
		const seen = [];
		for (let sub = 0; sub < rowsOfLine(corpus, 0, 4); sub++) {
			for (const item of rowItems(corpus, {line: 0, sub}, 4)) if (item.kind === 'token') seen.push(item.token);
		}
		expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('cuts a token wider than the row with …', () => {
		const {corpus} = sessionOf('abcdefghij x');
		const first = rowItems(corpus, {line: 0, sub: 0}, 5);
		expect(first).toEqual([{kind: 'token', token: 0, x: 0, text: 'abcd…', width: 5, cut: true}]);
		expect(rowItems(corpus, {line: 0, sub: 1}, 5).map((item) => item.text)).toEqual(['x']);
	});

	it('shows a tab as → and other spaces as ·', () => {
		const {corpus} = sessionOf('a\tb\u00a0c');
		expect(rowItems(corpus, {line: 0, sub: 0}, 20).map((item) => item.text)).toEqual(['a', '→', 'b', '·', 'c']);
	});

	it('moves between rows across lines and keeps the cursor row on screen', () => {
		const {corpus} = sessionOf('aaa bbb ccc\nddd\neee');
		// Rows at width 7: (0,0) "aaa bbb", (0,1) "ccc", (1,0) "ddd", (2,0) "eee".
		expect(advanceRows(corpus, {line: 0, sub: 0}, 2, 7)).toEqual({line: 1, sub: 0});
		expect(advanceRows(corpus, {line: 2, sub: 0}, -2, 7)).toEqual({line: 0, sub: 1});
		expect(advanceRows(corpus, {line: 2, sub: 0}, 9, 7)).toEqual({line: 2, sub: 0});
		// A screen of 2 rows with the cursor on "eee" starts at "ddd".
		expect(keepVisible(corpus, {line: 0, sub: 0}, {line: 2, sub: 0}, 2, 7)).toEqual({line: 1, sub: 0});
	});
});

describe('corpus keys', () => {
	const session = sessionOf('the cat sat\nan elephant x\n\n\nlast one\n');
	const ctx = contextOf(session);
	const start = initialCorpusState(session);

	it('→ and ← move by one token and stop at the ends', () => {
		expect(press(start, ctx, RIGHT, RIGHT).cursor).toBe(2);
		expect(press(start, ctx, LEFT).cursor).toBe(0);
		expect(press(start, ctx, ['G', {}], RIGHT).cursor).toBe(7);
	});

	it('g/G and Home/End go to the first and last token', () => {
		expect(press(start, ctx, ['G', {}]).cursor).toBe(7);
		expect(press(start, ctx, ['G', {}], ['g', {}]).cursor).toBe(0);
		expect(press(start, ctx, ['', {end: true}]).cursor).toBe(7);
		expect(press(start, ctx, ['', {end: true}], ['', {home: true}]).cursor).toBe(0);
	});

	it('↓ lands on the token under the same column', () => {
		// "sat" starts at column 8; on the next line "elephant" spans columns 3-10.
		const onSat = press(start, ctx, RIGHT, RIGHT);
		expect(press(onSat, ctx, DOWN).cursor).toBe(4);
		// ↑ goes back to the column the moves started from.
		expect(press(onSat, ctx, DOWN, UP).cursor).toBe(2);
	});

	it('↓ passes over empty lines, ↑ comes back over them', () => {
		const onX = press(start, ctx, ...Array(5).fill(RIGHT)); // "x", line 2
		const down = press(onX, ctx, DOWN);
		expect(down.cursor).toBe(7); // "one" on line 5: nearest to the column of "x", 12
		expect(press(down, ctx, UP).cursor).toBe(5);
	});

	it('PgDn moves a screen down and scrolls with it', () => {
		const lines = Array.from({length: 50}, (_, i) => `w${i + 1}`).join('\n');
		const s = sessionOf(lines);
		const c = contextOf(s);
		expect(corpusGeometry(s.corpus, 21, 80).visibleRows).toBe(8); // (21 - 3 header - 1 status) / 2
		const paged = press(initialCorpusState(s), c, ['', {pageDown: true}]);
		expect(paged.cursor).toBe(8);
		expect(paged.top).toEqual({line: 8, sub: 0});
		expect(press(paged, c, ['', {pageUp: true}]).cursor).toBe(0);
	});

	it('scrolls just enough to keep the cursor visible', () => {
		const lines = Array.from({length: 50}, (_, i) => `w${i + 1}`).join('\n');
		const s = sessionOf(lines);
		const c = contextOf(s);
		const down = press(initialCorpusState(s), c, ...Array(10).fill(DOWN));
		expect(down.cursor).toBe(10);
		expect(down.top).toEqual({line: 3, sub: 0}); // rows 3..10 on a screen of 8
		const end = press(down, c, ['G', {}]);
		expect(end.top).toEqual({line: 42, sub: 0}); // the last 8 lines
	});

	it('ignores other keys', () => {
		expect(press(start, ctx, ['x', {}])).toBe(start);
	});
});

describe('corpus view', () => {
	it('draws └─┘ under each token of "the cat", and ┗━┛ under the cursor\'s', () => {
		const session = sessionOf('a\nthe cat\n');
		const ctx = contextOf(session);
		const lines = frameOf(initialCorpusState(session), ctx);
		const text = lines.findIndex((line) => line.includes('the cat'));
		expect(lines.slice(text - 2, text + 2)).toEqual(['1 a', '  ┃', '2 the cat', '  └─┘ └─┘']);
		const onCat = frameOf(press(initialCorpusState(session), ctx, RIGHT, RIGHT), ctx);
		expect(onCat.slice(text - 2, text + 2)).toEqual(['1 a', '  │', '2 the cat', '  └─┘ ┗━┛']);
	});

	it('shows a tab, CJK, an emoji and an escape sequence aligned, with no raw ESC', () => {
		const session = sessionOf('a\tb 猫 🙂 \x1b[31mred\n');
		const ctx = contextOf(session);
		const {lastFrame, unmount} = render(<CorpusStage state={initialCorpusState(session)} ctx={ctx} />);
		const frame = lastFrame()!;
		unmount();
		expect(frame).not.toContain('\x1b[31mred');
		const lines = frame.split('\n');
		const text = lines.findIndex((line) => line.includes('猫'));
		expect(lines[text]).toBe('1 a→b 猫 🙂 \\x1b[31mred');
		// a, b: one column; 猫, 🙂: two; the escaped token: 11.
		expect(lines[text + 1]).toBe('  ┃ │ └┘ └┘ └─────────┘'); // ┃: the cursor is on "a"
		expectFits(lines, ctx.rows, ctx.columns);
	});

	it('marks the token under the cursor inverse and its marker heavy', () => {
		const {corpus} = sessionOf('the cat sat');
		const {text, marker} = rowSegments(rowItems(corpus, {line: 0, sub: 0}, 20), 1);
		expect(text.map((s) => [s.text, Boolean(s.inverse)])).toEqual([
			['the', false],
			[' ', false],
			['cat', true],
			[' ', false],
			['sat', false],
		]);
		expect(marker.map((s) => s.text).join('')).toBe('└─┘ ┗━┛ └─┘');
	});

	it('wraps a long line at token boundaries on a narrow screen', () => {
		const session = sessionOf('one two three four five six seven\n');
		const ctx = contextOf(session, 16, 20);
		const lines = frameOf(initialCorpusState(session), ctx);
		// 20 columns less 2 for the line number leave 18: "one two three four" fills them.
		const first = lines.findIndex((line) => line.startsWith('1 one'));
		expect(lines.slice(first, first + 4)).toEqual(['1 one two three four', '  ┗━┛ └─┘ └───┘ └──┘', '  five six seven', '  └──┘ └─┘ └───┘']);
		expectFits(lines, 16, 20);
	});

	it('shows empty lines as empty', () => {
		const session = sessionOf('a\n\nb\n');
		const lines = frameOf(initialCorpusState(session), contextOf(session));
		const first = lines.findIndex((line) => line === '1 a');
		expect(lines.slice(first, first + 6).map((line) => line.trimEnd())).toEqual(['1 a', '  ┃', '2', '', '3 b', '  │']);
	});

	it('shows the animals corpus with its header and the cursor token\'s facts', () => {
		const session = sessionOf(readFileSync(ANIMALS, 'utf8'), 'corpus/001_animals.txt');
		const ctx = contextOf(session, 21, 80);
		const lines = frameOf(initialCorpusState(session), ctx);
		expect(lines).toHaveLength(21);
		expectFits(lines, 21, 80);
		expect(lines[0]).toMatch(/^corpus\/001_animals\.txt {2}sha256 6477bef6066af975f288e0ab/);
		expect(lines[1]).toBe('40 non-blank lines · 313 tokens · 1,406 characters · vocabulary 47');
		expect(lines[3]).toBe(' 1 the cat chases the mouse in the barn');
		expect(lines[4]).toBe('   ┗━┛ └─┘ └────┘ └─┘ └───┘ └┘ └─┘ └──┘');
		// "the" is id 42 of the sorted vocabulary and occurs 94 times.
		expect(lines[20]).toBe('token 1 of 313 · "the" · id 42 · freq 94 · line 1 of 40');
		const moved = press(initialCorpusState(session), ctx, DOWN, RIGHT);
		expect(frameOf(moved, ctx)[20]).toBe('token 10 of 313 · "dog" · id 12 · freq 6 · line 2 of 40');
	});

	it('keeps every frame within its rows and columns', () => {
		const session = sessionOf('a\tb 猫 🙂 \x1b[31mred\n' + 'word '.repeat(200) + '\n' + 'x'.repeat(300) + '\n\n' + 'end\n');
		for (const [rows, columns] of [
			[8, 30],
			[14, 60],
			[21, 80],
			[40, 100],
		] as const) {
			const ctx = contextOf(session, rows, columns);
			let state = initialCorpusState(session);
			for (let i = 0; i < 6; i++) {
				expectFits(frameOf(state, ctx), rows, columns);
				state = press(state, ctx, DOWN);
			}
		}
	});

	it('says the corpus has no tokens when it is only whitespace', () => {
		expect(statusText(sessionOf('  \n').corpus, 0, 80)).toBe('no tokens: the corpus is empty or only whitespace');
	});
});
