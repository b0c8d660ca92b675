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

/** A long time as a person says it: `45 s`, `1.7 min`, `37 min`, `2.5 h`, `31 h`, `3.2 days`. */
export function roughDuration(ms: number): string {
	const s = ms / 1000;
	if (s < 90) return `${Math.round(s)} s`;
	const min = s / 60;
	if (min < 10) return `${min.toFixed(1)} min`;
	if (min < 90) return `${Math.round(min)} min`;
	const h = min / 60;
	if (h < 48) return `${h < 10 ? h.toFixed(1).replace(/\.0$/, '') : Math.round(h)} h`;
	return `${(h / 24).toFixed(1).replace(/\.0$/, '')} days`;
}

/** How much of an epoch must have run, and for how long, before its length is estimated from it. */
export const ESTIMATE_AFTER_MS = 2000;
/** Epochs estimated to take longer than this are announced. */
export const LONG_EPOCH_MS = 60_000;

/**
 * The line that says up front how long a run will take, once `elapsedMs` of
 * its first epoch have done the share `done` of it: an epoch's time is
 * elapsedMs / done. Undefined for an epoch of a minute or less (or too early
 * to tell).
 */
export function longEpochNote(elapsedMs: number, done: number, epochs: number): string | undefined {
	if (elapsedMs < ESTIMATE_AFTER_MS || !(done > 0)) return undefined;
	const epochMs = elapsedMs / done;
	if (epochMs <= LONG_EPOCH_MS) return undefined;
	const all = epochs > 1 ? `, ${epochs} epochs about ${roughDuration(epochMs * epochs)}` : '';
	return `an epoch will take about ${roughDuration(epochMs)} (measured on ${done < 0.001 ? 'less than the first 0.1%' : `the first ${(done * 100).toFixed(1)}%`} of epoch 1)${all}; Ctrl+C stops and keeps the previous artifacts`;
}
