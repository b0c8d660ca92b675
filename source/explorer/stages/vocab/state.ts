import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';

export interface VocabState {
	readonly top: number;
	readonly filtering: boolean;
	readonly filter: string;
}

export function initialVocabState(_session: ExplorerSession): VocabState {
	return {top: 0, filtering: false, filter: ''};
}

export function vocabTyping(state: VocabState): boolean {
	return state.filtering;
}

export const vocabKey: KeyReducer<VocabState> = (state, input, key) => {
	if (state.filtering) {
		if (key.escape || key.return) return {...state, filtering: false};
		if (key.backspace || key.delete) return {...state, filter: state.filter.slice(0, -1)};
		if (input && !key.ctrl && !key.meta) return {...state, filter: state.filter + input};
		return state;
	}
	if (input === '/') return {...state, filtering: true};
	return state;
};
