/**
 * node:worker_threads, loaded on first use: loading it takes about 3 ms,
 * which the explorer's first frame and the headless commands need not pay
 * when nothing runs on a thread.
 */
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import type {Worker as WorkerType, WorkerOptions} from 'node:worker_threads';

const require = createRequire(import.meta.url);

export type Worker = WorkerType;

/** A new Worker running `file`. */
export function startWorker(file: string | URL, options?: WorkerOptions): Worker {
	const {Worker} = require('node:worker_threads') as typeof import('node:worker_threads');
	return new Worker(file, options);
}

/**
 * The built worker `name` of dist/ beside the running bundle, or undefined
 * when running from source (the tests), where the work is done in place.
 */
export function builtWorker(name: string): URL | undefined {
	const url = new URL(`./${name}`, import.meta.url);
	return existsSync(fileURLToPath(url)) ? url : undefined;
}
