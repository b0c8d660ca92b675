/**
 * What the prompt stage shows, as plain data: probabilities a learner can
 * read, the candidate list with tied tokens collapsed, short reasons for a
 * uniform distribution, and the prompt wrapped over lines. Pure: tested
 * without Ink.
 */
import type {NextTokenModel} from '../../../models/next-token.js';
import type {Prediction} from '../../../models/sample.js';
import {fit, formatCount, visible, width} from '../../text.js';

/** The widest text probabilityText returns ("0.00012%", "<0.0001%"). */
export const PROBABILITY_WIDTH = 8;

/**
 * A probability as a percentage a learner can read, never in exponent
 * notation: 43.4%, 0.52%, 0.0032% (two significant digits when small),
 * <0.0001% below that; 100% only for all of it, >99.99% just under.
 */
export function probabilityText(p: number): string {
	if (!(p > 0)) return '0%';
	if (p >= 1) return '100%';
	const percent = p * 100;
	if (percent >= 99.995) return '>99.99%';
	if (percent >= 10) return `${percent.toFixed(1)}%`;
	if (percent < 0.0001) return '<0.0001%';
	// Two significant digits: 1 - floor(log10) decimals (0.52, 0.0032).
	const digits = Math.max(1, 1 - Math.floor(Math.log10(percent)));
	return `${percent.toFixed(digits)}%`;
}

/** A line of the candidate list: one token, or every token tied at one probability. */
export type CandidateLine = {readonly kind: 'token'; readonly id: number; readonly p: number} | {readonly kind: 'tie'; readonly first: number; readonly count: number; readonly p: number};

/** Tokens tied at one probability are one line from this many on ("56,041 tokens at 0.0032% each"). */
export const TIE_LINE = 3;

/**
 * The `lines` most likely entries of a distribution, highest first. Tokens
 * tied at one probability (on a large vocabulary, the shared value every
 * never-seen column keeps) are one line when there are TIE_LINE or more of
 * them; fewer are listed one by one, lowest id first. One pass over the
 * vocabulary per line.
 */
export function candidateLines(probabilities: ArrayLike<number>, lines: number): CandidateLine[] {
	const out: CandidateLine[] = [];
	let below = Infinity;
	while (out.length < lines) {
		// The most likely token below the last probability listed, and how many share it.
		let best = -1;
		let ties = 0;
		for (let j = 0; j < probabilities.length; j++) {
			const p = probabilities[j]!;
			if (!(p < below)) continue;
			if (best < 0 || p > probabilities[best]!) {
				best = j;
				ties = 1;
			} else if (p === probabilities[best]!) ties++;
		}
		if (best < 0) break;
		const p = probabilities[best]!;
		if (ties >= TIE_LINE) out.push({kind: 'tie', first: best, count: ties, p});
		else {
			for (let j = best; j < probabilities.length && out.length < lines; j++) if (probabilities[j] === p) out.push({kind: 'token', id: j, p});
		}
		below = p;
	}
	return out;
}

/** How many tokens a candidate list covers, and the probability they hold. */
export function covered(lines: readonly CandidateLine[]): {tokens: number; probability: number} {
	let tokens = 0;
	let probability = 0;
	for (const line of lines) {
		const n = line.kind === 'tie' ? line.count : 1;
		tokens += n;
		probability += n * line.p;
	}
	return {tokens, probability};
}

/** "56,041 tokens" */
export function tokenCount(n: number): string {
	return `${formatCount(n)} token${n === 1 ? '' : 's'}`;
}

/** Why a prediction has no row, in a few words. */
export function shortReason(model: Pick<NextTokenModel, 'n'>, prediction: Prediction): string {
	switch (prediction.reason) {
		case 'too-short':
			return `the prompt has ${tokenCount(prediction.context.length)}; the model reads the last ${model.n}`;
		case 'unknown-token': {
			const unknown = prediction.unknown ?? [];
			return `${unknown.map((t) => `"${visible(t)}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the vocabulary`;
		}
		case 'unseen-context':
			return `the context "${visible(prediction.context.join('|'))}" never occurs in the corpus`;
		default:
			return '';
	}
}

/** A run of the prompt line drawn one way: typed text, generated text, its « » marks, the cursor, or "…" for text cut off. */
export interface Piece {
	readonly text: string;
	readonly kind: 'typed' | 'generated' | 'mark' | 'cursor' | 'cut';
}

/** The text cursor: a visible glyph, so it shows without colour or inverse. */
export const CURSOR = '█';
/** Around the text the model generated, so it shows without colour. */
export const GENERATED_OPEN = '«';
export const GENERATED_CLOSE = '»';

// In the bundle this is the lazy segmenter of runtime/graphemes.ts (segmenter-inject.ts).
const segmenter = new Intl.Segmenter();

/**
 * The prompt wrapped to lines of `columns` display columns (at spaces when a
 * line has one, else anywhere between graphemes), escaped for display, the
 * generated tail between « », the cursor at the end when typing. When it
 * needs more than `maxLines`, the last lines are kept (the newest text and
 * the cursor) and the first kept line starts with "…".
 */
export function wrapPrompt(typed: string, generated: string, cursor: boolean, columns: number, maxLines: number): Piece[][] {
	const cells: Array<{text: string; kind: Piece['kind']; width: number}> = [];
	const add = (text: string, kind: Piece['kind']) => {
		for (const {segment} of segmenter.segment(text)) cells.push({text: segment, kind, width: width(segment)});
	};
	add(visible(typed), 'typed');
	if (generated) {
		add(GENERATED_OPEN, 'mark');
		add(visible(generated), 'generated');
		add(GENERATED_CLOSE, 'mark');
	}
	if (cursor) add(CURSOR, 'cursor');
	const span = Math.max(2, columns);
	const rows: Array<typeof cells> = [];
	let row: typeof cells = [];
	let used = 0;
	for (const c of cells) {
		if (used + c.width > span && row.length > 0) {
			// Break after the last space of the line, if it has one past its start.
			let at = -1;
			for (let i = row.length - 1; i > 0; i--) if (row[i]!.text === ' ') {
				at = i;
				break;
			}
			const carried = at > 0 && c.text !== ' ' ? row.splice(at + 1) : [];
			rows.push(row);
			row = carried;
			used = carried.reduce((sum, x) => sum + x.width, 0);
			if (c.text === ' ' && row.length === 0) continue;
		}
		row.push(c);
		used += c.width;
	}
	rows.push(row);
	let kept = rows;
	if (rows.length > maxLines) {
		kept = rows.slice(rows.length - Math.max(1, maxLines));
		// Make room for "…" at the start of the first line kept.
		const first = [...kept[0]!];
		let room = span - first.reduce((sum, x) => sum + x.width, 0);
		while (room < 1 && first.length > 0) room += first.shift()!.width;
		kept[0] = [{text: '…', kind: 'cut', width: 1}, ...first];
	}
	return kept.map((cellsOfRow) => {
		const pieces: Piece[] = [];
		for (const c of cellsOfRow) {
			const last = pieces[pieces.length - 1];
			if (last && last.kind === c.kind) pieces[pieces.length - 1] = {text: last.text + c.text, kind: c.kind};
			else pieces.push({text: c.text, kind: c.kind});
		}
		return pieces;
	});
}

