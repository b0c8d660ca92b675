/**
 * The tokenizer: split on whitespace exactly as Python's `str.split()` with no
 * arguments does. Its whitespace set is the characters Python's `str.isspace()`
 * accepts, which is not JavaScript's `\s`: Python also splits on the
 * information separators U+001C..U+001F and on NEL (U+0085), and does not split
 * on the byte-order mark U+FEFF, which `\s` matches.
 *
 * Case and punctuation are kept, and line ends are just whitespace: the token
 * stream runs across lines.
 */

/** True when the UTF-16 code unit `c` is whitespace for Python's `str.split()`. */
export function isPythonSpace(c: number): boolean {
	if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
	if (c < 0x85) return false;
	return (
		c === 0x85 ||
		c === 0xa0 ||
		c === 0x1680 ||
		(c >= 0x2000 && c <= 0x200a) ||
		c === 0x2028 ||
		c === 0x2029 ||
		c === 0x202f ||
		c === 0x205f ||
		c === 0x3000
	);
}

/** The tokens of `text`, in order. */
export function tokenize(text: string): string[] {
	const tokens: string[] = [];
	const length = text.length;
	let start = -1;
	for (let i = 0; i < length; i++) {
		if (isPythonSpace(text.charCodeAt(i))) {
			if (start >= 0) {
				tokens.push(text.slice(start, i));
				start = -1;
			}
		} else if (start < 0) {
			start = i;
		}
	}
	if (start >= 0) tokens.push(text.slice(start));
	return tokens;
}

/** Where each token sits in the text: UTF-16 offsets of its first and one-past-last unit. */
export function tokenSpans(text: string): {start: Int32Array; end: Int32Array} {
	const starts: number[] = [];
	const ends: number[] = [];
	let start = -1;
	for (let i = 0; i < text.length; i++) {
		if (isPythonSpace(text.charCodeAt(i))) {
			if (start >= 0) {
				starts.push(start);
				ends.push(i);
				start = -1;
			}
		} else if (start < 0) {
			start = i;
		}
	}
	if (start >= 0) {
		starts.push(start);
		ends.push(text.length);
	}
	return {start: Int32Array.from(starts), end: Int32Array.from(ends)};
}
