/**
 * The plain Python reference of the series' single-head attention model
 * (test/reference/attention_reference.py) against the series' own seeded
 * runs (../shared/reference/seeded-runs, see its README.md): with
 * `--seed S --epochs 4` it must write the same train log and artifacts, byte
 * for byte. Its full.json holds every parameter at full precision.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const shared = path.resolve(process.cwd(), '../shared/reference');
const script = path.resolve(process.cwd(), 'test/reference/attention_reference.py');
const present = existsSync(path.join(shared, 'seeded-runs'));

const corpora = {
	analytics: path.join(shared, 'train-600-attention/corpus/004_analytics.txt'),
	animals: path.join(shared, 'train-300-context-2-animals/corpus/001_animals.txt'),
};

const files = [
	'outputs/train_log.csv',
	'artifacts/01_vocabulary.csv',
	'artifacts/02_model_weights.csv',
	'artifacts/03_token_embeddings.csv',
	'artifacts/04_positional_embeddings.csv',
	'artifacts/05_W_Q.csv',
	'artifacts/06_W_K.csv',
	'artifacts/07_W_V.csv',
];

const runs = [
	{corpus: 'analytics', seed: 1},
	{corpus: 'analytics', seed: 2},
	{corpus: 'animals', seed: 1},
	{corpus: 'animals', seed: 2},
] as const;

type Full = {E: number[][]; P: number[][]; WQ: number[][]; WK: number[][]; WV: number[][]; Wout: number[][]; b?: number[]; log?: number[][]};

/** Runs the reference into a fresh folder and returns its full.json. */
function runReference(corpus: string, args: string[]): Full {
	const out = mkdtempSync(path.join(tmpdir(), 'toy-gpt-tui-attention-reference-'));
	try {
		execFileSync('python3', [script, corpus, out, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
		return JSON.parse(readFileSync(path.join(out, 'full.json'), 'utf8')) as Full;
	} finally {
		rmSync(out, {recursive: true, force: true});
	}
}

describe.skipIf(!present)('the Python reference of the attention model', () => {
	for (const {corpus, seed} of runs) {
		it(`reproduces attention-${corpus}-seed${seed} byte for byte`, {timeout: 60_000}, () => {
			const out = mkdtempSync(path.join(tmpdir(), 'toy-gpt-tui-attention-reference-'));
			try {
				execFileSync('python3', [script, corpora[corpus], out, '--seed', String(seed), '--epochs', '4'], {stdio: ['ignore', 'pipe', 'pipe']});
				const expectedDir = path.join(shared, 'seeded-runs', `attention-${corpus}-seed${seed}`);
				for (const file of files) {
					const actual = readFileSync(path.join(out, file), 'utf8');
					const expected = readFileSync(path.join(expectedDir, file), 'utf8');
					expect(actual, file).toBe(expected);
				}
				const full = JSON.parse(readFileSync(path.join(out, 'full.json'), 'utf8')) as Full;
				expect(full.log!.map((row) => row[0])).toEqual([1, 2, 3, 4]);
			} finally {
				rmSync(out, {recursive: true, force: true});
			}
		});
	}

	it('--exact-gradient takes a different step, and --init-only draws E first from random.seed', {timeout: 60_000}, () => {
		const series = runReference(corpora.animals, ['--seed', '1', '--epochs', '1']);
		const exact = runReference(corpora.animals, ['--seed', '1', '--epochs', '1', '--exact-gradient']);
		expect(exact).not.toEqual(series);
		expect(exact.log![0]![0]).toBe(1);

		const init = runReference(corpora.animals, ['--seed', '1', '--init-only']);
		expect(Object.keys(init).sort()).toEqual(['E', 'P', 'WK', 'WQ', 'WV', 'Wout']);
		const printed = execFileSync('python3', ['-c', 'import random; random.seed(1); print(repr(random.gauss(0, 0.01)))'], {encoding: 'utf8'});
		expect(init.E[0]![0]).toBe(Number(printed.trim()));
	});
});
