/**
 * The vocabulary stage's state and keys, and the lists it shows: the
 * vocabulary in one of three orders, narrowed by a filter.
 *
 * Costs on a vocabulary of 60,000 tokens: the frequency order is sorted once
 * per vocabulary; a filter is one pass over the tokens when it changes (and
 * typing one more character only re-checks the previous matches); a key or a
 * frame touches only the rows on screen.
 */
import type {Key} from 'ink';
import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';
import type {Vocabulary} from '../../../text/vocabulary.js';
import {VOCAB, VOCAB_FILTER} from '../../keymap.js';
import {editText} from '../../input.js';

export type VocabSort = 'id' | 'frequency' | 'token';

export interface VocabState {
	readonly sort: VocabSort;
	/** The filter is being typed. */
	readonly filtering: boolean;
	/** Tokens shown must contain this text (case-sensitive). */
	readonly filter: string;
	/** Index of the highlighted row in the list shown. */
	readonly selected: number;
	/** Index of the list's row at the top of the table. */
	readonly top: number;
}

export function initialVocabState(_session: ExplorerSession): VocabState {
	return {sort: 'id', filtering: false, filter: '', selected: 0, top: 0};
}

export function vocabTyping(state: VocabState): boolean {
	return state.filtering;
}

/** The ids shown, in order: `length` of them, the i-th is `at(i)`. */
export interface VocabList {
	readonly length: number;
	at(i: number): number;
	/** Tokens the vocabulary has (before filtering). */
	readonly total: number;
}

/** Ids from the highest frequency down, ties by id; sorted once per vocabulary. */
export function frequencyOrder(vocabulary: Vocabulary): Int32Array {
	let order = frequencyOrders.get(vocabulary);
	if (!order) {
		const f = vocabulary.frequencies;
		order = Int32Array.from({length: f.length}, (_, i) => i).sort((a, b) => f[b]! - f[a]! || a - b);
		frequencyOrders.set(vocabulary, order);
	}
	return order;
}
const frequencyOrders = new WeakMap<Vocabulary, Int32Array>();

/** The largest frequency (the bars are drawn relative to it). */
export function maxFrequency(vocabulary: Vocabulary): number {
	const order = frequencyOrder(vocabulary);
	return order.length === 0 ? 0 : vocabulary.frequencies[order[0]!]!;
}

/** Sorting by token is by Unicode code point, which is how ids were given: the same order as by id. */
type Order = 'id' | 'frequency';
const orderOf = (sort: VocabSort): Order => (sort === 'frequency' ? 'frequency' : 'id');

interface FilterResult {
	readonly filter: string;
	readonly ids: Int32Array;
}
/** The last filter's matches per vocabulary and order. */
const filterCache = new WeakMap<Vocabulary, Partial<Record<Order, FilterResult>>>();

/** Ids (in the order) whose token contains `filter`: one pass over the tokens, or over the last matches when the filter grew. */
export function filterIds(vocabulary: Vocabulary, sort: VocabSort, filter: string): Int32Array {
	const order = orderOf(sort);
	let cache = filterCache.get(vocabulary);
	if (!cache) {
		cache = {};
		filterCache.set(vocabulary, cache);
	}
	const last = cache[order];
	if (last && last.filter === filter) return last.ids;
	const {tokens} = vocabulary;
	const out: number[] = [];
	if (last && last.filter !== '' && filter.includes(last.filter)) {
		// Anything containing the longer filter contains the shorter one: check only its matches.
		for (const id of last.ids) if (tokens[id]!.includes(filter)) out.push(id);
	} else if (order === 'id') {
		for (let id = 0; id < tokens.length; id++) if (tokens[id]!.includes(filter)) out.push(id);
	} else {
		for (const id of frequencyOrder(vocabulary)) if (tokens[id]!.includes(filter)) out.push(id);
	}
	const ids = Int32Array.from(out);
	cache[order] = {filter, ids};
	return ids;
}

/** The list the table shows for a sort and a filter. */
export function vocabList(vocabulary: Vocabulary, sort: VocabSort, filter: string): VocabList {
	const total = vocabulary.tokens.length;
	if (filter !== '') {
		const ids = filterIds(vocabulary, sort, filter);
		return {length: ids.length, at: (i) => ids[i]!, total};
	}
	if (orderOf(sort) === 'frequency') {
		const order = frequencyOrder(vocabulary);
		return {length: total, at: (i) => order[i]!, total};
	}
	return {length: total, at: (i) => i, total};
}

/** Table rows the view has for a stage of `rows` lines: title, column names, filter line and status take 4. */
export function tableRows(rows: number): number {
	return Math.max(1, rows - 4);
}

/** The top row that keeps `selected` on a screen of `height` rows, moving `top` as little as needed. */
export function scrollTop(top: number, selected: number, height: number, length: number): number {
	let t = Math.max(0, Math.min(top, Math.max(0, length - height)));
	if (selected < t) t = selected;
	else if (selected >= t + height) t = selected - height + 1;
	return Math.max(0, t);
}

function select(state: VocabState, selected: number, length: number, height: number): VocabState {
	const s = Math.max(0, Math.min(length - 1, selected));
	return {...state, selected: s, top: scrollTop(state.top, s, height, length)};
}

/** Arrow and page moves, shared by browsing and typing. */
function move(state: VocabState, key: Key, length: number, height: number): VocabState {
	const step = key.upArrow || key.pageUp ? -1 : 1;
	const by = key.pageUp || key.pageDown ? height : 1;
	return select(state, state.selected + step * by, length, height);
}

function withFilter(state: VocabState, filter: string): VocabState {
	return filter === state.filter ? state : {...state, filter, selected: 0, top: 0};
}

export const vocabKey: KeyReducer<VocabState> = (state, input, key, ctx) => {
	const {vocabulary} = ctx.session.corpus;
	const height = tableRows(ctx.rows);
	const list = vocabList(vocabulary, state.sort, state.filter);
	if (state.filtering) {
		if (VOCAB_FILTER.done.match(input, key)) return {...state, filtering: false};
		if (VOCAB.move.match(input, key) || VOCAB.page.match(input, key)) return move(state, key, list.length, height);
		// Typing, Backspace (a grapheme) and C-u (clear), as in every text field.
		const filter = editText(state.filter, input, key);
		return filter === undefined ? state : withFilter(state, filter);
	}
	if (VOCAB.filter.match(input, key)) return {...state, filtering: true};
	if (VOCAB_FILTER.clear.match(input, key)) return withFilter(state, '');
	const sort: VocabSort | undefined = VOCAB.sortId.match(input, key)
		? 'id'
		: VOCAB.sortFrequency.match(input, key)
			? 'frequency'
			: VOCAB.sortToken.match(input, key)
				? 'token'
				: undefined;
	// A new order starts at its top: the first row is what the order is about.
	if (sort) return sort === state.sort ? state : {...state, sort, selected: 0, top: 0};
	if (VOCAB.move.match(input, key) || VOCAB.page.match(input, key)) return move(state, key, list.length, height);
	if (VOCAB.ends.match(input, key)) return select(state, input === 'G' || key.end ? list.length - 1 : 0, list.length, height);
	return state;
};
