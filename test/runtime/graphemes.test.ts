import {afterEach, describe, expect, it} from 'vitest';
import {lazyGraphemeSegmenter, SIMPLE} from '../../source/runtime/graphemes.js';
import {lcg} from '../support/random.js';

const real = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const segments = (text: string) => [...real.segment(text)].map(({segment, index}) => [segment, index]);

/** Every character the shortcut takes as a grapheme of its own. */
const simple: string[] = [];
for (let c = 0; c <= 0xffff; c++) if (SIMPLE.test(String.fromCharCode(c))) simple.push(String.fromCharCode(c));

const original = Intl.Segmenter;
const setSegmenter = (segmenter: typeof Intl.Segmenter) => {
	(Intl as unknown as {Segmenter: typeof Intl.Segmenter}).Segmenter = segmenter;
};
afterEach(() => setSegmenter(original));

describe('graphemes, with ICU only when needed', () => {
	it('takes only characters that never join a neighbour: each stays apart after a letter, before one, and doubled', () => {
		expect(simple.length).toBeGreaterThan(3900);
		for (const c of simple) {
			for (const text of [`a${c}`, `${c}a`, c + c, `\n${c}`, `${c}\n`]) {
				if (segments(text).length !== 2) expect.fail(`${JSON.stringify(text)} is ${JSON.stringify(segments(text))}`);
			}
		}
		// What would join is left out: marks, joiners, selectors, jamo, carriage return.
		for (const c of ['\u0301', '\u200D', '\uFE0F', '\u0903', '\u0600', '\u1100', '\u1161', '\r', '\uAC00', '\uD83C']) expect(SIMPLE.test(c), c).toBe(false);
	});

	it('gives the segments and the segment containing each index that Intl.Segmenter gives, for simple and other texts', () => {
		const random = lcg(31);
		const others = ['e\u0301', '\u{1F468}\u200D\u{1F469}', '\u{1F1EB}\u{1F1F7}', '\u1100\u1161\u11A8', 'a\r\nb', '\u0915\u094D\u0937', '\u{1F44D}\u{1F3FD}'];
		const segmenter = lazyGraphemeSegmenter();
		for (let trial = 0; trial < 500; trial++) {
			let text = '';
			const length = Math.floor(random() * 30);
			for (let i = 0; i < length; i++) text += random() < 0.05 && trial % 2 ? others[Math.floor(random() * others.length)] : simple[Math.floor(random() * simple.length)];
			const got = [...segmenter.segment(text)].map(({segment, index, input}) => {
				expect(input).toBe(text);
				return [segment, index];
			});
			expect(got, JSON.stringify(text)).toEqual(segments(text));
			for (const index of [-1, 0, 1, 5, text.length - 1, text.length, NaN, Infinity, undefined]) {
				const want = real.segment(text).containing(index);
				const have = segmenter.segment(text).containing(index);
				expect(have && [have.segment, have.index], `${JSON.stringify(text)} at ${index}`).toEqual(want && [want.segment, want.index]);
			}
		}
	});

	it('makes no Intl.Segmenter until a text needs one, then one', () => {
		let made = 0;
		setSegmenter(
			class extends original {
				constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
					super(...args);
					made++;
				}
			},
		);
		const segmenter = lazyGraphemeSegmenter(undefined, {granularity: 'grapheme'});
		const line = '│ 1 Corpus ─ └─┘ ┗━┛ · → … 99.97% ✓ ⠴ █▏ Σ × ÷ −';
		expect([...segmenter.segment(line)].map(({segment}) => segment)).toEqual([...line]);
		expect(made).toBe(0);
		expect([...segmenter.segment('café\u0301')].length).toBe(4);
		expect([...segmenter.segment('e\u0301e\u0301')].length).toBe(2);
		expect(made).toBe(1);
	});

	it('segments graphemes only', () => {
		expect(() => lazyGraphemeSegmenter(undefined, {granularity: 'word' as 'grapheme'})).toThrow(/graphemes only/);
	});
});
