/**
 * Writing artifacts on a worker thread, for the explorer: a large model
 * takes seconds to write, and the explorer keeps answering keys meanwhile.
 * It gets its own copy of the weights.
 */
import {parentPort} from 'node:worker_threads';
import {UserError} from '../runtime/errors.js';
import {writeArtifacts, type CorpusFacts, type TrainingSettings} from './write.js';
import {Model, type ContextSize, type SparseRows} from '../models/table/model.js';
import type {EpochResult} from '../models/table/train.js';
import type {HeldOutEpoch} from '../models/held-out.js';
import {makeVocabulary} from '../text/vocabulary.js';

export interface WriteRequest {
	readonly artifactsDir: string;
	readonly outputsDir: string;
	readonly tokens: string[];
	readonly frequencies: Int32Array;
	readonly n: ContextSize;
	readonly rows: SparseRows;
	readonly corpus: CorpusFacts;
	readonly settings: TrainingSettings;
	readonly pairCount: number;
	readonly log: EpochResult[];
	readonly heldOutLog?: HeldOutEpoch[];
}

parentPort?.on('message', (request: WriteRequest) => {
	try {
		const model = new Model(makeVocabulary(request.tokens, request.frequencies), request.n, request.rows);
		const written = writeArtifacts({...request, model});
		parentPort!.postMessage({ok: true, written});
	} catch (error) {
		parentPort!.postMessage({ok: false, error: error instanceof UserError ? error.message : String(error)});
	}
});
