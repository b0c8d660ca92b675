/**
 * Grapheme segmentation that starts ICU's segmenter only when a text needs
 * it. Creating the first Intl.Segmenter takes about 10 ms (ICU builds its
 * break tables), and Ink segments every line it draws (as do string-width
 * and slice-ansi under it), so the explorer's first frame paid for it even
 * when every line was ASCII and box drawing.
 *
 * A text made only of SIMPLE characters, none of which ever joins a
 * neighbour in a grapheme cluster (no combining marks, joiners, variation
 * selectors, prepended or spacing marks, Hangul jamo, regional indicators,
 * or carriage return), has one grapheme per character, so its segments are
 * its characters; any other text goes to the real Intl.Segmenter, made on
 * first need. test/runtime/graphemes.test.ts checks every SIMPLE character
 * against Intl.Segmenter beside others. In the bundles every
 * `new Intl.Segmenter(…)`, ours and the dependencies', makes one of these
 * (segmenter-inject.ts); what that saves on the explorer's first frame,
 * measured, is in docs/performance.md.
 */

/** Characters that form a grapheme of their own next to any other of them. */
export const SIMPLE = /^[\0-\x0C\x0E-\x7E\xA0-\u02FF\u0370-\u0482\u2010-\u2027\u2030-\u205E\u2070-\u20CF\u2100-\u2BFF]*$/;

interface Segment {
	readonly segment: string;
	readonly index: number;
	readonly input: string;
}

interface Segments extends Iterable<Segment> {
	containing(index?: number): Segment | undefined;
}

/** What Intl.Segmenter offers that the callers use: segment(text), iterated or asked for the segment containing an index. */
export interface GraphemeSegmenter {
	segment(input: string): Segments;
}

/** An Intl.Segmenter for graphemes, made lazily, with the SIMPLE shortcut. */
export function lazyGraphemeSegmenter(locales?: string | string[], options?: {granularity?: 'grapheme'}): GraphemeSegmenter {
	if (options?.granularity !== undefined && options.granularity !== 'grapheme') throw new Error('lazyGraphemeSegmenter segments graphemes only');
	let real: Intl.Segmenter | undefined;
	return {
		segment(input: string): Segments {
			input = String(input);
			// globalThis.Intl: in the bundles, a plain `Intl.Segmenter` is this very function (segmenter-inject.ts).
			if (!SIMPLE.test(input)) return (real ??= new globalThis.Intl.Segmenter(locales, options)).segment(input);
			return {
				containing(index = 0) {
					const at = Math.trunc(Number(index)) || 0;
					return at >= 0 && at < input.length ? {segment: input[at]!, index: at, input} : undefined;
				},
				*[Symbol.iterator]() {
					for (let index = 0; index < input.length; index++) yield {segment: input[index]!, index, input};
				},
			};
		},
	};
}
