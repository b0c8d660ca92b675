/** The explorer writes large models on a worker thread; the files must be the same as written here. */
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {readCorpusFile} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {ARTIFACT_FILES, TRAIN_LOG_FILE, writeArtifacts} from '../../source/artifacts/write.js';

const worker = new URL('../../dist/write-worker.js', import.meta.url);
if (!existsSync(worker) && process.env['CI']) throw new Error('the built dist/write-worker.js is missing: run npm run build');
const animals = new URL('../../corpus/001_animals.txt', import.meta.url).pathname;

describe.skipIf(!existsSync(worker))('the artifacts writing thread', () => {
	it('writes the same five files as writeArtifacts', async () => {
		const corpus = readCorpusFile(animals);
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
		for (let e = 0; e < 5; e++) run.epoch();
		const here = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-write-'));
		const there = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-write-'));
		const common = {settings: {learningRate: 0.1, epochs: 5}, pairCount: run.pairCount, log: run.log};
		writeArtifacts({...common, artifactsDir: join(here, 'a'), outputsDir: join(here, 'o'), model: run.model, corpus});
		const thread = new Worker(worker);
		const message = await new Promise<{ok: boolean; written?: string[]}>((resolve) => {
			thread.once('message', resolve);
			const {path, sha256, numLines, numChars} = corpus;
			thread.postMessage({
				...common,
				artifactsDir: join(there, 'a'),
				outputsDir: join(there, 'o'),
				tokens: run.model.vocabulary.tokens,
				frequencies: run.model.vocabulary.frequencies,
				n: run.model.n,
				rows: run.model.rows,
				corpus: {path, sha256, numLines, numChars, ids: {length: corpus.ids.length}},
			});
		});
		await thread.terminate();
		expect(message.ok).toBe(true);
		expect(message.written).toHaveLength(5);
		for (const name of ARTIFACT_FILES) expect(readFileSync(join(there, 'a', name), 'utf8')).toBe(readFileSync(join(here, 'a', name), 'utf8'));
		expect(readFileSync(join(there, 'o', TRAIN_LOG_FILE), 'utf8')).toBe(readFileSync(join(here, 'o', TRAIN_LOG_FILE), 'utf8'));
	});
});
