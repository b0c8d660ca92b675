/**
 * Writing several files as one set: every file goes to a temporary name
 * first (its size and SHA-256 taken as it is written), and only when all of
 * them are written are they renamed into place, the last one last. A failed
 * write (a full disk, a folder where a file goes) removes the temporary
 * files and leaves the previous set as it was. Only a SIGKILL or a power cut
 * during the renames (microseconds) can leave a mix, which the readers then
 * refuse (the last file names the others' hashes), and the next run removes
 * the temporary files left behind.
 *
 * A folder being written is locked (`.toy-gpt-tui.lock`, holding the
 * writer's process id): a second writer is refused with one line, and a lock
 * whose process is gone (a crash, a SIGKILL) is taken over.
 */
import {closeSync, existsSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {basename, dirname, join, resolve} from 'node:path';
import {UserError} from './errors.js';
import {describeFsError} from '../text/corpus.js';

export const LOCK_FILE = '.toy-gpt-tui.lock';

/** A file written to its temporary name, not yet in place. */
export interface StagedFile {
	readonly path: string;
	readonly temp: string;
	readonly bytes: number;
	readonly sha256: string;
}

let counter = 0;

/** The temporary name of `path`: `.NAME.PID.K.tmp` beside it. */
function tempName(path: string): string {
	return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
}

const TEMP_PATTERN = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/;

/**
 * Test-only hooks, read only here (the tests of whole sets use them to make
 * a signal, a second run or a failure arrive at a chosen step; steps are
 * numbered from 1: the files written to their temporary names in order, then
 * the renames in order). TOY_GPT_TEST_PAUSE_AT=k with TOY_GPT_TEST_RESUME=PATH
 * says `toy-gpt-tui: test pause at step k` on stderr and waits until PATH
 * exists; TOY_GPT_TEST_FAIL_AT=k fails step k as a full disk would.
 */
let step = 0;
function testStep(): void {
	step++;
	const env = process.env;
	if (env['TOY_GPT_TEST_FAIL_AT'] === String(step)) {
		throw Object.assign(new Error('no space left on device (simulated)'), {code: 'ENOSPC'});
	}
	if (env['TOY_GPT_TEST_PAUSE_AT'] === String(step) && env['TOY_GPT_TEST_RESUME']) {
		writeSync(2, `toy-gpt-tui: test pause at step ${step}\n`);
		const wait = new Int32Array(new SharedArrayBuffer(4));
		const until = Date.now() + 60_000;
		while (!existsSync(env['TOY_GPT_TEST_RESUME']) && Date.now() < until) Atomics.wait(wait, 0, 0, 10);
	}
}

/** Write `chunks` (text as UTF-8, and bytes) to a temporary name beside `path`. */
export function stageFile(path: string, chunks: Iterable<string | Uint8Array>): StagedFile {
	const temp = tempName(path);
	const hash = createHash('sha256');
	let bytes = 0;
	let fd: number | undefined;
	const put = (data: Uint8Array) => {
		hash.update(data);
		bytes += data.length;
		for (let done = 0; done < data.length; ) done += writeSync(fd!, data, done, data.length - done);
	};
	try {
		testStep();
		fd = openSync(temp, 'w');
		let text = '';
		for (const chunk of chunks) {
			if (typeof chunk === 'string') {
				text += chunk;
				if (text.length < 1 << 20) continue;
				put(Buffer.from(text));
				text = '';
			} else {
				if (text) put(Buffer.from(text));
				text = '';
				put(chunk);
			}
		}
		if (text) put(Buffer.from(text));
		closeSync(fd);
		fd = undefined;
	} catch (error) {
		if (fd !== undefined) closeSync(fd);
		removeQuietly(temp);
		throw new UserError(`cannot write ${path}: ${describeFsError(error)}`);
	}
	return {path, temp, bytes, sha256: hash.digest('hex')};
}

/** Remove staged files that will not be put in place. */
export function discardStaged(files: readonly StagedFile[]): void {
	for (const file of files) removeQuietly(file.temp);
}

/**
 * Put staged files in place, in order. Every destination is checked first
 * (a folder or anything else but a file where a file goes is refused before
 * any rename); a rename that still fails puts back what was replaced.
 */
export function commitStaged(files: readonly StagedFile[]): void {
	for (const file of files) {
		const stat = lstatSync(file.path, {throwIfNoEntry: false});
		if (stat && !stat.isFile()) {
			discardStaged(files);
			throw new UserError(`cannot write ${file.path}: ${stat.isDirectory() ? 'a folder is in the way' : 'something other than a file is in the way'}; the previous files were kept`);
		}
	}
	// Hard links to the files about to be replaced, to put back on a failure.
	const backups: Array<{path: string; backup: string | undefined}> = [];
	let done = 0;
	try {
		for (const file of files) {
			let backup: string | undefined = tempName(file.path);
			try {
				if (existsSync(file.path)) linkSync(file.path, backup);
				else backup = undefined;
			} catch {
				backup = undefined;
			}
			backups.push({path: file.path, backup});
			testStep();
			renameSync(file.temp, file.path);
			done++;
		}
	} catch (error) {
		for (let k = done - 1; k >= 0; k--) {
			const {path, backup} = backups[k]!;
			try {
				if (backup) renameSync(backup, path);
				else unlinkSync(path);
			} catch {
				// Leave it: the reader refuses a mixed set.
			}
		}
		for (const {backup} of backups.slice(done)) if (backup) removeQuietly(backup);
		discardStaged(files.slice(done));
		throw new UserError(`cannot write ${files[done]?.path ?? files[0]!.path}: ${describeFsError(error)}; the previous files were kept`);
	}
	for (const {backup} of backups) if (backup) removeQuietly(backup);
}

/**
 * Remove the temporary files a killed writer left in `dir` (ours: `.NAME.PID.K.tmp`
 * of one of `names`, or the folder check's `.write-check.PID.tmp`), when the
 * process that made them is gone or is this one. Call it holding the lock.
 */
export function removeLeftovers(dir: string, names: readonly string[]): void {
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch {
		return;
	}
	for (const entry of entries) {
		const match = TEMP_PATTERN.exec(entry) ?? /^\.(write-check)\.(\d+)\.tmp$/.exec(entry);
		if (!match || !(names.includes(match[1]!) || match[1] === 'write-check')) continue;
		const pid = Number(match[2]);
		if (pid !== process.pid && alive(pid)) continue;
		removeQuietly(join(dir, entry));
	}
}

/** Whether a process with this id runs (one of another user counts). */
function alive(pid: number): boolean {
	if (!Number.isSafeInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Lock the folders for one writer (each once, in order); returns the release.
 * A folder locked by a running process is refused in one line; a lock left
 * by a process that is gone is taken over.
 */
export function lockFolders(dirs: readonly string[]): () => void {
	const held: string[] = [];
	const release = () => {
		for (const path of held.splice(0)) {
			const count = heldHere.get(path)! - 1;
			if (count > 0) {
				heldHere.set(path, count);
				continue;
			}
			heldHere.delete(path);
			try {
				if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
			} catch {
				// Gone already.
			}
		}
	};
	try {
		for (const dir of dirs) {
			const path = resolve(dir, LOCK_FILE);
			if (held.includes(path)) continue;
			if (!heldHere.has(path)) lockOne(path, dir);
			heldHere.set(path, (heldHere.get(path) ?? 0) + 1);
			held.push(path);
		}
	} catch (error) {
		release();
		throw error;
	}
	return release;
}

/** The locks this thread holds, with how many holders each (a command's, then its writer's). */
const heldHere = new Map<string, number>();

function lockOne(path: string, dir: string): void {
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			return;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`cannot lock ${dir} for writing: ${describeFsError(error)}`);
		}
		let text = '';
		try {
			text = readFileSync(path, 'utf8');
		} catch {
			continue;
		}
		const pid = Number(text.trim());
		if (alive(pid) && text.trim() !== '') {
			throw new UserError(
				`${dir} is being written by another toy-gpt-tui run (process ${pid}${pid === process.pid ? ', this one' : ''}); wait for it to end, or write elsewhere with --artifacts and --outputs (if no run is writing there, remove ${join(dir, LOCK_FILE)})`,
			);
		}
		// Left by a process that is gone: take it over (if it is still that one).
		try {
			if (readFileSync(path, 'utf8') === text) unlinkSync(path);
		} catch {
			// Taken or removed meanwhile: try again.
		}
	}
	throw new UserError(`cannot lock ${dir} for writing: another run keeps taking its lock`);
}

/** Remove a file of ours if it is there. */
function removeQuietly(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Not there, or not ours to remove: nothing to do.
	}
}
