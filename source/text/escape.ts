/**
 * Making text safe to print: a corpus may hold escape sequences, other control
 * characters or bidirectional overrides, and none of them may reach the
 * terminal raw (they could move the cursor, recolour, retitle or hide text).
 * They are shown as visible escapes instead: `\x1b`, `\u202e`.
 */

// C0 controls, DEL, C1 controls, bidi marks/embeddings/overrides/isolates,
// the line and paragraph separators, and unpaired surrogates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function visible(text: string): string {
	return text.replace(UNSAFE, (c) => {
		const code = c.charCodeAt(0);
		return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

export function hasUnsafe(text: string): boolean {
	UNSAFE.lastIndex = 0;
	const found = UNSAFE.test(text);
	UNSAFE.lastIndex = 0;
	return found;
}
