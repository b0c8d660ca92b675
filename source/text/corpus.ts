/**
 * Reading a corpus: the file's bytes must be UTF-8 text; from them come the
 * token ids, the vocabulary and the facts the meta file records.
 */
import {createHash} from 'node:crypto';
import {isPythonSpace} from './tokenize.js';
import {UserError} from '../runtime/errors.js';
import {readRegularFile} from '../runtime/read-file.js';
import {compareCodePoints, makeVocabulary, type Vocabulary} from './vocabulary.js';
import {plural} from './plural.js';

export {describeFsError} from '../runtime/read-file.js';

/**
 * Files above this size are refused before reading: 64 MiB is about ten
 * million tokens. Measured peaks: 2.8 GB for 64 MiB of distinct tokens at
 * context 3 (refused before training by checkReadBack: its weights file would
 * be 1.4 GB), 0.7 GB for 57 MiB of text over 50,000 words at context 1
 * (docs/commands.md). Much larger would run out of memory rather than fail
 * cleanly.
 */
export const MAX_CORPUS_BYTES = 64 * 1024 * 1024;

export interface Corpus {
	/** The path as given, for messages. */
	readonly path: string;
	readonly text: string;
	readonly sha256: string;
	readonly byteLength: number;
	/** Non-blank lines, counted as Python counts lines of a file opened in text mode. */
	readonly numLines: number;
	/** Characters (code points), line ends `\r\n` and `\r` counting as one `\n`. */
	readonly numChars: number;
	readonly vocabulary: Vocabulary;
	/** Vocabulary id of every token, in corpus order. */
	readonly ids: Int32Array;
	/** UTF-16 offset in `text` where each token starts, and one past where it ends. */
	readonly tokenStart: Int32Array;
	readonly tokenEnd: Int32Array;
}

/** Read a corpus (or, with `what` 'text', a text to score) from a regular file of at most MAX_CORPUS_BYTES. */
export function readCorpusFile(path: string, what = 'corpus'): Corpus {
	const bytes = readRegularFile(path, {
		what,
		limit: MAX_CORPUS_BYTES,
		tooLarge: (size) =>
			`${what} ${path} is ${size === undefined ? `more than ${formatBytes(MAX_CORPUS_BYTES)}` : formatBytes(size)}; the limit is ${formatBytes(MAX_CORPUS_BYTES)} (split it or take a part of it)`,
	});
	return corpusFromBytes(path, bytes, what);
}

/** Refuse a corpus too short for even one training pair. */
export function checkTrainable(corpus: Corpus, n: number): void {
	const found = corpus.ids.length;
	if (found < n + 1) {
		const what = found === 0 ? 'no tokens (it is empty or only whitespace)' : `${found} token${found === 1 ? '' : 's'}`;
		throw new UserError(
			`corpus ${corpus.path} has ${what}; a context of ${n} needs at least ${plural(n + 1, 'token')} for one training pair`,
		);
	}
}

export function corpusFromBytes(path: string, bytes: Uint8Array, what = 'corpus'): Corpus {
	const text = decodeUtf8(path, bytes, what);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const {numLines, numChars} = countLinesAndChars(text);
	const {vocabulary, ids, tokenStart, tokenEnd} = tokenizeToIds(text);
	return {path, text, sha256, byteLength: bytes.length, numLines, numChars, vocabulary, ids, tokenStart, tokenEnd};
}

/** Decode strictly: invalid UTF-8 or a NUL byte (a binary file) is refused with its byte offset. */
export function decodeUtf8(path: string, bytes: Uint8Array, what = 'corpus'): string {
	const nul = bytes.indexOf(0);
	if (nul >= 0) throw new UserError(`${what} ${path} looks binary: a NUL byte at byte offset ${nul}; a ${what} must be UTF-8 text`);
	try {
		return new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes);
	} catch {
		const offset = firstInvalidUtf8(bytes);
		throw new UserError(`${what} ${path} is not valid UTF-8: a bad byte sequence at byte offset ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')})`);
	}
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i]!;
		if (b < 0x80) {
			i++;
			continue;
		}
		let need: number;
		let lo = 0x80;
		let hi = 0xbf;
		if (b >= 0xc2 && b <= 0xdf) need = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			if (b === 0xe0) lo = 0xa0;
			if (b === 0xed) hi = 0x9f; // no surrogates
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			if (b === 0xf0) lo = 0x90;
			if (b === 0xf4) hi = 0x8f;
		} else return i;
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined) return i;
			if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
		}
		i += need + 1;
	}
	return bytes.length;
}

function countLinesAndChars(text: string): {numLines: number; numChars: number} {
	let numLines = 0;
	let numChars = 0;
	let lineHasText = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0d || c === 0x0a) {
			if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
			numChars++;
			if (lineHasText) numLines++;
			lineHasText = false;
			continue;
		}
		if (c < 0xdc00 || c > 0xdfff) numChars++; // a low surrogate completes a code point already counted
		if (!lineHasText && !isPythonSpace(c)) lineHasText = true;
	}
	if (lineHasText) numLines++;
	return {numLines, numChars};
}

/** Tokenize straight to vocabulary ids, holding each distinct token string once. */
export function tokenizeToIds(text: string): {vocabulary: Vocabulary; ids: Int32Array; tokenStart: Int32Array; tokenEnd: Int32Array} {
	const firstIds = new Map<string, number>();
	const distinct: string[] = [];
	let counts: Int32Array = new Int32Array(1024);
	let raw: Int32Array = new Int32Array(1024);
	let starts: Int32Array = new Int32Array(1024);
	let ends: Int32Array = new Int32Array(1024);
	let count = 0;
	const add = (start: number, end: number) => {
		const token = text.slice(start, end);
		let id = firstIds.get(token);
		if (id === undefined) {
			id = distinct.length;
			firstIds.set(token, id);
			distinct.push(token);
			if (id >= counts.length) counts = grow(counts);
		}
		counts[id]!++;
		if (count >= raw.length) {
			raw = grow(raw);
			starts = grow(starts);
			ends = grow(ends);
		}
		raw[count] = id;
		starts[count] = start;
		ends[count] = end;
		count++;
	};
	let start = -1;
	for (let i = 0; i < text.length; i++) {
		if (isPythonSpace(text.charCodeAt(i))) {
			if (start >= 0) {
				add(start, i);
				start = -1;
			}
		} else if (start < 0) start = i;
	}
	if (start >= 0) add(start, text.length);

	const order = distinct.map((_, id) => id).sort((a, b) => compareCodePoints(distinct[a]!, distinct[b]!));
	const finalId = new Int32Array(distinct.length);
	order.forEach((first, id) => (finalId[first] = id));
	const ids = new Int32Array(count);
	for (let i = 0; i < count; i++) ids[i] = finalId[raw[i]!]!;
	const vocabulary = makeVocabulary(
		order.map((first) => distinct[first]!),
		Int32Array.from(order, (first) => counts[first]!),
	);
	return {vocabulary, ids, tokenStart: starts.slice(0, count), tokenEnd: ends.slice(0, count)};
}

function grow(array: Int32Array): Int32Array {
	const bigger = new Int32Array(array.length * 2);
	bigger.set(array);
	return bigger;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	const units = ['KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}
