/** train --shuffle --seed S: the pairs in Python's random.shuffle order each epoch, recorded in the meta file. */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {ANIMALS, lines, run, tempDirs} from './helpers.js';
import {readCorpusFile} from '../../source/text/corpus.js';
import {trainFullTable} from '../../source/reference.js';

vi.setConfig({testTimeout: 60_000});
const makeDir = tempDirs();

describe('train --shuffle', () => {
	it('gives, epoch by epoch, the losses of the reference trained on the pairs in random.shuffle order', async () => {
		const dir = makeDir();
		const r = await run(['train', '--corpus', ANIMALS, '--context', '1', '--epochs', '4', '--shuffle', '--seed', '42', '--json', '--threads', '2'], {cwd: dir});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const events = lines(r.stdout).map((line) => JSON.parse(line));
		const corpus = readCorpusFile(ANIMALS);
		const full = trainFullTable(corpus.ids, corpus.vocabulary.tokens.length, 1, 0.1, 4, 42);
		expect(events.slice(0, 4).map((e) => [e.avg_loss, e.accuracy])).toEqual(full.log.map((e) => [e.avgLoss, e.accuracy]));
		// One thread, whatever --threads says: the order changes every epoch.
		expect(events[4]).toMatchObject({event: 'done', threads: 1});
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8'));
		expect(meta.training_order).toEqual({seed: 42, shuffle: true});
		expect(meta.training.epoch_definition).toContain('random.Random(42)');
	});

	it('another seed, another order; the same seed, the same bytes', async () => {
		const dir = makeDir();
		const losses = async (seed: string, out: string) => {
			const r = await run(['train', '--corpus', ANIMALS, '--epochs', '2', '--shuffle', '--seed', seed, '--artifacts', out, '--outputs', out], {cwd: dir});
			expect(r.code).toBe(0);
			return readFileSync(join(dir, out, '02_model_weights.csv'));
		};
		const a = await losses('1', 'a');
		expect((await losses('1', 'b')).equals(a)).toBe(true);
		expect((await losses('2', 'c')).equals(a)).toBe(false);
	});

	it('--seed without --shuffle (or a vector model) is a usage error', async () => {
		const r = await run(['train', '--seed', '3'], {cwd: makeDir()});
		expect(r.code).toBe(2);
		expect(r.stderr).toBe("toy-gpt-tui: --seed S of train is the seed of --shuffle (or of the embeddings or attention model's initial weights); give --shuffle or --model embeddings|attention too\n");
	});
});
