import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';

export interface CorpusState {
	/** Index of the token under the cursor. */
	readonly cursor: number;
}

export function initialCorpusState(_session: ExplorerSession): CorpusState {
	return {cursor: 0};
}

export const corpusKey: KeyReducer<CorpusState> = (state, _input, key, ctx) => {
	const last = ctx.session.corpus.ids.length - 1;
	if (key.rightArrow) return {cursor: Math.min(last, state.cursor + 1)};
	if (key.leftArrow) return {cursor: Math.max(0, state.cursor - 1)};
	return state;
};
