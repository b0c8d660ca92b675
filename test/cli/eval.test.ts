/**
 * eval: a text scored by saved artifacts. Its figures are checked against a
 * plain loop over the text's pairs (the reference softmax of each context's
 * row), on dense and sparse sets, with the out-of-vocabulary rule.
 */
import type {Model} from '../../source/models/table/model.js';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {ANIMALS, ROOT, lines, run, tempDirs} from './helpers.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {crossEntropy, argmax, softmax} from '../../source/reference.js';

vi.setConfig({testTimeout: 60_000});
const makeDir = tempDirs();

/** The figures of eval, computed the plain way: each pair's row, its softmax, its loss. */
function plainEval(artifacts: string, words: string[]) {
	const model = loadArtifacts(artifacts).model as Model;
	const id = new Map(model.vocabulary.tokens.map((token, k) => [token, k]));
	const ids = words.map((word) => id.get(word) ?? -1);
	let lossSum = 0;
	let knownSum = 0;
	let known = 0;
	let correct = 0;
	let unseen = 0;
	for (let t = model.n; t < ids.length; t++) {
		const context = ids.slice(t - model.n, t);
		const slot = context.includes(-1) ? -1 : model.slotOf(context);
		if (slot < 0) unseen++;
		const p = softmax(model.scores(slot));
		if (ids[t]! < 0) {
			lossSum += -Math.log(1e-12);
			continue;
		}
		const loss = crossEntropy(p, ids[t]!);
		lossSum += loss;
		knownSum += loss;
		known++;
		if (argmax(p) === ids[t]) correct++;
	}
	const pairs = ids.length - model.n;
	return {
		pairs,
		avg_loss: lossSum / pairs,
		perplexity: Math.exp(lossSum / pairs),
		accuracy: correct / pairs,
		oov: ids.filter((k) => k < 0).length,
		unseen_contexts: unseen,
		perplexity_without_oov: Math.exp(knownSum / known),
	};
}

const TEXT = 'the cat sleeps in the warm barn . the zebra runs to the old pond and the owl hunts at night\nthe dog drinks water\n';

describe('eval --json', () => {
	it('on the shipped animals model equals a plain loop over the text\'s pairs, unknown words included', async () => {
		const dir = makeDir();
		writeFileSync(join(dir, 'held.txt'), TEXT);
		const r = await run(['eval', '--artifacts', join(ROOT, 'artifacts'), '--text', 'held.txt', '--json'], {cwd: dir});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const got = JSON.parse(r.stdout);
		const expected = plainEval(join(ROOT, 'artifacts'), TEXT.split(/\s+/).filter(Boolean));
		expect(got).toMatchObject(expected);
		expect(got.oov).toBe(4); // ".", "zebra", "to", "and"
		expect(got.oov_targets).toBe(4);
		expect(got.unseen_contexts).toBeGreaterThan(0);
	});

	it('gives the same figures from the dense and the sparse set of one run', async () => {
		const dir = makeDir({'c.txt': TEXT.repeat(3)});
		for (const format of ['dense', 'sparse']) {
			const trained = await run(['train', '--corpus', 'c.txt', '--epochs', '4', '--context', '1', '--weights-format', format, '--artifacts', format, '--outputs', `o-${format}`], {cwd: dir});
			expect(trained.code, trained.stderr).toBe(0);
		}
		writeFileSync(join(dir, 'held.txt'), 'the owl runs to the warm pond\n');
		const dense = await run(['eval', '--artifacts', 'dense', '--text', 'held.txt', '--json'], {cwd: dir});
		const sparse = await run(['eval', '--artifacts', 'sparse', '--text', 'held.txt', '--json'], {cwd: dir});
		const {artifacts: _a, ...denseFigures} = JSON.parse(dense.stdout);
		const {artifacts: _b, ...sparseFigures} = JSON.parse(sparse.stdout);
		expect(sparseFigures).toEqual(denseFigures);
		expect(denseFigures).toMatchObject(plainEval(join(dir, 'dense'), 'the owl runs to the warm pond'.split(' ')));
	});
});

describe('eval in words', () => {
	it('names the model and the text, and says how unseen contexts and unknown words are scored', async () => {
		const dir = makeDir({'held.txt': 'the cat sleeps in the zebra barn\n'});
		const r = await run(['eval', '--artifacts', join(ROOT, 'artifacts'), '--text', 'held.txt'], {cwd: dir});
		expect(r.code).toBe(0);
		const out = lines(r.stdout);
		expect(out[0]).toMatch(/^model {5}.*artifacts\/: context2, V 47, trained on corpus\/001_animals\.txt$/);
		expect(out[1]).toBe('text      held.txt: 7 tokens, 5 pairs scored');
		expect(out[2]).toMatch(/^loss {6}\d+\.\d{4} nats a pair \(perplexity [\d.e+]+\)$/);
		expect(out[4]).toMatch(/^unseen {4}\d pairs? \([\d.]+%\) with a context the training pairs lack: the uniform guess, ln 47 = 3\.8501 nats$/);
		expect(out[5]).toBe('oov       1 token not in the vocabulary, the target of 1 pair: scored at p = 1e-12 (27.63 nats), never right');
	});
});

describe('eval refuses', () => {
	it('without --text: a usage error, exit 2', async () => {
		const r = await run(['eval'], {cwd: makeDir()});
		expect(r.code).toBe(2);
		expect(r.stderr).toBe('toy-gpt-tui: eval needs --text FILE, the text to score\n');
	});

	it('a text too short for one pair, and a text that is not a file, in one line, exit 1', async () => {
		const dir = makeDir({'short.txt': 'the cat\n'});
		const short = await run(['eval', '--artifacts', join(ROOT, 'artifacts'), '--text', 'short.txt'], {cwd: dir});
		expect(short.code).toBe(1);
		expect(short.stderr).toBe('toy-gpt-tui: text short.txt has 2 tokens; a context-2 model scores windows of 3 tokens, so there is no pair to score\n');
		const folder = await run(['eval', '--artifacts', join(ROOT, 'artifacts'), '--text', '.'], {cwd: dir});
		expect(folder.code).toBe(1);
		expect(lines(folder.stderr)).toHaveLength(1);
		expect(folder.stderr).toMatch(/^toy-gpt-tui: text \. is a directory/);
	});
});

describe('eval of the animals corpus itself with its own model', () => {
	it('scores its 311 pairs with no unknown word and no unseen context', async () => {
		const r = await run(['eval', '--artifacts', join(ROOT, 'artifacts'), '--text', ANIMALS, '--json'], {cwd: makeDir()});
		const got = JSON.parse(r.stdout);
		expect(got).toMatchObject({pairs: 311, oov: 0, oov_targets: 0, unseen_contexts: 0});
		expect(got.perplexity_without_oov).toBe(got.perplexity);
	});
});
