/**
 * node:worker_threads, loaded on first use: loading it takes about 3 ms,
 * which the explorer's first frame and the headless commands need not pay
 * when nothing runs on a thread.
 */
import {createRequire} from 'node:module';
import type {Worker as WorkerType, WorkerOptions} from 'node:worker_threads';

const require = createRequire(import.meta.url);

export type Worker = WorkerType;

/** A new Worker running `file`. */
export function startWorker(file: string | URL, options?: WorkerOptions): Worker {
	const {Worker} = require('node:worker_threads') as typeof import('node:worker_threads');
	return new Worker(file, options);
}
