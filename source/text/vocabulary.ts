/**
 * The vocabulary: the distinct tokens sorted by Unicode code point, as Python's
 * `sorted()` orders strings, with ids 0..V-1 in that order and each token's
 * frequency in the corpus.
 */

/**
 * Compare two strings by Unicode code point. JavaScript's default comparison
 * works on UTF-16 code units, which puts a character outside the Basic
 * Multilingual Plane (stored as a surrogate pair, 0xD800..0xDFFF) before
 * U+E000..U+FFFF; by code point it comes after them. Remapping each unit fixes
 * that and keeps every other comparison as it was.
 */
export function compareCodePoints(a: string, b: string): number {
	const length = Math.min(a.length, b.length);
	for (let i = 0; i < length; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x !== y) return codePointRank(x) - codePointRank(y);
	}
	return a.length - b.length;
}

function codePointRank(unit: number): number {
	if (unit < 0xd800) return unit;
	if (unit < 0xe000) return unit + 0x2000; // surrogates: code points above U+FFFF
	return unit - 0x800;
}

export interface Vocabulary {
	/** Token of each id. */
	readonly tokens: readonly string[];
	/** Frequency of each id in the corpus. */
	readonly frequencies: Int32Array;
	/** Id of each token. */
	readonly ids: ReadonlyMap<string, number>;
}

export function vocabularyFromTokens(tokens: readonly string[]): Vocabulary {
	const counts = new Map<string, number>();
	for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
	const sorted = [...counts.keys()].sort(compareCodePoints);
	return makeVocabulary(
		sorted,
		Int32Array.from(sorted, (token) => counts.get(token)!),
	);
}

export function makeVocabulary(tokens: readonly string[], frequencies: Int32Array): Vocabulary {
	const ids = new Map<string, number>();
	tokens.forEach((token, id) => ids.set(token, id));
	return {tokens, frequencies, ids};
}

/** The id of every token of the stream; every token must be in the vocabulary. */
export function encode(vocabulary: Vocabulary, tokens: readonly string[]): Int32Array {
	const ids = new Int32Array(tokens.length);
	for (let i = 0; i < tokens.length; i++) ids[i] = vocabulary.ids.get(tokens[i]!)!;
	return ids;
}
