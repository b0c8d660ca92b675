/**
 * Holding out the end of a corpus: of its L non-blank lines (counted as
 * `num_lines` counts them), the last k = max(1, round-half-even(F·L)) are held
 * out, a contiguous tail as nanoGPT splits, never shuffled. Since a token
 * never spans a line end, the split is one cut in the token stream: tokens
 * [0, cut) are the training part, tokens [cut, N) the held-out part.
 * Training pairs are the windows lying wholly in the first part, held-out
 * pairs those lying wholly in the second; the n windows that cross the cut
 * are used by neither.
 */
import {UserError} from '../runtime/errors.js';
import {isPythonSpace} from './tokenize.js';
import {plural} from './plural.js';

/** The largest share of the lines that may be held out. */
export const MAX_HOLDOUT = 0.9;

export interface HoldoutSplit {
	/** The held-out fraction asked for. */
	readonly fraction: number;
	/** Non-blank lines in all (L) and held out (k). */
	readonly lines: number;
	readonly heldOutLines: number;
	/** The first token of the held-out part. */
	readonly cut: number;
	/** Tokens in all (N). */
	readonly tokens: number;
}

/** Python's round(): to the nearest whole number, a tie to the even one. */
export function roundHalfEven(x: number): number {
	const floor = Math.floor(x);
	const rest = x - floor;
	if (rest > 0.5) return floor + 1;
	if (rest < 0.5) return floor;
	return floor % 2 === 0 ? floor : floor + 1;
}

/** The offset in `text` where each non-blank line starts, in order (line ends as Python's text mode reads them: \n, \r\n, \r). */
export function nonBlankLineStarts(text: string): number[] {
	const starts: number[] = [];
	let lineStart = 0;
	let counted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0d || c === 0x0a) {
			if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
			lineStart = i + 1;
			counted = false;
			continue;
		}
		if (!counted && !isPythonSpace(c)) {
			starts.push(lineStart);
			counted = true;
		}
	}
	return starts;
}

/** The number of training pairs (windows of n tokens and the next) in `tokens` tokens. */
export function pairsIn(tokens: number, n: number): number {
	return Math.max(0, tokens - n);
}

/**
 * Split a corpus (its text and where each token starts) for context size n,
 * holding out the fraction F of its lines; refuses, in one line, a split
 * that leaves no training pair or no held-out pair.
 */
export function holdoutSplit(corpus: {readonly path: string; readonly text: string; readonly tokenStart: ArrayLike<number>}, fraction: number, n: number): HoldoutSplit {
	if (!(fraction > 0 && fraction < MAX_HOLDOUT)) throw new UserError(`--holdout ${fraction}: the held-out share must be more than 0 and less than ${MAX_HOLDOUT}`);
	const starts = nonBlankLineStarts(corpus.text);
	const lines = starts.length;
	const heldOutLines = Math.max(1, roundHalfEven(fraction * lines));
	const tokens = corpus.tokenStart.length;
	if (heldOutLines >= lines) {
		throw new UserError(`--holdout ${fraction} of corpus ${corpus.path}: it has ${plural(lines, 'non-blank line')}, so holding out ${plural(heldOutLines, 'line')} leaves none to train on`);
	}
	const from = starts[lines - heldOutLines]!;
	// The first token at or after the first held-out line's start (a binary search: tokens ascend).
	let lo = 0;
	let hi = tokens;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (corpus.tokenStart[mid]! < from) lo = mid + 1;
		else hi = mid;
	}
	const cut = lo;
	const training = pairsIn(cut, n);
	const heldOut = pairsIn(tokens - cut, n);
	if (training < 1 || heldOut < 1) {
		const side = training < 1 ? `the first ${plural(lines - heldOutLines, 'line')} (${plural(cut, 'token')})` : `the last ${plural(heldOutLines, 'line')} (${plural(tokens - cut, 'token')})`;
		throw new UserError(
			`--holdout ${fraction} of corpus ${corpus.path}: ${side} hold no window of ${plural(n + 1, 'token')}, so there is no ${training < 1 ? 'training' : 'held-out'} pair; hold out ${training < 1 ? 'less' : 'more'}`,
		);
	}
	return {fraction, lines, heldOutLines, cut, tokens};
}
