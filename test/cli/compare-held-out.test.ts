/**
 * compare --holdout: each context size's held-out figures, equal to a run of
 * train --holdout at that size, and the reading of which generalises and
 * which memorises; without held-out text, the note that it would tell.
 */
import {describe, expect, it, vi} from 'vitest';
import {ANIMALS, lines, run, tempDirs} from './helpers.js';
import {readGeneralisation} from '../../source/models/compare.js';

vi.setConfig({testTimeout: 90_000});
const makeDir = tempDirs();

describe('compare --holdout', () => {
	it('gives each context size the held-out figures train --holdout gives it, and says context-3 memorises the animals', async () => {
		const dir = makeDir();
		const r = await run(['compare', '--corpus', ANIMALS, '--prompt', 'the owl', '--holdout', '0.2', '--json'], {cwd: dir});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		for (const n of [0, 3]) {
			const trained = await run(['train', '--corpus', ANIMALS, '--context', String(n), '--holdout', '0.2', '--json', '--artifacts', `a${n}`, '--outputs', `o${n}`], {cwd: dir});
			const last = lines(trained.stdout).map((line) => JSON.parse(line)).filter((e) => e.event === 'epoch').at(-1);
			expect(out.models[n]).toMatchObject({
				train_loss: last.avg_loss,
				held_out_loss: last.held_out_loss,
				held_out_perplexity: last.held_out_perplexity,
				held_out_accuracy: last.held_out_accuracy,
				coverage: last.coverage,
			});
		}
		expect(out.held_out).toBe('the last 8 lines of 40');
		expect(out.reading).toMatch(/Context-3 memorises \(context-2 too\): training loss 0\.55, held-out 3\.36 nats, 51% of held-out contexts never seen; the bigram generalises best here \(held-out 2\.17 nats, perplexity 8\.8\)\. On the held-out/);
		expect(out.reading).toMatch(/On the held-out text the embeddings model scores \d\.\d\d nats, the attention model \d\.\d\d \(context-2 2\.80\)\.$/);
	});

	it('puts the embeddings model beside them: the figures train --model embeddings --holdout gives at the series\' settings', async () => {
		const dir = makeDir();
		const r = await run(['compare', '--corpus', ANIMALS, '--prompt', 'the mouse cat', '--holdout', '0.2', '--json'], {cwd: dir});
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		const trained = await run(['train', '--model', 'embeddings', '--corpus', ANIMALS, '--holdout', '0.2', '--json', '--artifacts', 'ae', '--outputs', 'oe'], {cwd: dir});
		const last = lines(trained.stdout).map((line) => JSON.parse(line)).filter((e) => e.event === 'epoch').at(-1);
		expect(out.embeddings).toMatchObject({model_kind: 'embeddings', context_size: 2, embedding_dim: 16, learning_rate: 0.01, train_loss: last.avg_loss, held_out_loss: last.held_out_loss, coverage: last.coverage});
		// "mouse cat" never occurs: context-2 has no row, the embeddings model still answers.
		expect(out.models[2].uniform_reason).toBe('unseen-context');
		expect(out.embeddings.uniform_reason).toBeNull();
		expect(out.embeddings.seen_in_training).toBe(false);
		expect(out.reading).toContain(`Context-2 has no row for "mouse cat", but the embeddings model, reading the same 2 tokens through their vectors, says "${out.embeddings.best}"`);
	});

	it('puts the attention model beside them: the figures train --model attention --holdout --epochs 50 gives, and where it looks', async () => {
		const dir = makeDir();
		const out = JSON.parse((await run(['compare', '--corpus', ANIMALS, '--prompt', 'the cat', '--holdout', '0.2', '--json'], {cwd: dir})).stdout);
		const trained = await run(['train', '--model', 'attention', '--corpus', ANIMALS, '--holdout', '0.2', '--epochs', '50', '--json', '--artifacts', 'aa', '--outputs', 'oa'], {cwd: dir});
		const last = lines(trained.stdout).map((line) => JSON.parse(line)).filter((e) => e.event === 'epoch').at(-1);
		expect(out.attention).toMatchObject({model_kind: 'attention', context_size: 2, embedding_dim: 16, head_dim: 16, clip: 1, learning_rate: 0.01, train_loss: last.avg_loss, held_out_loss: last.held_out_loss, coverage: last.coverage});
		expect(out.attention.attention).toHaveLength(2);
		expect(out.attention.attention[0] + out.attention.attention[1]).toBeCloseTo(1, 12);
		const text = lines((await run(['compare', '--corpus', ANIMALS, '--prompt', 'the cat', '--holdout', '0.2'], {cwd: dir})).stdout);
		expect(text).toContain('attention (context 2, d 16, h 16, lr 0.01)  ·  predicted from the tokens\' vectors');
		expect(text.find((line) => line.startsWith('  attention the '))).toMatch(/^  attention the 0\.5000  cat 0\.5000 \(where the last word looks\)$/);
		expect(text.find((line) => line.startsWith('  attention  '))).toMatch(/^  attention +\d\.\d{4} +\d\.\d{4} \( +\d+\.\d\d\)/);
	});

	it('in words: a table of training and held-out loss for the four', async () => {
		const r = await run(['compare', '--corpus', ANIMALS, '--prompt', 'the owl', '--holdout', '0.2', '--topk', '1'], {cwd: makeDir()});
		const out = lines(r.stdout);
		const at = out.indexOf('  model        training   held-out (perplexity)   accuracy   coverage');
		expect(at).toBeGreaterThan(0);
		expect(out[at - 1]).toBe('loss in nats after the last epoch; held out: the last 8 lines of 40');
		expect(out[at + 4]).toBe('  context-3      0.5482     3.3588 (    28.75)     24.62%     49.23%');
	});

	it('without held-out text says a held-out part would tell memorising from generalising', async () => {
		const r = await run(['compare', '--corpus', ANIMALS, '--prompt', 'the owl', '--json'], {cwd: makeDir()});
		const out = JSON.parse(r.stdout);
		expect(out.held_out).toBe(null);
		expect(out.models[0].held_out_loss).toBeUndefined();
		expect(out.reading).toMatch(/Trained and read on the whole text: a held-out part \(--holdout 0\.1\) would tell memorising from generalising\.$/);
	});

	it('--train-seed without --shuffle seeds the embeddings model only; --dim and --exact-gradient set it up', async () => {
		const dir = makeDir();
		const plain = JSON.parse((await run(['compare', '--corpus', ANIMALS, '--prompt', 'the owl', '--json'], {cwd: dir})).stdout);
		const seeded = JSON.parse((await run(['compare', '--corpus', ANIMALS, '--prompt', 'the owl', '--train-seed', '2', '--dim', '8', '--exact-gradient', '--json'], {cwd: dir})).stdout);
		expect(seeded.models).toEqual(plain.models);
		expect(seeded.embeddings).toMatchObject({seed: 2, embedding_dim: 8, exact_gradient: true});
		expect(seeded.embeddings.train_loss).not.toBe(plain.embeddings.train_loss);
		const trained = await run(['train', '--model', 'embeddings', '--corpus', ANIMALS, '--seed', '2', '--dim', '8', '--exact-gradient', '--json', '--artifacts', 'a', '--outputs', 'o'], {cwd: dir});
		const last = lines(trained.stdout).map((line) => JSON.parse(line)).filter((e) => e.event === 'epoch').at(-1);
		expect(seeded.embeddings.train_loss).toBe(last.avg_loss);
	});
});

describe('readGeneralisation', () => {
	const held = (loss: number, coverage = 1) => ({epoch: 50, loss, perplexity: Math.exp(loss), accuracy: 0.5, coverage});
	it('names the best when the longest context does best, and when longer ones do no better', () => {
		expect(readGeneralisation([{n: 0, trainLoss: 3, heldOut: held(3.2)}, {n: 1, trainLoss: 2, heldOut: held(2.5)}])).toBe(
			'The bigram generalises best here (held-out 2.50 nats, perplexity 12.2): the longest context still does best on text it did not train on.',
		);
		expect(readGeneralisation([{n: 0, trainLoss: 3, heldOut: held(2.4)}, {n: 1, trainLoss: 3.1, heldOut: held(2.5)}])).toBe(
			'The unigram generalises best here (held-out 2.40 nats, perplexity 11.0); longer contexts do no better on text they did not train on.',
		);
	});
});
