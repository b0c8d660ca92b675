/** The explorer reads large artifacts on a worker thread; it must give the same model. */
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import {afterAll, describe, expect, it} from 'vitest';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {reseal} from '../support/reseal.js';
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
		const direct = (loadArtifacts(artifacts).model as Model);
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

	const base = mkdtempSync(join(tmpdir(), 'load-worker-test-'));
	afterAll(() => rmSync(base, {recursive: true, force: true}));
	/** A copy of the shipped set with one file edited (and the manifest resealed, or not). */
	const broken = (name: string, file: string, edit: (text: string) => string, sealed: boolean): string => {
		const dir = join(base, name);
		cpSync(artifacts, dir, {recursive: true});
		writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
		if (sealed) reseal(dir);
		return dir;
	};
	const cases: Array<[string, string, (text: string) => string, boolean]> = [
		['nested', '00_meta.json', (t) => t.replace('"notes": [', `"deep": ${'['.repeat(50_000)}${']'.repeat(50_000)},\n  "notes": [`), true],
		['cut', '02_model_weights.csv', (t) => t.slice(0, 5000), false],
		['seen', '00_meta.json', (t) => t.replace('"num_seen_contexts": 108', '"num_seen_contexts": 107'), true],
		['kind', '00_meta.json', (t) => t.replace('"context_size": 2', '"context_size": 1'), true],
		['token', '01_vocabulary.csv', (t) => t.replace('\n3,bird,', '\n3,"bi\nrd\u001b[31m",'), true],
		['edited', '00_meta.json', (t) => t.replace('"epochs": 50', '"epochs": 5'), false],
	];

	it.each(cases.map(([name]) => name))('refuses a broken set (%s) with the message infer gives: one line, naming the file', async (name) => {
		const [, file, edit, sealed] = cases.find(([n]) => n === name)!;
		const dir = broken(name, file, edit, sealed);
		let direct = '';
		try {
			loadArtifacts(dir);
		} catch (error) {
			direct = (error as Error).message;
		}
		expect(direct).toMatch(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/0[0-3]_\\w+\\.(csv|json)(:\\d+)?: `));
		expect(direct).not.toMatch(/[\u0000-\u001f]/);
		const thread = new Worker(worker);
		const message = await new Promise<any>((resolve) => {
			thread.once('message', resolve);
			thread.postMessage(dir);
		});
		await thread.terminate();
		expect(message).toEqual({ok: false, error: direct});
	});
});
