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
 * only for all of it: just under, 99.97% (cut, not rounded up).
 */
export function percent(p: number): string {
	if (p === 0 || p >= 1) return `${(p * 100).toFixed(0)}%`;
	if (p >= 0.9995) return `${(Math.floor(p * 10000) / 100).toFixed(2)}%`;
	if (p >= 0.001) return `${(p * 100).toFixed(p >= 0.01 ? 1 : 2)}%`;
	const digits = Math.min(12, 1 - Math.floor(Math.log10(p * 100)));
	return `${(p * 100).toFixed(digits)}%`;
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
