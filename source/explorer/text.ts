/** Display helpers: escaping, display width, fitting text to columns. */
import stringWidth from 'string-width';
import {visible} from '../text/escape.js';

export {visible};
export {bar} from '../cli/format.js';

export function width(text: string): number {
	return stringWidth(text);
}

/** Cut `text` to at most `columns` display columns, with … when cut. */
export function fit(text: string, columns: number): string {
	if (columns <= 0) return '';
	if (stringWidth(text) <= columns) return text;
	let out = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const w = stringWidth(segment);
		if (used + w > columns - 1) break;
		out += segment;
		used += w;
	}
	return out + '…';
}

// In the bundle this is the lazy segmenter of runtime/graphemes.ts (segmenter-inject.ts).
const segmenter = new Intl.Segmenter();

/** Fit and pad to exactly `columns` display columns. */
export function cell(text: string, columns: number, align: 'left' | 'right' = 'left'): string {
	const cut = fit(text, columns);
	const pad = ' '.repeat(Math.max(0, columns - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

/**
 * 43.4%, 0.52%, 0.0018% (two significant digits when small), 0%, and 100%
 * only for all of it: just under, 99.97% (cut, not rounded up). Never in
 * exponent notation: a share below 0.0000000001% reads as less than that.
 */
export function percent(p: number): string {
	if (p === 0 || p >= 1) return `${(p * 100).toFixed(0)}%`;
	if (p >= 0.9995) return `${(Math.floor(p * 10000) / 100).toFixed(2)}%`;
	if (p >= 0.001) return `${(p * 100).toFixed(p >= 0.01 ? 1 : 2)}%`;
	const digits = 1 - Math.floor(Math.log10(p * 100));
	if (digits > SMALLEST_PERCENT_DIGITS) return `<0.${'0'.repeat(SMALLEST_PERCENT_DIGITS - 1)}1%`;
	return `${(p * 100).toFixed(digits)}%`;
}

const SMALLEST_PERCENT_DIGITS = 10;

/** x with `digits` decimals; a value that rounds to zero reads 0.0000, never -0.0000. */
export function fixed(x: number, digits: number): string {
	const text = x.toFixed(digits);
	return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** exp(loss): the number of equally likely tokens the model is as unsure as (loss in nats). */
export function perplexity(lossNats: number): string {
	const ppl = Math.exp(lossNats);
	if (!Number.isFinite(ppl)) return '∞';
	return ppl >= 1000 ? formatCount(ppl) : ppl.toFixed(ppl >= 100 ? 0 : 2);
}

/** A loss with its unit and its perplexity: "1.2345 nats (perplexity 3.44)". */
export function lossText(lossNats: number, digits = 4): string {
	return `${fixed(lossNats, digits)} nats (perplexity ${perplexity(lossNats)})`;
}

/**
 * Parts joined with `separator` while each fits whole; a part that does not
 * fit is left out (a later, shorter one may still fit). The first part is
 * always there, cut with … only when alone it is too wide.
 */
export function joinWhole(parts: readonly string[], columns: number, separator = ' · '): string {
	const [first = '', ...rest] = parts.filter((part) => part !== '');
	let line = first;
	for (const part of rest) if (stringWidth(line + separator + part) <= columns) line += separator + part;
	return fit(line, columns);
}

/** The end of `text` in at most `columns` columns, with … in front when cut (a path's file name stays). */
export function fitEnd(text: string, columns: number): string {
	if (stringWidth(text) <= columns) return text;
	const segments = [...segmenter.segment(text)].map((s) => s.segment);
	let out = '';
	for (let i = segments.length - 1; i >= 0; i--) {
		if (stringWidth(segments[i]! + out) > columns - 1) break;
		out = segments[i]! + out;
	}
	return '…' + out;
}

/**
 * Wrap text to lines of at most `columns` display columns, at spaces; a word
 * longer than a line is broken (nothing is cut).
 */
export function wrapText(text: string, columns: number): string[] {
	const lines: string[] = [];
	let line = '';
	const room = Math.max(1, columns);
	for (const word of text.split(' ')) {
		const next = line ? `${line} ${word}` : word;
		if (stringWidth(next) <= room) {
			line = next;
			continue;
		}
		if (line) lines.push(line);
		line = '';
		let rest = word;
		while (stringWidth(rest) > room) {
			let head = '';
			for (const {segment} of segmenter.segment(rest)) {
				if (stringWidth(head + segment) > room) break;
				head += segment;
			}
			if (!head) break;
			lines.push(head);
			rest = rest.slice(head.length);
		}
		line = rest;
	}
	if (line || lines.length === 0) lines.push(line);
	return lines;
}

/**
 * wrapText in at most `maxLines` lines: what does not fit goes on the last
 * line, cut with … (for a sentence given a fixed number of rows).
 */
export function wrapWithin(text: string, columns: number, maxLines: number): string[] {
	const lines = wrapText(text, columns);
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, Math.max(1, maxLines));
	kept[kept.length - 1] = fit(lines.slice(kept.length - 1).join(' '), columns);
	return kept;
}

/**
 * percent(p) in at most `width` columns (6 or more): a share too small to
 * show there reads as below the smallest that fits: <0.01% in 6 columns.
 */
export function percentWithin(p: number, width: number): string {
	const text = percent(p);
	if (text.length <= width || width < 6) return text;
	return `<0.${'0'.repeat(width - 5)}1%`;
}

export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const s = ms / 1000;
	if (s < 60) return `${s.toFixed(1)} s`;
	return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

/** 1234567 -> "1,234,567" (by hand: toLocaleString starts ICU's number formatter, a few ms). */
export function formatCount(n: number | bigint): string {
	const text = typeof n === 'bigint' ? n.toString() : Math.round(Math.abs(n)).toString();
	const sign = (typeof n === 'bigint' ? n < 0n : n < 0) ? '-' : '';
	const digits = text.replace(/^-/, '');
	return sign + digits.replace(/\B(?=(\d{3})+$)/g, ',');
}
