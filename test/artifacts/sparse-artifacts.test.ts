import type {Model} from '../../source/models/table/model.js';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {DENSE_WEIGHTS_LIMIT, weightsFormatFor, writeArtifacts} from '../../source/artifacts/write.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {predict} from '../../source/models/sample.js';

function bigCorpusText(): string {
	// 1,200 distinct words: a context-2 table of 1200^3 = 1.7e9 weights, far above the dense limit.
	const words: string[] = [];
	let x = 12345;
	for (let i = 0; i < 20000; i++) {
		x = (x * 1103515245 + 12345) % 2147483648;
		words.push(`w${Math.floor(((x / 2147483648) ** 3) * 1200)}`);
	}
	return words.join(' ') + '\n';
}

describe('sparse weights form', () => {
	const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-sparse-'));
	const corpus = corpusFromBytes(join(dir, 'big.txt'), Buffer.from(bigCorpusText()));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
	for (let e = 0; e < 3; e++) run.epoch();
	const artifacts = join(dir, 'artifacts');
	writeArtifacts({artifactsDir: artifacts, outputsDir: join(dir, 'outputs'), model: run.model, corpus, settings: {learningRate: 0.1, epochs: 3}, pairCount: run.pairCount, log: run.log});

	it('is chosen above the dense limit and named in the meta file', () => {
		expect(run.model.V ** 3).toBeGreaterThan(DENSE_WEIGHTS_LIMIT);
		expect(weightsFormatFor(run.model)).toBe('sparse');
		const meta = JSON.parse(readFileSync(join(artifacts, '00_meta.json'), 'utf8'));
		expect(meta.weights_format).toBe('sparse');
	});

	it('holds one shared line per seen context plus one line per explicit weight', () => {
		const lines = readFileSync(join(artifacts, '02_model_weights.csv'), 'utf8').trimEnd().split('\n');
		expect(lines[0]).toBe('row,input_token,token_id,token,weight');
		expect(lines.length - 1).toBe(run.model.rowCount + run.model.explicitCount);
		const embeddings = readFileSync(join(artifacts, '03_token_embeddings.csv'), 'utf8').trimEnd().split('\n');
		expect(embeddings.length - 1).toBe(run.model.rowCount);
	});

	it('reads back to the same probabilities (to the 8 decimals written)', () => {
		const loaded = loadArtifacts(artifacts).model;
		expect((loaded as Model).rowCount).toBe(run.model.rowCount);
		const tokens = corpus.vocabulary.tokens;
		for (let i = 0; i < 400; i += 7) {
			const prompt = [tokens[corpus.ids[i]!]!, tokens[corpus.ids[i + 1]!]!];
			const a = predict(run.model, prompt).probabilities;
			const b = predict(loaded, prompt).probabilities;
			for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-7);
		}
		// A context never seen is still uniform.
		let a = 0;
		while (run.model.slotOf([a, a]) >= 0) a++;
		const unseen = predict(loaded, [tokens[a]!, tokens[a]!]);
		expect(unseen.reason).toBe('unseen-context');
		expect(unseen.probabilities[0]).toBe(1 / loaded.V);
	});
});
