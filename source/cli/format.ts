/** Figures as the command line and the explorer print them: padded text, percentages, bars. */

/** Pad `text` on the right to `width` display columns (`measured` is its width). */
export function padEnd(text: string, width: number, measured: number): string {
	return measured >= width ? text : text + ' '.repeat(width - measured);
}

/** 43.42%, 0.53%, 0.0046% (two significant digits below 0.01%). */
export function percent(p: number): string {
	if (p === 0 || p * 100 >= 0.01) return `${(p * 100).toFixed(2)}%`;
	const digits = Math.min(12, 1 - Math.floor(Math.log10(p * 100)));
	return `${(p * 100).toFixed(digits)}%`;
}

/** A bar of eighth-blocks, `width` cells for a share of 1. */
export function bar(share: number, width: number): string {
	const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
	const full = Math.floor(eighths / 8);
	const rest = eighths % 8;
	return '█'.repeat(full) + (rest ? ' ▏▎▍▌▋▊▉'[rest] : '');
}

// What JSON.stringify leaves raw that must not reach a terminal: DEL and the
// C1 controls, the bidirectional marks, embeddings, overrides and isolates,
// and the line and paragraph separators (it escapes U+0000-001F itself).
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify(value), with every control and bidi character written as a
 * \u escape (\u009b, \u202e): still JSON, and it parses to the same value,
 * but none of them reaches the terminal raw. Outside strings JSON holds only
 * ASCII, so each one found is inside a string, where \u is its escape.
 */
export function jsonText(value: unknown): string {
	return JSON.stringify(value).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
