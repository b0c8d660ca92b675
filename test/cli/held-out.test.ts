/**
 * train --holdout and --valid: held-out figures after every epoch, checked
 * against the plain reference (a full table trained on the first lines,
 * scorePairs on the last), against eval of the saved model on the held-out
 * lines, and the files and meta keys they add.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {lines, run, tempDirs} from './helpers.js';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {scorePairs, trainFullTable, trainingPairs} from '../../source/reference.js';

vi.setConfig({testTimeout: 60_000});
const makeDir = tempDirs();

/** 30 lines of seeded words over a small vocabulary; the last 6 reuse the same words in another order. */
function corpusText(): string {
	let x = 11;
	const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
	return Array.from({length: 30}, () => Array.from({length: 3 + Math.floor(next() * 5)}, () => `w${Math.floor(next() ** 2 * 8)}`).join(' ')).join('\n') + '\n';
}

const jsonLines = (stdout: string) => lines(stdout).map((line) => JSON.parse(line));

describe('train --holdout', () => {
	it('reports after each epoch the held-out loss, perplexity, accuracy and coverage the reference computes', async () => {
		const text = corpusText();
		const dir = makeDir({'c.txt': text});
		const r = await run(['train', '--corpus', 'c.txt', '--context', '1', '--epochs', '4', '--lr', '0.5', '--holdout', '0.2', '--json'], {cwd: dir});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const events = jsonLines(r.stdout);
		// The reference: the last round-half-even(0.2 · 30) = 6 lines held out.
		const corpus = corpusFromBytes('c.txt', Buffer.from(text));
		const allLines = text.trimEnd().split('\n');
		const cut = allLines.slice(0, 24).join(' ').split(' ').length;
		const V = corpus.vocabulary.tokens.length;
		const trainIds = corpus.ids.subarray(0, cut);
		const heldOut = trainingPairs(corpus.ids.subarray(cut), 1);
		for (let epoch = 1; epoch <= 4; epoch++) {
			const table = {V, n: 1, weights: trainFullTable(trainIds, V, 1, 0.5, epoch).weights};
			const expected = scorePairs(table, heldOut, trainingPairs(trainIds, 1));
			expect(events[epoch - 1]).toMatchObject({
				event: 'epoch',
				epoch,
				held_out_loss: expected.avgLoss,
				held_out_perplexity: Math.exp(expected.avgLoss),
				held_out_accuracy: expected.accuracy,
				coverage: expected.coverage,
			});
		}
		const done = events.at(-1);
		expect(done).toMatchObject({event: 'done', num_training_pairs: cut - 1, held_out_pairs: heldOut.length});
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8'));
		expect(meta.held_out).toEqual({first_token: cut, fraction: 0.2, lines: 6, pairs: heldOut.length});
		expect(meta.num_training_pairs).toBe(cut - 1);
		expect(Object.keys(meta.manifest.files)).toContain('held_out_log.csv');
		const log = readFileSync(join(dir, 'outputs/held_out_log.csv'), 'utf8').trimEnd().split('\n');
		expect(log[0]).toBe('epoch,held_out_loss,held_out_perplexity,held_out_accuracy,coverage');
		expect(log).toHaveLength(5);
		expect(log[4]).toMatch(/^4,\d+\.\d{8},\d+\.\d{8},\d\.\d{6},\d\.\d{6}$/);
		// train_log.csv keeps its three columns.
		expect(readFileSync(join(dir, 'outputs/train_log.csv'), 'utf8').split('\n')[0]).toBe('epoch,avg_loss,accuracy');
	});

	it('eval of the saved model on the held-out lines, as their own file, gives the last epoch\'s held-out loss', async () => {
		const text = corpusText();
		const dir = makeDir({'c.txt': text, 'tail.txt': text.trimEnd().split('\n').slice(24).join('\n') + '\n'});
		const trained = await run(['train', '--corpus', 'c.txt', '--context', '2', '--epochs', '6', '--holdout', '0.2', '--json'], {cwd: dir});
		expect(trained.code, trained.stderr).toBe(0);
		const last = jsonLines(trained.stdout).at(-2);
		const evaluated = JSON.parse((await run(['eval', '--text', 'tail.txt', '--json'], {cwd: dir})).stdout);
		expect(evaluated.pairs).toBe(jsonLines(trained.stdout).at(-1).held_out_pairs);
		expect(evaluated.unseen_contexts / evaluated.pairs).toBeCloseTo(1 - last.coverage, 12);
		expect(evaluated.accuracy).toBe(last.held_out_accuracy);
		// The saved weights are rounded to 8 decimals; the loss agrees to that.
		expect(Math.abs(evaluated.avg_loss - last.held_out_loss)).toBeLessThan(1e-7);
	});

	it('a later run without a held-out part writes the set as before and removes the held-out log', async () => {
		const dir = makeDir({'c.txt': corpusText()});
		expect((await run(['train', '--corpus', 'c.txt', '--holdout', '0.3'], {cwd: dir})).code).toBe(0);
		expect(existsSync(join(dir, 'outputs/held_out_log.csv'))).toBe(true);
		const plain = await run(['train', '--corpus', 'c.txt'], {cwd: dir});
		expect(plain.code).toBe(0);
		expect(existsSync(join(dir, 'outputs/held_out_log.csv'))).toBe(false);
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8'));
		expect(meta.held_out).toBeUndefined();
		expect(Object.keys(meta.manifest.files)).not.toContain('held_out_log.csv');
		expect((await run(['infer', '--prompt', 'w1'], {cwd: dir})).code).toBe(0);
	});

	it('says in words what is held out, and each epoch\'s held-out figures', async () => {
		const dir = makeDir({'c.txt': corpusText()});
		const r = await run(['train', '--corpus', 'c.txt', '--holdout', '0.1', '--epochs', '2'], {cwd: dir});
		const out = lines(r.stdout);
		expect(out[1]).toMatch(/^held out: the last 3 lines of 30 \(\d+ pairs\), scored after each epoch$/);
		expect(out[2]).toMatch(/^epoch 1\/2 {2}avg_loss \d\.\d{8} {2}accuracy \d\.\d{6} {2}held_out_loss \d\.\d{8} {2}perplexity \d+\.\d{4} {2}accuracy \d\.\d{6} {2}coverage \d\.\d{6}$/);
	});
});

describe('train --holdout on threads', () => {
	it('gives the held-out figures of one thread, bit for bit', async () => {
		const dir = makeDir({'c.txt': corpusText()});
		const figures = async (threads: string) =>
			jsonLines((await run(['train', '--corpus', 'c.txt', '--epochs', '3', '--holdout', '0.2', '--threads', threads, '--json', '--artifacts', `a${threads}`, '--outputs', `o${threads}`], {cwd: dir})).stdout)
				.filter((event) => event.event === 'epoch')
				.map(({held_out_loss, held_out_accuracy, coverage}) => [held_out_loss, held_out_accuracy, coverage]);
		const one = await figures('1');
		expect(one).toHaveLength(3);
		expect(await figures('2')).toEqual(one);
	});
});

describe('train --valid', () => {
	it('scores a separate text, its unknown words at p = 1e-12, and records the file in the meta file', async () => {
		const dir = makeDir({'c.txt': corpusText(), 'v.txt': 'w1 w2 w3 zz w1 w2\n'});
		const r = await run(['train', '--corpus', 'c.txt', '--context', '1', '--epochs', '2', '--valid', 'v.txt', '--json'], {cwd: dir});
		expect(r.code, r.stderr).toBe(0);
		const events = jsonLines(r.stdout);
		const evaluated = JSON.parse((await run(['eval', '--text', 'v.txt', '--json'], {cwd: dir})).stdout);
		expect(Math.abs(evaluated.avg_loss - events[1].held_out_loss)).toBeLessThan(1e-7);
		expect(evaluated.oov).toBe(1);
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8'));
		expect(meta.held_out).toMatchObject({file: 'v.txt', pairs: 5, oov: 1});
		expect(meta.num_training_pairs).toBe(meta.num_tokens - 1);
	});
});

describe('refusals', () => {
	it('--holdout out of range is a usage error; with --valid too, one line; a split with no held-out pair, one line', async () => {
		const dir = makeDir({'c.txt': corpusText(), 'v.txt': 'w1 w2\n', 'two.txt': 'a b c d\ne\n'});
		const high = await run(['train', '--corpus', 'c.txt', '--holdout', '0.95'], {cwd: dir});
		expect(high.code).toBe(2);
		expect(high.stderr).toBe('toy-gpt-tui: --holdout "0.95" is not valid; expected a share of the lines from 0 up to below 0.9 (0.1 holds out the last tenth)\n');
		const both = await run(['train', '--corpus', 'c.txt', '--holdout', '0.1', '--valid', 'v.txt'], {cwd: dir});
		expect(both.code).toBe(1);
		expect(both.stderr).toBe('toy-gpt-tui: --holdout and --valid are two ways to choose the held-out text: give one of them\n');
		const none = await run(['train', '--corpus', 'two.txt', '--holdout', '0.5', '--context', '1'], {cwd: dir});
		expect(none.code).toBe(1);
		expect(none.stderr).toBe('toy-gpt-tui: --holdout 0.5 of corpus two.txt: the last 1 line (1 token) hold no window of 2 tokens, so there is no held-out pair; hold out more\n');
		expect(existsSync(join(dir, 'artifacts/00_meta.json'))).toBe(false);
	});
});
