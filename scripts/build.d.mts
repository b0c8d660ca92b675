// Types of scripts/build.mjs's exports, for the tests that check its edits.
export const EDITS: Record<string, {readonly file: string; readonly replacements: ReadonlyArray<readonly [from: string, to: string]>}> & {
	readonly stringWidthLazyEmoji: {readonly file: string};
};
export function applyEdit(name: string, code: string): string;
