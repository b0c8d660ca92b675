import {existsSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {readCorpusFile} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {denseEmbeddingsCsv, denseWeightsCsv, trainLogCsv, vocabularyCsv} from '../../source/artifacts/write.js';

const reference = new URL('../../../shared/reference/train-300-context-2-animals/', import.meta.url);
const present = existsSync(reference);

describe.skipIf(!present)('reference run', () => {
	it('reproduces the artifacts byte for byte (in process)', () => {
		const corpus = readCorpusFile(new URL('corpus/001_animals.txt', reference).pathname);
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
		for (let e = 0; e < 50; e++) run.epoch();
		const read = (name: string) => readFileSync(new URL(name, reference), 'utf8');
		expect([...vocabularyCsv(corpus.vocabulary)].join('')).toBe(read('artifacts/01_vocabulary.csv'));
		expect([...trainLogCsv(run.log)].join('')).toBe(read('outputs/train_log.csv'));
		const text = (chunks: Iterable<string | Uint8Array>) => Buffer.concat([...chunks].map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))).toString('utf8');
		expect(text(denseWeightsCsv(run.model))).toBe(read('artifacts/02_model_weights.csv'));
		expect(text(denseEmbeddingsCsv(run.model))).toBe(read('artifacts/03_token_embeddings.csv'));
	});
});
