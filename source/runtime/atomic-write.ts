/**
 * Writing files so that nothing on disk is ever half-written: each file goes
 * to a temporary name in the same folder and is renamed over the old one, so
 * a crash, a full disk or Ctrl+C mid-write leaves the previous file whole.
 * (No fsync: that would guard against a power cut too, at a few ms a file.)
 */
import {closeSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {dirname, join, basename} from 'node:path';
import {UserError} from './errors.js';
import {describeFsError} from '../text/corpus.js';

let counter = 0;

/** Write `chunks` (text as UTF-8, and bytes) to `path` atomically. */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
	let fd: number | undefined;
	try {
		fd = openSync(temp, 'w');
		let text = '';
		for (const chunk of chunks) {
			if (typeof chunk === 'string') {
				text += chunk;
				if (text.length < 1 << 20) continue;
				writeAll(fd, Buffer.from(text));
				text = '';
			} else {
				if (text) writeAll(fd, Buffer.from(text));
				text = '';
				writeAll(fd, chunk);
			}
		}
		if (text) writeAll(fd, Buffer.from(text));
		closeSync(fd);
		fd = undefined;
		renameSync(temp, path);
	} catch (error) {
		if (fd !== undefined) closeSync(fd);
		removeQuietly(temp);
		throw new UserError(`cannot write ${path}: ${describeFsError(error)}`);
	}
}

/** Write all of `bytes` (a write may take only part). */
function writeAll(fd: number, bytes: Uint8Array): void {
	for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

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
