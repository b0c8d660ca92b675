/**
 * `train --model embeddings`: the toy-gpt series' rung 500, exact.
 *  - the series' own code after random.seed(S) (../shared/reference/seeded-runs):
 *    seeds 1 and 2, 4 epochs, two corpora: train log, 01, 02, 03 byte for byte;
 *  - our Python reference of the same algorithm (test/reference/embeddings_reference.py)
 *    beyond those: other seeds, contexts, dimensions, scales and the true
 *    gradient, the printed files byte for byte and every parameter at full
 *    precision (bit for bit but where glibc misrounds a drawn weight, see
 *    test/numerics/libm.test.ts);
 *  - the set reloads to the trained model bit for bit (exact_parameters.json);
 *  - the series' committed run loads, says its bias was not saved, and gives
 *    the top tokens its README lists.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ROOT, run, tempDirs} from './helpers.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {EmbeddingsModel} from '../../source/models/embeddings/model.js';
import {EmbeddingsRun} from '../../source/models/embeddings/run.js';
import {readCorpusFile} from '../../source/text/corpus.js';

const SHARED = join(ROOT, '..', 'shared', 'reference');
const SEEDED = join(SHARED, 'seeded-runs');
const CORPORA = {
	analytics: join(SHARED, 'train-500-embeddings', 'corpus', '004_analytics.txt'),
	animals: join(SHARED, 'train-300-context-2-animals', 'corpus', '001_animals.txt'),
};
const FILES = ['artifacts/01_vocabulary.csv', 'artifacts/02_model_weights.csv', 'artifacts/03_token_embeddings.csv', 'outputs/train_log.csv'];
const temp = tempDirs();

async function train(corpus: string, args: readonly string[]): Promise<string> {
	const dir = temp();
	const result = await run(['train', '--model', 'embeddings', '--corpus', corpus, '--artifacts', join(dir, 'artifacts'), '--outputs', join(dir, 'outputs'), ...args], {cwd: dir, timeoutMs: 60_000});
	expect(result.stderr).toBe('');
	expect(result.code).toBe(0);
	return dir;
}

describe.skipIf(!existsSync(SEEDED))("the series' code after random.seed(S), to every printed digit", () => {
	for (const corpus of ['analytics', 'animals'] as const) {
		for (const seed of [1, 2]) {
			it(`${corpus}, seed ${seed}, 4 epochs: train log, 01, 02 and 03 byte for byte`, async () => {
				const dir = await train(CORPORA[corpus], ['--seed', String(seed), '--epochs', '4']);
				for (const file of FILES) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(readFileSync(join(SEEDED, `embeddings-${corpus}-seed${seed}`, file), 'utf8'));
			});
		}
	}
});

/** Our Python reference's run: its files and full.json (every parameter as Python's repr). */
function reference(corpus: string, args: readonly string[]): {dir: string; full: {E: number[][]; W: number[][]; b: number[]}} {
	const dir = temp();
	execFileSync('python3', [join(ROOT, 'test', 'reference', 'embeddings_reference.py'), corpus, dir, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	return {dir, full: JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'))};
}

function ulpsApart(a: number, b: number): number {
	const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
	return Math.abs(Number(bits[0]! - bits[1]!));
}

describe.skipIf(!existsSync(SHARED))('our Python reference of the algorithm, beyond the seeded runs', () => {
	const cases: Array<[keyof typeof CORPORA, string[]]> = [
		['analytics', ['--seed', '0', '--epochs', '3']],
		['analytics', ['--seed', '7', '--epochs', '2', '--context', '3', '--dim', '8']],
		['animals', ['--seed', '3', '--epochs', '5', '--context', '1', '--dim', '4', '--lr', '0.05']],
		['animals', ['--seed', '4', '--epochs', '3', '--init-scale', '0.5', '--lr', '0.1']],
		['animals', ['--seed', '5', '--epochs', '3', '--exact-gradient', '--init-scale', '0.3']],
	];
	for (const [corpus, args] of cases) {
		it(`${corpus} ${args.join(' ')}: the files byte for byte, every parameter within an ulp or bit for bit`, {timeout: 60_000}, async () => {
			const ours = await train(CORPORA[corpus], args);
			const theirs = reference(CORPORA[corpus], args);
			for (const file of FILES) expect(readFileSync(join(ours, file), 'utf8'), file).toBe(readFileSync(join(theirs.dir, file), 'utf8'));
			const exact = JSON.parse(readFileSync(join(ours, 'artifacts', 'exact_parameters.json'), 'utf8')) as typeof theirs.full;
			const pairs: Array<[number, number]> = [];
			exact.E.forEach((row, t) => row.forEach((x, k) => pairs.push([x, theirs.full.E[t]![k]!])));
			exact.W.forEach((row, i) => row.forEach((x, j) => pairs.push([x, theirs.full.W[i]![j]!])));
			exact.b.forEach((x, j) => pairs.push([x, theirs.full.b[j]!]));
			// Where glibc misrounds ln, sin or cos for a drawn weight (about 0.2% of
			// draws), or exp for a score, a number starts an ulp or so away, and
			// training carries the difference on at that size: within 1e-12.
			for (const [a, b] of pairs) expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
		});
	}

	it('with a shuffled order too (--shuffle --seed S: both draw from their own random.Random(S))', async () => {
		const dir = await train(CORPORA.animals, ['--seed', '2', '--epochs', '3', '--shuffle']);
		const log = readFileSync(join(dir, 'outputs', 'train_log.csv'), 'utf8');
		const plain = readFileSync(join(await train(CORPORA.animals, ['--seed', '2', '--epochs', '3']), 'outputs', 'train_log.csv'), 'utf8');
		expect(log).not.toBe(plain);
		expect(log.split('\n')[0]).toBe('epoch,avg_loss,accuracy');
	});
});

describe('the set reloads to the trained model, bit for bit', () => {
	it('E, W and b from exact_parameters.json equal the run\'s; the meta file records the settings', async () => {
		const corpus = join(ROOT, 'corpus', '001_animals.txt');
		const dir = await train(corpus, ['--seed', '9', '--epochs', '3', '--dim', '5', '--context', '3', '--init-scale', '0.2', '--lr', '0.05']);
		const loaded = loadArtifacts(join(dir, 'artifacts'));
		const model = loaded.model as EmbeddingsModel;
		expect(model).toBeInstanceOf(EmbeddingsModel);
		expect(loaded.note).toBeUndefined();
		const text = readCorpusFile(corpus);
		const trained = new EmbeddingsRun(text.vocabulary, text.ids, {n: 3, d: 5, seed: 9, initScale: 0.2, exactGradient: false}, 0.05);
		for (let e = 0; e < 3; e++) trained.epoch();
		expect(Array.from(model.E)).toEqual(Array.from(trained.model.E));
		expect(Array.from(model.W)).toEqual(Array.from(trained.model.W));
		expect(Array.from(model.b)).toEqual(Array.from(trained.model.b));
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts', '00_meta.json'), 'utf8'));
		expect(meta.model_kind).toBe('embeddings');
		expect(meta.context_size).toBe(3);
		const V = model.V;
		expect(meta.embeddings).toMatchObject({dim: 5, seed: 9, init_scale: 0.2, parameters: V * 5 + 15 * V + V, exact_file: 'exact_parameters.json'});
		expect(Object.keys(meta.manifest.files).sort()).toEqual(['01_vocabulary.csv', '02_model_weights.csv', '03_token_embeddings.csv', 'exact_parameters.json', 'train_log.csv']);
	});

	it('infer and eval read it: a context never seen gets a real distribution, said so', async () => {
		const dir = await train(join(ROOT, 'corpus', '001_animals.txt'), ['--seed', '1', '--epochs', '20', '--lr', '0.1', '--exact-gradient']);
		const infer = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--corpus', join(ROOT, 'corpus', '001_animals.txt'), '--prompt', 'mouse cat', '--num', '0', '--json'], {cwd: dir});
		expect(infer.code).toBe(0);
		const answer = JSON.parse(infer.stdout);
		expect(answer.model_kind).toBe('embeddings');
		expect(answer.uniform_reason).toBeNull();
		expect(answer.seen_in_training).toBe(false);
		expect(answer.top[0].probability).toBeGreaterThan(3 / 47);
		const text = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--corpus', join(ROOT, 'corpus', '001_animals.txt'), '--prompt', 'mouse cat', '--num', '3'], {cwd: dir});
		expect(text.stdout).toContain("context   mouse cat  ->  predicted from the tokens' vectors (never seen in training)");
		const seen = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--corpus', join(ROOT, 'corpus', '001_animals.txt'), '--prompt', 'the cat', '--num', '0'], {cwd: dir});
		expect(seen.stdout).toContain("context   the cat  ->  predicted from the tokens' vectors (seen in training)");
		const evaluation = await run(['eval', '--artifacts', join(dir, 'artifacts'), '--text', join(ROOT, 'corpus', '001_animals.txt'), '--json'], {cwd: dir});
		expect(evaluation.code).toBe(0);
		const figures = JSON.parse(evaluation.stdout);
		expect(figures.model_kind).toBe('embeddings');
		expect(figures.avg_loss).toBeLessThan(Math.log(14));
	});

	it('an exact file that does not match its CSVs is refused in one line, naming it', async () => {
		const dir = await train(join(ROOT, 'corpus', '001_animals.txt'), ['--seed', '1', '--epochs', '1']);
		const path = join(dir, 'artifacts', 'exact_parameters.json');
		const exact = JSON.parse(readFileSync(path, 'utf8'));
		exact.W[0][0] += 0.5;
		writeFileSync(path, JSON.stringify(exact));
		const {reseal} = await import('../support/reseal.js');
		reseal(join(dir, 'artifacts'));
		const result = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--prompt', 'the cat'], {cwd: dir});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^toy-gpt-tui: .*exact_parameters\.json: W value 0 .* does not print as the CSV's .*: the two files are not of one model\n$/);
	});
});

describe("the series' in-place order against the true gradient", () => {
	it('at lr 0.1 on the animals corpus the in-place order diverges (E grows by about lr²·|δ|² a step along itself) and the true gradient converges', async () => {
		const corpus = join(ROOT, 'corpus', '001_animals.txt');
		const loss = async (args: string[]) => {
			const dir = await train(corpus, ['--seed', '1', '--epochs', '30', '--lr', '0.1', ...args]);
			return readFileSync(join(dir, 'outputs', 'train_log.csv'), 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
		};
		const series = await loss([]);
		const exact = await loss(['--exact-gradient']);
		expect(series[1]).toBeLessThan(3);
		expect(series[29]).toBeGreaterThan(15);
		expect(exact[29]).toBeLessThan(1.1);
	});
});

describe('a run that diverges, and sets that do not read', () => {
	it('lr 1 overflows the weights: train stops in one line (exit 1) and the previous set stays byte for byte', async () => {
		const corpus = join(ROOT, 'corpus', '001_animals.txt');
		const dir = await train(corpus, ['--seed', '1', '--epochs', '2']);
		const before = readFileSync(join(dir, 'artifacts', 'exact_parameters.json'), 'utf8');
		const result = await run(['train', '--model', 'embeddings', '--corpus', corpus, '--lr', '1', '--epochs', '40', '--artifacts', join(dir, 'artifacts'), '--outputs', join(dir, 'outputs')], {cwd: dir, timeoutMs: 60_000});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^toy-gpt-tui: the embeddings model diverged at epoch \d+: its (loss is|weights are) no longer a finite number \(lr 1 is too large for it; the series trains it at 0\.01\); nothing was written\n$/);
		expect(readFileSync(join(dir, 'artifacts', 'exact_parameters.json'), 'utf8')).toBe(before);
	});

	it('an exact file holding a number too large for a double (1e999) is refused, naming it', async () => {
		const dir = await train(join(ROOT, 'corpus', '001_animals.txt'), ['--seed', '1', '--epochs', '1']);
		const path = join(dir, 'artifacts', 'exact_parameters.json');
		writeFileSync(path, readFileSync(path, 'utf8').replace(/"b": \[[^,]+,/, '"b": [1e999,'));
		const {reseal} = await import('../support/reseal.js');
		reseal(join(dir, 'artifacts'));
		const result = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--prompt', 'the cat'], {cwd: dir});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/exact_parameters\.json: "b" row 0, value 0: Infinity is not a finite number\n$/);
	});

	it('a set without its weights file says how to train it again, as an embeddings model with its settings', async () => {
		const dir = await train(join(ROOT, 'corpus', '001_animals.txt'), ['--seed', '4', '--epochs', '1', '--dim', '8']);
		const {rmSync} = await import('node:fs');
		rmSync(join(dir, 'artifacts', '02_model_weights.csv'));
		const result = await run(['infer', '--artifacts', join(dir, 'artifacts'), '--prompt', 'the cat'], {cwd: dir});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('make it with: toy-gpt-tui train --model embeddings --corpus ');
		expect(result.stderr).toMatch(/--context 2 --dim 8 --seed 4 --init-scale 0\.01 --epochs 1 --lr 0\.01 --artifacts /);
	});
});

describe.skipIf(!existsSync(SHARED))("the series' committed run (train-500-embeddings)", () => {
	const artifacts = join(SHARED, 'train-500-embeddings', 'artifacts');
	it('loads with bias 0, says the bias was not saved, and gives the top tokens of its README', async () => {
		const dir = temp();
		const first = await run(['infer', '--artifacts', artifacts, '--prompt', 'data analytics', '--num', '0', '--json'], {cwd: dir});
		expect(first.code).toBe(0);
		expect(first.stderr).toContain("the toy-gpt series does not save the embeddings model's bias");
		const top = (r: typeof first) => JSON.parse(r.stdout).top.map((t: {token: string; probability: number}) => `${t.token} ${t.probability.toFixed(4)}`);
		expect(top(first)).toEqual(['data 0.0096', 'be 0.0094', 'supports 0.0093', 'automation 0.0093', 'analytics 0.0093']);
		const second = await run(['infer', '--artifacts', artifacts, '--prompt', 'data analysis', '--num', '0', '--json'], {cwd: dir});
		expect(top(second)).toEqual(['be 0.0094', 'data 0.0092', 'builds 0.0092', 'ethics 0.0092', 'pipeline 0.0092']);
		const model = loadArtifacts(artifacts).model as EmbeddingsModel;
		expect([model.V, model.n, model.d]).toEqual([112, 2, 16]);
		expect(model.b.every((x) => x === 0)).toBe(true);
	});
});

describe('flags of the embeddings model', () => {
	it.each([
		[['--dim', '8'], /^toy-gpt-tui: --dim is a setting of the embeddings and attention models; give --model embeddings or --model attention too\n/],
		[['--exact-gradient'], /^toy-gpt-tui: --exact-gradient is a setting of the embeddings and attention models; give --model embeddings or --model attention too\n/],
		[['--model', 'embeddings', '--context', '9'], /^toy-gpt-tui: --context 9 is out of range; expected a whole number from 1 to 8 for the embeddings model\n/],
		[['--model', 'embeddings', '--context', '0'], /^toy-gpt-tui: --context 0 is out of range; expected a whole number from 1 to 8 for the embeddings model\n/],
		[['--model', 'transformer'], /^toy-gpt-tui: --model "transformer" is not valid; expected ngram \(the lookup table, the default\), embeddings or attention\n/],
		[['--model', 'embeddings', '--head-dim', '8'], /^toy-gpt-tui: --head-dim is a setting of the attention model; give --model attention too\n/],
		[['--model', 'embeddings', '--init-scale', '0'], /^toy-gpt-tui: --init-scale "0" is not valid/],
		[['--model', 'embeddings', '--dim', '0'], /^toy-gpt-tui: --dim 0 is out of range; expected a whole number from 1 to 512\n/],
	])('train %j: a usage error (exit 2) and nothing written', async (args, message) => {
		const dir = temp();
		const result = await run(['train', '--artifacts', join(dir, 'a'), '--outputs', join(dir, 'o'), ...args], {cwd: dir});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(existsSync(join(dir, 'a'))).toBe(false);
	});
});
