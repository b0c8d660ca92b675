/**
 * What the headless commands print, written straight to file descriptors 1
 * and 2, as Node itself writes to files and pipes (at once, in order). The
 * stream objects process.stdout and process.stderr cost about 2-3 ms each
 * to make, a good part of a short command; only the explorer makes them.
 *
 * A reader that goes away (`train | head -3`) does not stop the command:
 * what it would still print is dropped, and it finishes its work (train
 * writes its artifacts) and exits with its own status.
 */
import {writeSync} from 'node:fs';

/** For waiting a moment without a timer. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Descriptors whose reader has gone. */
const closed = new Set<number>();

/** Write all of `text` to `fd` (1 or 2). */
export function writeOut(fd: 1 | 2, text: string): void {
	if (closed.has(fd)) return;
	const bytes = Buffer.from(text);
	for (let done = 0; done < bytes.length; ) {
		try {
			done += writeSync(fd, bytes, done, bytes.length - done);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// A full pipe that was handed over non-blocking: wait for its reader.
			if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
			// The reader went away (`| head`): print no more there.
			else if (code === 'EPIPE') {
				closed.add(fd);
				return;
			}
			// The terminal went away: end as a hang-up does.
			else if (code === 'EIO') {
				process.removeAllListeners('SIGHUP');
				process.kill(process.pid, 'SIGHUP');
				return;
			} else throw error;
		}
	}
}
