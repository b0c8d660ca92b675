import {visible} from '../text/escape.js';

/** Marks a UserError made by any copy of this module. */
const USER_ERROR = Symbol.for('toy-gpt-tui.user-error');

/**
 * Errors a user can act on. The command line prints their message on one line
 * (no stack trace) and exits with `exitCode`: 2 for a usage error, 1 otherwise.
 */
export class UserError extends Error {
	readonly exitCode: number;
	constructor(message: string, exitCode = 1) {
		super(message);
		this.name = 'UserError';
		this.exitCode = exitCode;
		Object.defineProperty(this, USER_ERROR, {value: true});
	}
}

/**
 * Whether `error` is a UserError. The command line and the explorer are
 * separate bundles, each with its own copy of this class, so an error the
 * explorer throws is not an `instanceof` the command line's UserError; this
 * test holds across copies.
 */
export function isUserError(error: unknown): error is UserError {
	return error instanceof Error && (error as {[USER_ERROR]?: boolean})[USER_ERROR] === true;
}

/** A mistyped command, flag or flag value. */
export class UsageError extends UserError {
	constructor(message: string) {
		super(message, 2);
		this.name = 'UsageError';
	}
}

/**
 * Something wrong in a file: names the file and, where known, the line. The
 * message is one line, with any control or bidi character from the file (a
 * token, a path) written as a visible escape (`\x1b`, `\x0a`).
 */
export class FileFormatError extends UserError {
	readonly file: string;
	readonly line: number | undefined;
	constructor(file: string, line: number | undefined, problem: string) {
		super(visible(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`), 1);
		this.name = 'FileFormatError';
		this.file = file;
		this.line = line;
	}
}
