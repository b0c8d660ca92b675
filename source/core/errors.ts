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
	}
}

/** A mistyped command, flag or flag value. */
export class UsageError extends UserError {
	constructor(message: string) {
		super(message, 2);
		this.name = 'UsageError';
	}
}

/** Something wrong in a file: names the file and, where known, the line. */
export class FileFormatError extends UserError {
	readonly file: string;
	readonly line: number | undefined;
	constructor(file: string, line: number | undefined, problem: string) {
		super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, 1);
		this.name = 'FileFormatError';
		this.file = file;
		this.line = line;
	}
}
