/** How the command line ends a run: the status, and an error as one line. */
import {isUserError} from '../runtime/errors.js';
import {visible} from '../text/escape.js';
import {writeOut} from './output.js';

/**
 * End with `code`, or with `error` told on stderr (no stack trace) and its
 * status. With `exitNow` (a headless command, whose output is all written
 * synchronously and whose threads are closed), the process exits at once:
 * Node would otherwise wait for V8's background compilations (the training
 * kernel's optimizing tier, about 5 ms of a short `train`).
 */
export function finish(outcome: Promise<number>, exitNow: () => boolean = () => false): void {
	outcome.then(
		(code) => {
			process.exitCode = code;
			if (exitNow()) process.exit();
		},
		(error: unknown) => {
			if (isUserError(error)) {
				process.exitCode = error.exitCode;
				// Messages quote paths and flags as typed: never let them reach the terminal raw.
				writeOut(2, `toy-gpt-tui: ${visible(error.message)}\n`);
				return;
			}
			process.exitCode = 1;
			writeOut(2, `toy-gpt-tui: internal error: ${visible(error instanceof Error ? error.message : String(error))}\n`);
			if (process.env['TOY_GPT_DEBUG']) writeOut(2, `${(error as Error)?.stack}\n`);
			if (exitNow()) process.exit();
		},
	);
}
