/**
 * The contract between the app and its stages. Each stage has
 * - a pure state module (`state.ts`): its state, an initial state, and a key
 *   reducer `(state, input, key, ctx) => state` tested without Ink;
 * - a view (`view.tsx`) that only renders `state` into exactly `rows` lines of
 *   at most `columns` columns.
 * The app owns every stage's state, so switching stages keeps it.
 */
import type {Key} from 'ink';
import type {ExplorerSession} from '../session.js';
import type {TrainSnapshot} from '../train-controller.js';

export interface StageContext {
	readonly session: ExplorerSession;
	readonly train: TrainSnapshot;
	/** Rows the stage body has (for page moves and windowing). */
	readonly rows: number;
	readonly columns: number;
}

export type KeyReducer<S> = (state: S, input: string, key: Key, ctx: StageContext) => S;

export interface StageViewProps<S> {
	readonly state: S;
	readonly ctx: StageContext;
}

/** A key with nothing pressed, for tests and synthetic input. */
export const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
} as Key;

export function keyOf(partial: Partial<Key>): Key {
	return {...NO_KEY, ...partial};
}
