/**
 * The tokenizer must split exactly like Python's `str.split()` with no
 * arguments. Every expectation here was computed with Python 3.11 and is
 * hard-coded; the tests never call Python.
 */
import {describe, expect, it} from 'vitest';
import {isPythonSpace, tokenSpans, tokenize} from '../../source/text/tokenize.js';

/**
 * Every code point 0..0x10FFFF on which Python's `str.split()` splits, from
 * `[c for c in range(0x110000) if len(("a" + chr(c) + "b").split()) == 2]`
 * (29 code points, all in the Basic Multilingual Plane).
 */
const PYTHON_WHITESPACE = [
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
	0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

const hex = (c: number) => 'U+' + c.toString(16).toUpperCase().padStart(4, '0');

describe('isPythonSpace', () => {
	it('agrees with Python on every UTF-16 code unit 0..0xFFFF', () => {
		const expected = new Set(PYTHON_WHITESPACE);
		const wrong: string[] = [];
		for (let c = 0; c <= 0xffff; c++) {
			if (isPythonSpace(c) !== expected.has(c)) wrong.push(hex(c));
		}
		expect(wrong).toEqual([]);
	});

	it('counts exactly 29 whitespace code units', () => {
		let count = 0;
		for (let c = 0; c <= 0xffff; c++) if (isPythonSpace(c)) count++;
		expect(count).toBe(29);
	});

	it('accepts the information separators and NEL, which JavaScript \\s does not', () => {
		for (const c of [0x1c, 0x1d, 0x1e, 0x1f, 0x85]) {
			expect(isPythonSpace(c), hex(c)).toBe(true);
			expect(/\s/.test(String.fromCharCode(c)), hex(c)).toBe(false);
		}
	});

	it('rejects the byte-order mark U+FEFF, which JavaScript \\s accepts', () => {
		expect(isPythonSpace(0xfeff)).toBe(false);
		expect(/\s/.test('\ufeff')).toBe(true);
	});

	it('rejects the zero-width space, the Mongolian vowel separator, controls and DEL', () => {
		for (const c of [0x200b, 0x180e, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x1b, 0x7f, 0x84, 0x86, 0x9f]) {
			expect(isPythonSpace(c), hex(c)).toBe(false);
		}
	});

	it('rejects the bounds just outside each whitespace range', () => {
		for (const c of [0x21, 0xa1, 0x167f, 0x1681, 0x1fff, 0x200b, 0x2027, 0x202a, 0x202e, 0x2030, 0x205e, 0x2060, 0x2fff, 0x3001]) {
			expect(isPythonSpace(c), hex(c)).toBe(false);
		}
	});

	it('rejects surrogate code units, so astral characters are never split', () => {
		for (const c of [0xd800, 0xd83d, 0xdbff, 0xdc00, 0xde00, 0xdfff]) expect(isPythonSpace(c), hex(c)).toBe(false);
	});
});

describe('tokenize splits like Python str.split()', () => {
	for (const c of PYTHON_WHITESPACE) {
		it(`splits on ${hex(c)}`, () => {
			// Python: ("a" + chr(c) + "b").split() == ['a', 'b']
			expect(tokenize(`a${String.fromCharCode(c)}b`)).toEqual(['a', 'b']);
		});
	}

	const nearMisses: Array<[string, number]> = [
		['zero-width space', 0x200b],
		['Mongolian vowel separator', 0x180e],
		['byte-order mark', 0xfeff],
		['NUL', 0x00],
		['SOH', 0x01],
		['STX', 0x02],
		['ETX', 0x03],
		['EOT', 0x04],
		['ENQ', 0x05],
		['ACK', 0x06],
		['BEL', 0x07],
		['backspace', 0x08],
		['DEL', 0x7f],
	];
	for (const [name, c] of nearMisses) {
		it(`does not split on ${name} (${hex(c)})`, () => {
			const text = `a${String.fromCharCode(c)}b`;
			expect(tokenize(text)).toEqual([text]);
		});
	}

	it('splits on separators and NEL but keeps a BOM inside a token', () => {
		// 'a\x1cb\x85c\ufeffd'.split() == ['a', 'b', 'c\ufeffd']
		expect(tokenize('a\x1cb\x85c\ufeffd')).toEqual(['a', 'b', 'c\ufeffd']);
	});

	it('keeps a run of non-splitting controls as one token', () => {
		// '\x00a\x01b\x08c\x7fd'.split() == ['\x00a\x01b\x08c\x7fd']
		expect(tokenize('\x00a\x01b\x08c\x7fd')).toEqual(['\x00a\x01b\x08c\x7fd']);
	});

	it('treats CRLF line ends as whitespace, leaving no empty tokens', () => {
		// 'one\r\ntwo\r\n'.split() == ['one', 'two']
		expect(tokenize('one\r\ntwo\r\n')).toEqual(['one', 'two']);
	});

	it('splits on vertical tab, form feed and a bare carriage return', () => {
		expect(tokenize('a\x0bb\x0cc\rd')).toEqual(['a', 'b', 'c', 'd']);
	});

	it('drops leading and trailing whitespace, including tabs', () => {
		// '\tleading and trailing\t \n'.split() == ['leading', 'and', 'trailing']
		expect(tokenize('\tleading and trailing\t \n')).toEqual(['leading', 'and', 'trailing']);
	});

	it('gives no tokens for the empty string', () => {
		expect(tokenize('')).toEqual([]);
	});

	it('gives no tokens for whitespace only', () => {
		expect(tokenize('   \n\t ')).toEqual([]);
	});

	it('keeps punctuation and case', () => {
		// 'Hello, World! hello.'.split() == ['Hello,', 'World!', 'hello.']
		expect(tokenize('Hello, World! hello.')).toEqual(['Hello,', 'World!', 'hello.']);
	});

	it('keeps emoji and astral characters whole', () => {
		// 'I\u2019m 😀 𝒳y 😀😁'.split() == ['I’m', '😀', '𝒳y', '😀😁']
		expect(tokenize('I\u2019m \u{1F600} \u{1D4B3}y \u{1F600}\u{1F601}')).toEqual(['I\u2019m', '\u{1F600}', '\u{1D4B3}y', '\u{1F600}\u{1F601}']);
	});

	it('runs the token stream across lines', () => {
		expect(tokenize('the cat\nsat on\nthe mat')).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat']);
	});

	it('splits on the wide Unicode spaces between single letters', () => {
		// 'a\u3000b\u2028c\u2029d\u202fe\u205ff\u1680g\xa0h'.split() == list('abcdefgh')
		expect(tokenize('a\u3000b\u2028c\u2029d\u202fe\u205ff\u1680g\xa0h')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
	});

	it('collapses a long mixed run of whitespace into one split', () => {
		expect(tokenize('x \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2000\u3000y')).toEqual(['x', 'y']);
	});
});

describe('tokenSpans', () => {
	it('gives UTF-16 start and end offsets of each token', () => {
		// '  ab c\xa0😀d\r\n\u3000x': tokens ab [2,4), c [5,6), 😀d [7,10), x [13,14)
		const text = '  ab c\xa0\u{1F600}d\r\n\u3000x';
		const {start, end} = tokenSpans(text);
		expect(Array.from(start)).toEqual([2, 5, 7, 13]);
		expect(Array.from(end)).toEqual([4, 6, 10, 14]);
	});

	it('spans slice out exactly the tokens tokenize returns', () => {
		const text = '\ufeffHi,\tthere\x1cfriend\x85\u{1F600}  end\n';
		const {start, end} = tokenSpans(text);
		const sliced = Array.from(start, (s, i) => text.slice(s, end[i]));
		expect(sliced).toEqual(tokenize(text));
		expect(sliced).toEqual(['\ufeffHi,', 'there', 'friend', '\u{1F600}', 'end']);
	});

	it('ends the last token at the text length when no whitespace follows', () => {
		const {start, end} = tokenSpans('ab cd');
		expect(Array.from(start)).toEqual([0, 3]);
		expect(Array.from(end)).toEqual([2, 5]);
	});

	it('gives empty arrays for empty or all-whitespace text', () => {
		for (const text of ['', ' \t\n\u3000']) {
			const {start, end} = tokenSpans(text);
			expect(start.length).toBe(0);
			expect(end.length).toBe(0);
		}
	});
});
