/**
 * Reading a corpus. Expected hashes, line and character counts, vocabularies
 * and token ids were computed with Python 3.11 (text mode, universal newlines:
 * `sum(1 for line in f if line.strip())`, `len(f.read())`, `sorted(set(tokens))`)
 * and are hard-coded; error offsets are those of Python's UnicodeDecodeError.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	MAX_CORPUS_BYTES,
	corpusFromBytes,
	describeFsError,
	firstInvalidUtf8,
	formatBytes,
	readCorpusFile,
} from '../../source/text/corpus.js';
import {UserError} from '../../source/runtime/errors.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Array.from(Buffer.from(text, 'latin1'));

describe('corpusFromBytes', () => {
	it('reads a simple two-line corpus', () => {
		const corpus = corpusFromBytes('simple.txt', Buffer.from('the cat sat\non the mat\n'));
		expect(corpus.path).toBe('simple.txt');
		expect(corpus.text).toBe('the cat sat\non the mat\n');
		expect(corpus.sha256).toBe('575838e5e6bc8a53a6fddc9aacdc78be5b048ba2d02b26f23acd9e29a00732e2');
		expect(corpus.byteLength).toBe(23);
		expect(corpus.numLines).toBe(2);
		expect(corpus.numChars).toBe(23);
		expect(corpus.vocabulary.tokens).toEqual(['cat', 'mat', 'on', 'sat', 'the']);
		expect(Array.from(corpus.vocabulary.frequencies)).toEqual([1, 1, 1, 1, 2]);
		expect(Array.from(corpus.ids)).toEqual([4, 0, 3, 2, 4, 1]);
	});

	it('counts CRLF as one character and skips blank lines', () => {
		const corpus = corpusFromBytes('crlf.txt', Buffer.from('one two\r\n\r\n  \t \r\nthree\r\n'));
		expect(corpus.byteLength).toBe(24);
		expect(corpus.numChars).toBe(20);
		expect(corpus.numLines).toBe(2);
		expect(corpus.sha256).toBe('574e8f080833f47a944cdbcfcb0d884783fcf8b83cc4a2d85a01782631bfcf2d');
		expect(corpus.vocabulary.tokens).toEqual(['one', 'three', 'two']);
		expect(Array.from(corpus.ids)).toEqual([0, 2, 1]);
	});

	it('treats a bare carriage return as a line end', () => {
		const corpus = corpusFromBytes('cr.txt', Buffer.from('a\rb\r\r'));
		expect(corpus.numChars).toBe(5);
		expect(corpus.numLines).toBe(2);
		expect(corpus.sha256).toBe('bf6a12d95fc9ee4d2349df651ce29e7a5b670518c984e143e7cb896ff1356152');
	});

	it('counts a whitespace-only line (spaces, tab, VT, FS) as blank', () => {
		const corpus = corpusFromBytes('blank.txt', Buffer.from('\n \n\t\nword\n\x0b\x1c\n'));
		expect(corpus.numLines).toBe(1);
		expect(corpus.numChars).toBe(13);
		expect(corpus.sha256).toBe('ae67c1949eee43cef14317e64ffaa1871a57f38d2404218304e616eddbbae531');
		expect(corpus.vocabulary.tokens).toEqual(['word']);
	});

	it('counts code points, not UTF-16 units or bytes, and keeps a BOM as a character', () => {
		const text = 'caf\u00e9 \u{1F600} x\u2028y\n\ufeffz';
		const corpus = corpusFromBytes('astral.txt', Buffer.from(text, 'utf8'));
		expect(corpus.byteLength).toBe(21);
		expect(corpus.text.length).toBe(14);
		expect(corpus.numChars).toBe(13);
		// U+2028 splits tokens but is not a line end for a file read in text mode
		expect(corpus.numLines).toBe(2);
		expect(corpus.sha256).toBe('4648d494c18172d09683dba9b5af9b4ef0489001a8a2993ca12398af3c3af3a2');
		expect(corpus.vocabulary.tokens).toEqual(['caf\u00e9', 'x', 'y', '\ufeffz', '\u{1F600}']);
		expect(Array.from(corpus.ids)).toEqual([0, 4, 1, 2, 3]);
	});

	it('reads an empty file as no lines, no characters, no tokens', () => {
		const corpus = corpusFromBytes('empty.txt', new Uint8Array(0));
		expect(corpus.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(corpus.numLines).toBe(0);
		expect(corpus.numChars).toBe(0);
		expect(corpus.vocabulary.tokens).toEqual([]);
		expect(corpus.ids.length).toBe(0);
	});

	it('counts a last line without a newline', () => {
		const corpus = corpusFromBytes('nofinal.txt', Buffer.from('last line'));
		expect(corpus.numLines).toBe(1);
		expect(corpus.numChars).toBe(9);
		expect(corpus.sha256).toBe('823810021fd8e874d5837ffc0c3fc3736826c08f45f9c4014161e74ed781d011');
	});

	it('numbers tokens in code-point order (U+FFFF before an astral emoji)', () => {
		const corpus = corpusFromBytes('order.txt', Buffer.from('b a \u{1F600} \uffff B a\n'));
		expect(corpus.vocabulary.tokens).toEqual(['B', 'a', 'b', '\uffff', '\u{1F600}']);
		expect(Array.from(corpus.vocabulary.frequencies)).toEqual([1, 2, 1, 1, 1]);
		expect(Array.from(corpus.ids)).toEqual([2, 1, 4, 3, 0, 1]);
		expect(corpus.vocabulary.ids.get('\u{1F600}')).toBe(4);
	});

	it('records the UTF-16 span of every token', () => {
		const corpus = corpusFromBytes('spans.txt', Buffer.from(' ab\r\n\u{1F600}c d'));
		expect(Array.from(corpus.tokenStart)).toEqual([1, 5, 9]);
		expect(Array.from(corpus.tokenEnd)).toEqual([3, 8, 10]);
	});

	it('hashes the raw bytes, so a BOM changes the hash', () => {
		const plain = corpusFromBytes('a', Buffer.from('x'));
		const withBom = corpusFromBytes('b', Buffer.from('\ufeffx'));
		expect(plain.sha256).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
		expect(withBom.sha256).not.toBe(plain.sha256);
		expect(withBom.text).toBe('\ufeffx');
	});

	it('grows its buffers past 1024 tokens and distinct tokens', () => {
		const words = Array.from({length: 3000}, (_, i) => `w${i % 1500}`);
		const corpus = corpusFromBytes('big.txt', Buffer.from(words.join(' ')));
		expect(corpus.ids.length).toBe(3000);
		expect(corpus.vocabulary.tokens.length).toBe(1500);
		expect(corpus.vocabulary.frequencies.every((f) => f === 2)).toBe(true);
		expect(corpus.vocabulary.tokens.slice(0, 3)).toEqual(['w0', 'w1', 'w10']);
		expect(corpus.vocabulary.tokens[corpus.ids[2999]!]).toBe('w1499');
		expect(corpus.tokenEnd[2999]).toBe(corpus.text.length);
	});
});

describe('invalid UTF-8 is refused with the byte offset of the first bad sequence', () => {
	const cases: Array<[string, Uint8Array, number, string]> = [
		['a lone continuation byte', bytes(...ascii('ab'), 0x80, ...ascii('cd')), 2, '0x80'],
		['a truncated 3-byte sequence at the end', bytes(...ascii('abc'), 0xe2, 0x82), 3, '0xe2'],
		['an overlong encoding C0 80', bytes(0x78, 0xc0, 0x80, 0x79), 1, '0xc0'],
		['an encoded surrogate ED A0 80', bytes(...ascii('ok '), 0xed, 0xa0, 0x80), 3, '0xed'],
		['an F5 byte', bytes(...ascii('hi '), 0xf5, 0x80, 0x80, 0x80), 3, '0xf5'],
		['a 3-byte sequence cut short by ASCII', bytes(0xe2, 0x82, 0x41), 0, '0xe2'],
		['an overlong 4-byte sequence F0 8F', bytes(0xf0, 0x8f, 0xbf, 0xbf), 0, '0xf0'],
		['a code point above U+10FFFF (F4 90)', bytes(0xf4, 0x90, 0x80, 0x80), 0, '0xf4'],
		['an overlong 3-byte sequence E0 80', bytes(0xe0, 0x80, 0x80), 0, '0xe0'],
		['an FF byte', bytes(...ascii('abc'), 0xff), 3, '0xff'],
		['a bad byte after multi-byte characters', bytes(...Buffer.from('caf\u00e9 \u{1F600}'), 0x80), 10, '0x80'],
	];
	for (const [name, input, offset, byte] of cases) {
		it(`${name}: offset ${offset}`, () => {
			expect(firstInvalidUtf8(input)).toBe(offset);
			expect(() => corpusFromBytes('bad.txt', input)).toThrow(
				`corpus bad.txt is not valid UTF-8: a bad byte sequence at byte offset ${offset} (${byte})`,
			);
		});
	}

	it('throws a UserError', () => {
		expect(() => corpusFromBytes('bad.txt', bytes(0x80))).toThrow(UserError);
	});
});

describe('firstInvalidUtf8 on valid input', () => {
	it('returns the length', () => {
		expect(firstInvalidUtf8(new Uint8Array(0))).toBe(0);
		expect(firstInvalidUtf8(Buffer.from('hello'))).toBe(5);
		// é (2 bytes), € (3 bytes), 😀 (4 bytes), U+10FFFF (4 bytes), U+FFFF (3 bytes)
		expect(firstInvalidUtf8(Buffer.from('\u00e9\u20ac\u{1F600}\u{10FFFF}\uffff'))).toBe(16);
		expect(firstInvalidUtf8(bytes(0xed, 0x9f, 0xbf))).toBe(3); // U+D7FF, the last code point before the surrogates
	});
});

describe('a NUL byte means a binary file', () => {
	it('is refused with the offset of the first NUL', () => {
		expect(() => corpusFromBytes('bin.dat', bytes(...ascii('abc'), 0x00, 0x41, 0x00))).toThrow(
			'corpus bin.dat looks binary: a NUL byte at byte offset 3; a corpus must be UTF-8 text',
		);
	});

	it('is reported even when valid UTF-8 surrounds it', () => {
		expect(() => corpusFromBytes('nul.txt', Buffer.from('caf\u00e9\x00'))).toThrow('a NUL byte at byte offset 5');
	});
});

describe('readCorpusFile', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'corpus-test-'));
	});
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('reads a file from disk like corpusFromBytes', () => {
		const path = join(dir, 'crlf.txt');
		writeFileSync(path, Buffer.from('one two\r\n\r\n  \t \r\nthree\r\n'));
		const corpus = readCorpusFile(path);
		expect(corpus.path).toBe(path);
		expect(corpus.sha256).toBe('574e8f080833f47a944cdbcfcb0d884783fcf8b83cc4a2d85a01782631bfcf2d');
		expect(corpus.numLines).toBe(2);
		expect(corpus.numChars).toBe(20);
		expect(corpus.vocabulary.tokens).toEqual(['one', 'three', 'two']);
	});

	it('refuses a missing file, naming the path', () => {
		const path = join(dir, 'no-such-file.txt');
		expect(() => readCorpusFile(path)).toThrow(new UserError(`cannot read corpus ${path}: no such file`));
	});

	it('refuses a directory, naming the path', () => {
		expect(() => readCorpusFile(dir)).toThrow(new UserError(`corpus ${dir} is a directory, not a text file`));
	});

	it('refuses a path through a regular file', () => {
		const file = join(dir, 'plain.txt');
		writeFileSync(file, 'x');
		const path = join(file, 'inside.txt');
		expect(() => readCorpusFile(path)).toThrow(`cannot read corpus ${path}: a part of the path is not a directory`);
	});

	it('refuses invalid UTF-8 on disk, naming the path and offset', () => {
		const path = join(dir, 'latin1.txt');
		writeFileSync(path, Buffer.from('caf\xe9\n', 'latin1'));
		expect(() => readCorpusFile(path)).toThrow(`corpus ${path} is not valid UTF-8: a bad byte sequence at byte offset 3 (0xe9)`);
	});

	it('refuses a file above the size limit before reading it', () => {
		const path = join(dir, 'huge.txt');
		writeFileSync(path, '');
		truncateSync(path, 300 * 1024 * 1024); // sparse: no data is written
		expect(() => readCorpusFile(path)).toThrow(
			`corpus ${path} is 300.0 MiB; the limit is 64.0 MiB (split it or take a part of it)`,
		);
		rmSync(path);
	});

	it('refuses /dev/zero, which stat says is 0 bytes, in one line without reading it', () => {
		if (!existsSync('/dev/zero')) return;
		expect(() => readCorpusFile('/dev/zero')).toThrow(new UserError('corpus /dev/zero is a character device, not a text file'));
	});

	it('refuses a symbolic link to /dev/zero, naming the path given', () => {
		if (!existsSync('/dev/zero')) return;
		const path = join(dir, 'zero.txt');
		symlinkSync('/dev/zero', path);
		expect(() => readCorpusFile(path)).toThrow(new UserError(`corpus ${path} is a character device, not a text file`));
	});

	it('refuses a named pipe with no writer at once, without waiting for one', () => {
		const path = join(dir, 'pipe.txt');
		try {
			execFileSync('mkfifo', [path]);
		} catch {
			return; // no mkfifo here
		}
		expect(() => readCorpusFile(path)).toThrow(new UserError(`corpus ${path} is a named pipe, not a text file`));
	});

	it('has a 64 MiB limit', () => {
		expect(MAX_CORPUS_BYTES).toBe(67108864);
	});
});

describe('formatBytes', () => {
	it('writes bytes below 1 KiB exactly and larger sizes with one decimal', () => {
		expect(formatBytes(0)).toBe('0 bytes');
		expect(formatBytes(1023)).toBe('1023 bytes');
		expect(formatBytes(1024)).toBe('1.0 KiB');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(1024 * 1024)).toBe('1.0 MiB');
		expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
		expect(formatBytes(2 * 1024 ** 5)).toBe('2048.0 TiB');
	});
});

describe('describeFsError', () => {
	const err = (code: string) => Object.assign(new Error(`raw ${code}`), {code});
	it('turns common error codes into plain words', () => {
		expect(describeFsError(err('ENOENT'))).toBe('no such file');
		expect(describeFsError(err('EACCES'))).toBe('permission denied');
		expect(describeFsError(err('EPERM'))).toBe('permission denied');
		expect(describeFsError(err('EISDIR'))).toBe('it is a directory');
		expect(describeFsError(err('ENOTDIR'))).toBe('a part of the path is not a directory');
		expect(describeFsError(err('ENOSPC'))).toBe('no space left on the device');
		expect(describeFsError(err('EROFS'))).toBe('the file system is read-only');
	});

	it('falls back to the message, or the value as text', () => {
		expect(describeFsError(err('EIO'))).toBe('raw EIO');
		expect(describeFsError('plain')).toBe('plain');
	});
});
