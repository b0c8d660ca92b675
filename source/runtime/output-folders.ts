/**
 * The folders a run writes to, checked before any long work starts, so a bad
 * one is reported up front. (The files themselves are written as one set by
 * file-set.ts: each to a temporary name, then all renamed into place.)
 */
import {closeSync, mkdirSync, openSync, statSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import {UserError} from './errors.js';
import {describeFsError} from '../text/corpus.js';

/**
 * Check several output folders before creating any, so a bad one is
 * reported without leaving a new empty folder behind for the others.
 */
export function checkOutputFolders(folders: ReadonlyArray<readonly [dir: string, what: string]>): void {
	for (const [dir, what] of folders) {
		let stat;
		try {
			stat = statSync(dir, {throwIfNoEntry: false});
		} catch (error) {
			throw new UserError(`${what} folder ${dir} cannot be used: ${describeFsError(error)}`);
		}
		if (stat && !stat.isDirectory()) throw new UserError(`${what} folder ${dir} is a file, not a folder`);
	}
	for (const [dir, what] of folders) ensureWritableDirectory(dir, what);
}

/**
 * Make sure `dir` exists (creating it) and can take new files, before any
 * long work starts, so a bad output folder is reported up front.
 */
export function ensureWritableDirectory(dir: string, what: string): void {
	try {
		const stat = statSync(dir, {throwIfNoEntry: false});
		if (stat && !stat.isDirectory()) throw new UserError(`${what} folder ${dir} is a file, not a folder`);
		if (!stat) mkdirSync(dir, {recursive: true});
		// Permission bits do not bind root, so try a real file.
		const probe = join(dir, `.write-check.${process.pid}.tmp`);
		closeSync(openSync(probe, 'w'));
		removeQuietly(probe);
	} catch (error) {
		if (error instanceof UserError) throw error;
		throw new UserError(`${what} folder ${dir} cannot be written: ${describeFsError(error)}`);
	}
}

/** Remove a file of ours if it is there (rmSync would load its recursive remover, about 0.5 ms). */
function removeQuietly(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Not there, or not ours to remove: nothing to do.
	}
}
