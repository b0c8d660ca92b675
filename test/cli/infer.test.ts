/**
 * infer: loads artifacts trained here first (never retrains, never writes),
 * shows the next-token distribution and generates a continuation.
 *
 * Models: "a b a c a b" with a context of 1 (m1) and of 2 (m2), and the
 * animals corpus with a context of 1 (animals), all with the default 50
 * epochs and learning rate 0.1.
 */
import {cpSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {ANIMALS, lines, ROOT, run, snapshotTree, tempDirs} from './helpers.js';

// Spawning is slow on a loaded machine: allow for it.
vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000});

const makeDir = tempDirs();
let dir: string;

beforeAll(async () => {
	dir = makeDir({'tiny.txt': 'a b a c a b\n'});
	const trained = await Promise.all([
		run(['train', '--corpus', 'tiny.txt', '--context', '1', '--artifacts', 'm1', '--outputs', 'o1'], {cwd: dir}),
		run(['train', '--corpus', 'tiny.txt', '--context', '2', '--artifacts', 'm2', '--outputs', 'o2'], {cwd: dir}),
		run(['train', '--corpus', ANIMALS, '--context', '1', '--artifacts', 'animals', '--outputs', 'o3'], {cwd: dir}),
	]);
	for (const r of trained) if (r.code !== 0) throw new Error(`training failed: ${r.stderr}`);
});

const infer = (...args: string[]) => run(['infer', ...args], {cwd: dir});
const inferJson = async (...args: string[]) => {
	const r = await infer(...args, '--json');
	expect(r.stderr).toBe('');
	expect(r.code).toBe(0);
	expect(lines(r.stdout)).toHaveLength(1);
	return JSON.parse(r.stdout);
};

describe.concurrent('infer: the next-token distribution', () => {
	it('prints the model, prompt, context row, the top tokens with percentages, entropy and the continuation', async () => {
		const r = await infer('--artifacts', 'm1', '--prompt', 'a');
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(lines(r.stdout)).toEqual([
			'model     bigram (context of 1 token), 3 tokens, from m1',
			'corpus    trained on tiny.txt (1 line, 6 tokens, sha256 78b030160f99…)',
			'prompt    a',
			'context   a  ->  row a',
			'next token',
			'  b            64.71%  ███████████████████▍',
			'  c            31.05%  █████████▍',
			'  a             4.23%  █▎',
			'entropy   1.123 bits (1.585 would be uniform)',
			'generated b a b a b a b a b a  [greedy]',
		]);
	});

	it('--topk limits the candidates shown', async () => {
		const r = await infer('--artifacts', 'm1', '--prompt', 'a', '--topk', '2', '--num', '3');
		expect(r.code).toBe(0);
		const out = lines(r.stdout);
		expect(out[4]).toBe('next token (top 2 of 3)');
		expect(out.slice(5, 7).map((line) => line.trim().split(/ +/).slice(0, 2))).toEqual([
			['b', '64.71%'],
			['c', '31.05%'],
		]);
		expect(out.at(-1)).toBe('generated b a b  [greedy]');
	});

	it('says when a word of the prompt is not in the vocabulary', async () => {
		const r = await infer('--artifacts', 'm1', '--prompt', 'zebra', '--num', '2');
		expect(r.code).toBe(0);
		const out = lines(r.stdout);
		expect(out[3]).toBe('context   zebra  ->  no row: "zebra" is not in the vocabulary, so every next token is equally likely');
		expect(out.slice(5, 8)).toEqual(['  a            33.33%  ██████████', '  b            33.33%  ██████████', '  c            33.33%  ██████████']);
		expect(out[8]).toBe('entropy   1.585 bits (1.585 would be uniform)');
	});

	it('says when the prompt is too short for the context', async () => {
		const r = await infer('--artifacts', 'm2', '--prompt', 'a', '--num', '2');
		expect(r.code).toBe(0);
		expect(lines(r.stdout)[3]).toBe(
			'context   a  ->  no row: the prompt has 1 token; this model reads the previous 2, so every next token is equally likely',
		);
		const empty = await infer('--artifacts', 'm2', '--num', '0');
		expect(lines(empty.stdout).slice(2, 4)).toEqual([
			'prompt    (empty)',
			'context   (none)  ->  no row: the prompt has 0 tokens; this model reads the previous 2, so every next token is equally likely',
		]);
	});

	it('says when the context never occurs in training', async () => {
		const r = await infer('--artifacts', 'm2', '--prompt', 'b c', '--num', '2');
		expect(r.code).toBe(0);
		expect(lines(r.stdout)[3]).toBe(
			'context   b c  ->  no row: the context "b|c" never occurs in the training corpus, so its row is all zeros and every next token is equally likely',
		);
	});

	it('--json has the context, row, top (token, id, probability), entropy and generated tokens', async () => {
		const parsed = await inferJson('--artifacts', 'm2', '--prompt', 'b a b');
		expect(Object.keys(parsed)).toEqual(
			expect.arrayContaining(['context', 'row', 'top', 'entropy', 'generated', 'prompt', 'model_kind', 'uniform_reason', 'decoding']),
		);
		expect(parsed.prompt).toBe('b a b');
		expect(parsed.model_kind).toBe('context2');
		expect(parsed.context).toEqual(['a', 'b']);
		expect(parsed.row).toBe('a|b');
		expect(parsed.uniform_reason).toBeNull();
		expect(parsed.top.map((t: {token: string; id: number}) => [t.token, t.id])).toEqual([
			['a', 0],
			['b', 1],
			['c', 2],
		]);
		for (const t of parsed.top) expect(Object.keys(t)).toEqual(['token', 'id', 'probability']);
		const p = parsed.top.map((t: {probability: number}) => t.probability) as number[];
		expect(p[0]).toBeCloseTo(0.8504, 4);
		expect(p[1]).toBeCloseTo(p[2]!, 12);
		expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
		expect(parsed.entropy).toBeCloseTo(-p.reduce((h, q) => h + q * Math.log2(q), 0), 12);
		expect(parsed.decoding).toEqual({mode: 'greedy'});
		// Greedy from "a b": a (85%), then a|... : the corpus's cycle a c a b.
		expect(parsed.generated).toEqual(['a', 'c', 'a', 'b', 'a', 'c', 'a', 'b', 'a', 'c']);
	});

	it('--json names why a distribution is uniform', async () => {
		const [unknown, short, unseen] = await Promise.all([
			inferJson('--artifacts', 'm1', '--prompt', 'zebra', '--num', '0'),
			inferJson('--artifacts', 'm2', '--prompt', 'a', '--num', '0'),
			inferJson('--artifacts', 'm2', '--prompt', 'b c', '--num', '0'),
		]);
		expect([unknown.uniform_reason, unknown.row, unknown.context]).toEqual(['unknown-token', null, ['zebra']]);
		expect([short.uniform_reason, short.row, short.context]).toEqual(['too-short', null, ['a']]);
		expect([unseen.uniform_reason, unseen.row, unseen.context]).toEqual(['unseen-context', null, ['b', 'c']]);
		for (const r of [unknown, short, unseen]) {
			for (const t of r.top) expect(t.probability).toBeCloseTo(1 / 3, 12);
			expect(r.entropy).toBeCloseTo(Math.log2(3), 12);
		}
	});
});

describe.concurrent('infer: generation', () => {
	it('greedy decoding is deterministic', async () => {
		const runs = await Promise.all([1, 2, 3].map(() => infer('--artifacts', 'animals', '--prompt', 'the', '--num', '8')));
		for (const r of runs) expect(r.stdout).toBe(runs[0]!.stdout);
		expect(lines(runs[0]!.stdout).at(-1)).toBe('generated barn the barn the barn the barn the  [greedy]');
	});

	it('sampling with a seed repeats; another seed gives other text', async () => {
		const sample = (seed: string) => inferJson('--artifacts', 'animals', '--prompt', 'the', '--temperature', '1', '--seed', seed, '--num', '8');
		const [seven, again, eight] = await Promise.all([sample('7'), sample('7'), sample('8')]);
		expect(seven.generated).toEqual(['yard', 'the', 'warm', 'mat', 'the', 'warm', 'milk', 'in']);
		expect(again.generated).toEqual(seven.generated);
		expect(eight.generated).toEqual(['yard', 'the', 'warm', 'lays', 'an', 'egg', 'hunts', 'the']);
		expect(seven.decoding).toEqual({mode: 'sample', temperature: 1, top_k: null, top_p: 1, seed: 7});
		const text = await infer('--artifacts', 'animals', '--prompt', 'the', '--temperature', '1', '--seed', '7', '--num', '8');
		expect(lines(text.stdout).at(-1)).toBe('generated yard the warm mat the warm milk in  [sampled: temperature 1, top-k all, top-p 1, seed 7]');
	});

	it('--topk 1 while sampling always takes the most likely token, as greedy does', async () => {
		const [sampled, greedy] = await Promise.all([
			inferJson('--artifacts', 'animals', '--prompt', 'the', '--temperature', '2', '--topk', '1', '--seed', '5', '--num', '12'),
			inferJson('--artifacts', 'animals', '--prompt', 'the', '--num', '12'),
		]);
		expect(sampled.generated).toEqual(greedy.generated);
		expect(sampled.decoding.top_k).toBe(1);
	});

	it('--temperature 1e-310 (the smallest the flag accepts, about) continues as greedy does, not with the last candidate', async () => {
		const [tiny, greedy] = await Promise.all([
			infer('--artifacts', 'animals', '--prompt', 'the', '--temperature', '1e-310', '--seed', '5', '--num', '8'),
			inferJson('--artifacts', 'animals', '--prompt', 'the', '--num', '8'),
		]);
		expect(tiny.code).toBe(0);
		expect(greedy.generated).toEqual(['barn', 'the', 'barn', 'the', 'barn', 'the', 'barn', 'the']);
		expect(lines(tiny.stdout).at(-1)).toBe('generated barn the barn the barn the barn the  [sampled: temperature 1e-310, top-k all, top-p 1, seed 5]');
	});

	it('--num 0 generates nothing', async () => {
		const [text, json] = await Promise.all([
			infer('--artifacts', 'm1', '--prompt', 'a', '--num', '0'),
			inferJson('--artifacts', 'm1', '--prompt', 'a', '--num', '0'),
		]);
		expect(lines(text.stdout).at(-1)).toBe('generated (nothing: --num 0)  [greedy]');
		expect(json.generated).toEqual([]);
	});

	it('--num N generates N tokens', async () => {
		const json = await inferJson('--artifacts', 'animals', '--prompt', 'the cat', '--temperature', '1.5', '--seed', '3', '--num', '25');
		expect(json.generated).toHaveLength(25);
	});
});

describe.concurrent('infer: reads, never writes', () => {
	it('leaves every file and folder as it was (explicit and default artifacts)', async () => {
		const here = makeDir();
		cpSync(join(dir, 'm2'), join(here, 'artifacts'), {recursive: true});
		const before = snapshotTree(here);
		const results = await Promise.all([
			run(['infer'], {cwd: here}),
			run(['infer', '--prompt', 'a b', '--json'], {cwd: here}),
			run(['infer', '--artifacts', 'artifacts', '--temperature', '1', '--seed', '3'], {cwd: here}),
			run(['infer', '--artifacts', 'missing'], {cwd: here}),
		]);
		expect(results.map((r) => r.code)).toEqual([0, 0, 0, 1]);
		// Without --artifacts, ./artifacts is read when it holds a model.
		expect(lines(results[0]!.stdout)[0]).toBe('model     context2 (context of 2 tokens), 3 tokens, from artifacts');
		expect(snapshotTree(here)).toEqual(before);
	});

	it('--corpus of the corpus the model was trained on: answers as without it', async () => {
		const [plain, checked] = await Promise.all([infer('--artifacts', 'm1', '--prompt', 'a'), infer('--artifacts', 'm1', '--prompt', 'a', '--corpus', 'tiny.txt')]);
		expect(checked.code).toBe(0);
		expect(checked.stderr).toBe('');
		expect(checked.stdout).toBe(plain.stdout);
	});

	it('--corpus of another corpus: refused in one line, exit 1, nothing printed on stdout', async () => {
		const r = await infer('--artifacts', 'm1', '--prompt', 'a', '--corpus', ANIMALS);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(lines(r.stderr)).toEqual([
			`toy-gpt-tui: the model in m1/ was trained on tiny.txt, not on ${ANIMALS} (their sha256 differ); train one with: toy-gpt-tui train --corpus ${ANIMALS} --artifacts DIR`,
		]);
	});

	it('--json names the corpus the model was trained on', async () => {
		const parsed = await inferJson('--artifacts', 'm1', '--prompt', 'a');
		expect(parsed.corpus).toEqual({path: 'tiny.txt', sha256: '78b030160f99f08d22f7e33ae8dec11d94e944518e930f508405112ce1d65cb2'});
	});

	it('without ./artifacts, reads the artifacts that ship with the package', async () => {
		const here = makeDir();
		const r = await run(['infer', '--prompt', 'the cat', '--num', '3'], {cwd: here});
		expect(r.code).toBe(0);
		expect(lines(r.stdout)[0]).toBe(`model     context2 (context of 2 tokens), 47 tokens, from ${join(ROOT, 'artifacts')}`);
		expect(lines(r.stdout)[3]).toBe('context   the cat  ->  row the|cat');
		expect(snapshotTree(here)).toEqual({});
	});
});
