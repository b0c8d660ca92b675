import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';

export interface ModelState {
	/** The stored row (seen context) picked. */
	readonly row: number;
	/** How far the forward pass is shown: 0 scores .. 4 chosen token. */
	readonly step: number;
}

export function initialModelState(_session: ExplorerSession): ModelState {
	return {row: 0, step: 0};
}

export const modelKey: KeyReducer<ModelState> = (state, _input, key, ctx) => {
	const last = ctx.session.controller.run.model.rowCount - 1;
	if (key.downArrow) return {...state, row: Math.min(last, state.row + 1)};
	if (key.upArrow) return {...state, row: Math.max(0, state.row - 1)};
	if (key.rightArrow) return {...state, step: Math.min(4, state.step + 1)};
	if (key.leftArrow) return {...state, step: Math.max(0, state.step - 1)};
	return state;
};
