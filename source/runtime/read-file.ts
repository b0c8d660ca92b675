/**
 * Reading a whole file, bounded: only a regular file, and never more than a
 * limit of bytes, whatever its size says. `stat` gives 0 bytes for a device
 * (`/dev/zero`) or a named pipe, so a check of the size alone would read for
 * ever; opening a named pipe with no writer would wait for ever.
 */
import {closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats} from 'node:fs';
import {UserError} from './errors.js';

/** Why a file system call failed, in plain words. */
export function describeFsError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'ENOENT':
			return 'no such file';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EISDIR':
			return 'it is a directory';
		case 'ENOTDIR':
			return 'a part of the path is not a directory';
		case 'ENOSPC':
			return 'no space left on the device';
		case 'EROFS':
			return 'the file system is read-only';
		default:
			return error instanceof Error ? error.message : String(error);
	}
}

/** What a path that is not a regular file is: `a directory`, `a character device`, ... */
export function fileKind(stat: Stats): string {
	if (stat.isDirectory()) return 'a directory';
	if (stat.isFIFO()) return 'a named pipe';
	if (stat.isCharacterDevice()) return 'a character device';
	if (stat.isBlockDevice()) return 'a block device';
	if (stat.isSocket()) return 'a socket';
	return 'not a regular file';
}

export interface BoundedRead {
	/** How the file is named in messages: `corpus`, `the weights`. */
	readonly what: string;
	/** The most bytes the caller takes. */
	readonly limit: number;
	/**
	 * The one-line refusal of a file above the limit: its size when known
	 * (from fstat), undefined when it grew past the limit while being read.
	 */
	readonly tooLarge: (size: number | undefined) => string;
}

/**
 * The bytes of the regular file at `path` (symbolic links followed), at most
 * `limit` of them. Refused in one line (a UserError): a path that cannot be
 * read, anything but a regular file (before it is opened for reading, so a
 * named pipe cannot block), and a file larger than the limit (before reading
 * it, by the open file's own size, and again if it grows while being read:
 * at most limit + 1 bytes are ever read).
 */
export function readRegularFile(path: string, {what, limit, tooLarge}: BoundedRead): Buffer {
	const refuse = (stat: Stats) => new UserError(`${what} ${path} is ${fileKind(stat)}, not a text file`);
	let fd: number;
	try {
		const stat = statSync(path);
		if (!stat.isFile()) throw refuse(stat);
		// O_NONBLOCK: should the path become a named pipe after the check, opening it does not wait for a writer.
		fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		if (error instanceof UserError) throw error;
		throw new UserError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
	}
	try {
		let size: number;
		try {
			const stat = fstatSync(fd);
			if (!stat.isFile()) throw refuse(stat);
			size = stat.size;
		} catch (error) {
			if (error instanceof UserError) throw error;
			throw new UserError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
		}
		if (size > limit) throw new UserError(tooLarge(size));
		// One byte more than the file says it has: reading it means the file grew.
		let buffer = Buffer.allocUnsafe(size + 1);
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				if (length > limit) break;
				const bigger = Buffer.allocUnsafe(Math.min(limit + 1, 2 * length + (1 << 16)));
				buffer.copy(bigger, 0, 0, length);
				buffer = bigger;
			}
			let got: number;
			try {
				got = readSync(fd, buffer, length, buffer.length - length, null);
			} catch (error) {
				throw new UserError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
			}
			if (got === 0) break;
			length += got;
		}
		if (length > limit) throw new UserError(tooLarge(undefined));
		return buffer.subarray(0, length);
	} finally {
		closeSync(fd);
	}
}
