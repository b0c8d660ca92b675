// Types of scripts/build.mjs's exports, for the tests that check its edits.
export interface DependencyEdit {
	/** The file, from the repository's root. */
	readonly file: string;
	readonly replacements: ReadonlyArray<readonly [from: string, to: string]>;
}
export const EDITS: Record<string, DependencyEdit> & {readonly stringWidthLazyEmoji: DependencyEdit};
export const SEGMENTER_INJECT: string;
export function applyEdit(name: string, code: string): string;
