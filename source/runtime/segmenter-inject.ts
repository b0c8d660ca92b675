/**
 * Given to esbuild as `inject` by scripts/build.mjs: in the bundles, every
 * `new Intl.Segmenter(…)` (both copies of string-width, slice-ansi and Ink's
 * ANSI tokenizer make one when they load, explorer/text.ts one more) makes
 * graphemes.ts's lazy segmenter instead, which starts ICU's only when a text
 * needs it. No dependency's code is edited: esbuild replaces the global
 * name, as its documentation shows for `process.cwd`.
 */
import {lazyGraphemeSegmenter, type GraphemeSegmenter} from './graphemes.js';

type Options = {granularity?: 'grapheme' | 'word' | 'sentence'};

/** Called with `new`, it returns the lazy segmenter (a constructor that returns an object gives that object). */
function LazySegmenter(locales?: string | string[], options?: Options): GraphemeSegmenter | Intl.Segmenter {
	if (options?.granularity !== undefined && options.granularity !== 'grapheme') return new globalThis.Intl.Segmenter(locales, options);
	return lazyGraphemeSegmenter(locales, {granularity: 'grapheme'});
}

export {LazySegmenter as 'Intl.Segmenter'};
