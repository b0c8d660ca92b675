/**
 * Loading artifacts on a worker thread, for the explorer: a large model takes
 * seconds to read, and the explorer keeps answering keys meanwhile. The
 * typed arrays come back transferred, not copied.
 */
import {parentPort} from 'node:worker_threads';
import {UserError} from '../runtime/errors.js';
import {loadArtifacts} from './read.js';
import {EmbeddingsModel} from '../models/embeddings/model.js';
import {AttentionModel} from '../models/attention/model.js';

parentPort?.on('message', (dir: string) => {
	try {
		const {meta, model, note} = loadArtifacts(dir);
		const frequencies = model.vocabulary.frequencies;
		if (model instanceof EmbeddingsModel) {
			const {E, W, b, d} = model;
			parentPort!.postMessage({ok: true, dir, meta, n: model.n, tokens: model.vocabulary.tokens, frequencies, embeddings: {d, E, W, b}, note}, [E.buffer, W.buffer, b.buffer, frequencies.buffer] as ArrayBuffer[]);
			return;
		}
		if (model instanceof AttentionModel) {
			const {n, d, h, E, P, WQ, WK, WV, Wout, b} = model;
			const tables = {E, P, WQ, WK, WV, Wout, b};
			parentPort!.postMessage({ok: true, dir, meta, n, tokens: model.vocabulary.tokens, frequencies, attention: {d, h, ...tables}, note}, [...Object.values(tables).map((t) => t.buffer), frequencies.buffer] as ArrayBuffer[]);
			return;
		}
		const {contexts, colStart, cols, weights, shared} = model.rows;
		parentPort!.postMessage(
			{ok: true, dir, meta, n: model.n, tokens: model.vocabulary.tokens, frequencies, rows: {contexts, colStart, cols, weights, shared}},
			[contexts.buffer, colStart.buffer, cols.buffer, weights.buffer, shared.buffer, frequencies.buffer] as ArrayBuffer[],
		);
	} catch (error) {
		parentPort!.postMessage({ok: false, error: error instanceof UserError ? error.message : String(error)});
	}
});
