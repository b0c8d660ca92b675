/** The explorer reads large artifacts on a worker thread; it must give the same model. */
import {existsSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {Model} from '../../source/models/table/model.js';
import {makeVocabulary} from '../../source/text/vocabulary.js';

const worker = new URL('../../dist/load-worker.js', import.meta.url);
const artifacts = new URL('../../artifacts', import.meta.url).pathname;
if (!existsSync(worker) && process.env['CI']) throw new Error('the built dist/load-worker.js is missing: run npm run build');

describe.skipIf(!existsSync(worker))('the artifacts loading thread', () => {
	it('gives back the model loadArtifacts reads, its arrays transferred', async () => {
		const thread = new Worker(worker);
		const message = await new Promise<any>((resolve) => {
			thread.once('message', resolve);
			thread.postMessage(artifacts);
		});
		await thread.terminate();
		expect(message.ok).toBe(true);
		const model = new Model(makeVocabulary(message.tokens, message.frequencies), message.n, message.rows);
		const direct = loadArtifacts(artifacts).model;
		expect(model.rowCount).toBe(direct.rowCount);
		for (let slot = 0; slot < direct.rowCount; slot += 7) expect(Array.from(model.probabilities(slot))).toEqual(Array.from(direct.probabilities(slot)));
	});

	it('reports a folder it cannot load', async () => {
		const thread = new Worker(worker);
		const message = await new Promise<any>((resolve) => {
			thread.once('message', resolve);
			thread.postMessage('/no/such/folder');
		});
		await thread.terminate();
		expect(message).toEqual({ok: false, error: 'cannot read the meta file /no/such/folder/00_meta.json: no such file'});
	});
});
