/**
 * The vocabulary: distinct tokens sorted by code point as Python's `sorted()`
 * orders strings, ids 0..V-1 in that order, frequencies, and encoding.
 * Expected orders were computed with Python 3.11 and are hard-coded.
 */
import {describe, expect, it} from 'vitest';
import {compareCodePoints, encode, makeVocabulary, vocabularyFromTokens} from '../../source/text/vocabulary.js';

const sign = (x: number) => Math.sign(x);

describe('compareCodePoints', () => {
	it('puts U+FFFF before an astral emoji, as Python does and JavaScript sort does not', () => {
		// sorted(['\uffff', '\U0001F600']) == ['\uffff', '😀']
		expect(sign(compareCodePoints('\uffff', '\u{1F600}'))).toBe(-1);
		expect(sign(compareCodePoints('\u{1F600}', '\uffff'))).toBe(1);
		expect(['\u{1F600}', '\uffff'].sort()).toEqual(['\u{1F600}', '\uffff']);
		expect(['\u{1F600}', '\uffff'].sort(compareCodePoints)).toEqual(['\uffff', '\u{1F600}']);
	});

	it('puts private use U+E000 and U+FFFD before U+10000', () => {
		expect(sign(compareCodePoints('\ue000', '\u{10000}'))).toBe(-1);
		expect(sign(compareCodePoints('\ufffd', '\u{10000}'))).toBe(-1);
	});

	it('orders two astral characters by code point', () => {
		// U+1F431 (cat face) < U+1F600 (grinning face)
		expect(sign(compareCodePoints('\u{1F431}', '\u{1F600}'))).toBe(-1);
		expect(sign(compareCodePoints('\u{10000}', '\u{1F431}'))).toBe(-1);
	});

	it('orders upper case before lower case and a prefix before a longer string', () => {
		expect(sign(compareCodePoints('Zebra', 'apple'))).toBe(-1);
		expect(sign(compareCodePoints('a', 'ab'))).toBe(-1);
		expect(sign(compareCodePoints('ab', 'a'))).toBe(1);
	});

	it('returns 0 only for equal strings', () => {
		expect(compareCodePoints('same', 'same')).toBe(0);
		expect(compareCodePoints('', '')).toBe(0);
		expect(compareCodePoints('\u{1F600}', '\u{1F600}')).toBe(0);
		expect(compareCodePoints('', 'a')).not.toBe(0);
	});

	it('keeps BMP characters below the surrogate range in code-unit order', () => {
		expect(sign(compareCodePoints('\u732b', '\u72ac'))).toBe(1); // 猫 U+732B after 犬 U+72AC
		expect(sign(compareCodePoints('\ud7ff', '\ue000'))).toBe(-1);
	});

	it('sorts a mixed list exactly as Python sorted() does', () => {
		const items = [
			'zebra', 'Apple', 'apple', 'Zebra', '\u00e9clair', 'eclair', '\u00c9cole', '\u732b', '\u72ac', '\ue000',
			'\ufffd', '\u{1F600}', '\u{1F431}', 'a', 'ab', '\uffff', '\u{10000}', 'B', '_', '1',
		];
		// Python: sorted(items)
		const pythonSorted = [
			'1', 'Apple', 'B', 'Zebra', '_', 'a', 'ab', 'apple', 'eclair', 'zebra', '\u00c9cole', '\u00e9clair', '\u72ac',
			'\u732b', '\ue000', '\ufffd', '\uffff', '\u{10000}', '\u{1F431}', '\u{1F600}',
		];
		expect([...items].sort(compareCodePoints)).toEqual(pythonSorted);
		expect([...items].reverse().sort(compareCodePoints)).toEqual(pythonSorted);
	});
});

describe('vocabularyFromTokens', () => {
	const tokens = 'the cat sat on the mat the end'.split(' ');
	const vocabulary = vocabularyFromTokens(tokens);

	it('lists the distinct tokens sorted', () => {
		// Python: sorted(set(tokens))
		expect(vocabulary.tokens).toEqual(['cat', 'end', 'mat', 'on', 'sat', 'the']);
	});

	it('gives ids 0..V-1 in sorted order', () => {
		expect([...vocabulary.ids.entries()]).toEqual([
			['cat', 0],
			['end', 1],
			['mat', 2],
			['on', 3],
			['sat', 4],
			['the', 5],
		]);
	});

	it('counts each token frequency', () => {
		expect(Array.from(vocabulary.frequencies)).toEqual([1, 1, 1, 1, 1, 3]);
	});

	it('puts an astral token after U+FFFF and private use tokens', () => {
		const v = vocabularyFromTokens(['\u{1F600}', '\uffff', '\ue000', '\u{1F600}', 'z']);
		expect(v.tokens).toEqual(['z', '\ue000', '\uffff', '\u{1F600}']);
		expect(Array.from(v.frequencies)).toEqual([1, 1, 1, 2]);
		expect(v.ids.get('\u{1F600}')).toBe(3);
	});

	it('is empty for no tokens', () => {
		const v = vocabularyFromTokens([]);
		expect(v.tokens).toEqual([]);
		expect(v.frequencies.length).toBe(0);
		expect(v.ids.size).toBe(0);
	});
});

describe('makeVocabulary', () => {
	it('keeps the given order and frequencies and maps ids by position', () => {
		const v = makeVocabulary(['b', 'a'], Int32Array.from([7, 9]));
		expect(v.tokens).toEqual(['b', 'a']);
		expect(v.ids.get('b')).toBe(0);
		expect(v.ids.get('a')).toBe(1);
		expect(Array.from(v.frequencies)).toEqual([7, 9]);
	});
});

describe('encode', () => {
	it('maps every token of the stream to its id', () => {
		const tokens = 'the cat sat on the mat the end'.split(' ');
		const vocabulary = vocabularyFromTokens(tokens);
		// Python: [sorted(set(tokens)).index(t) for t in tokens]
		expect(Array.from(encode(vocabulary, tokens))).toEqual([5, 0, 4, 3, 5, 2, 5, 1]);
	});

	it('returns an Int32Array of the stream length', () => {
		const vocabulary = vocabularyFromTokens(['x', 'y']);
		const ids = encode(vocabulary, ['y', 'y', 'x']);
		expect(ids).toBeInstanceOf(Int32Array);
		expect(Array.from(ids)).toEqual([1, 1, 0]);
	});

	it('encodes an empty stream as an empty array', () => {
		expect(encode(vocabularyFromTokens(['x']), []).length).toBe(0);
	});
});
