/**
 * Loading artifacts on a worker thread, for the explorer: a large model takes
 * seconds to read, and the explorer keeps answering keys meanwhile. The
 * typed arrays come back transferred, not copied.
 */
import {parentPort} from 'node:worker_threads';
import {UserError} from '../runtime/errors.js';
import {loadArtifacts} from './read.js';

parentPort?.on('message', (dir: string) => {
	try {
		const {meta, model} = loadArtifacts(dir);
		const {contexts, colStart, cols, weights, shared} = model.rows;
		const frequencies = model.vocabulary.frequencies;
		parentPort!.postMessage(
			{ok: true, dir, meta, n: model.n, tokens: model.vocabulary.tokens, frequencies, rows: {contexts, colStart, cols, weights, shared}},
			[contexts.buffer, colStart.buffer, cols.buffer, weights.buffer, shared.buffer, frequencies.buffer] as ArrayBuffer[],
		);
	} catch (error) {
		parentPort!.postMessage({ok: false, error: error instanceof UserError ? error.message : String(error)});
	}
});
