/**
 * The plain Python reference of the series' learned-embeddings model
 * (test/reference/embeddings_reference.py) against the series' own seeded
 * runs (../shared/reference/seeded-runs, see its README.md): with
 * `--seed S --epochs 4` it must write the same train log and artifacts, byte
 * for byte. Its full.json is then what the TypeScript engine is compared
 * with at full precision.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const shared = path.resolve(process.cwd(), '../shared/reference');
const script = path.resolve(process.cwd(), 'test/reference/embeddings_reference.py');
const present = existsSync(path.join(shared, 'seeded-runs'));

const corpora = {
	analytics: path.join(shared, 'train-500-embeddings/corpus/004_analytics.txt'),
	animals: path.join(shared, 'train-300-context-2-animals/corpus/001_animals.txt'),
};

const files = ['outputs/train_log.csv', 'artifacts/01_vocabulary.csv', 'artifacts/02_model_weights.csv', 'artifacts/03_token_embeddings.csv'];

const runs = [
	{corpus: 'analytics', seed: 1},
	{corpus: 'analytics', seed: 2},
	{corpus: 'animals', seed: 1},
	{corpus: 'animals', seed: 2},
] as const;

describe.skipIf(!present)('the Python reference of the embeddings model', () => {
	for (const {corpus, seed} of runs) {
		it(`reproduces embeddings-${corpus}-seed${seed} byte for byte`, {timeout: 60_000}, () => {
			const out = mkdtempSync(path.join(tmpdir(), 'toy-gpt-tui-embeddings-reference-'));
			try {
				execFileSync('python3', [script, corpora[corpus], out, '--seed', String(seed), '--epochs', '4'], {stdio: ['ignore', 'pipe', 'pipe']});
				const expectedDir = path.join(shared, 'seeded-runs', `embeddings-${corpus}-seed${seed}`);
				for (const file of files) {
					const actual = readFileSync(path.join(out, file), 'utf8');
					const expected = readFileSync(path.join(expectedDir, file), 'utf8');
					expect(actual, file).toBe(expected);
				}
				const full = JSON.parse(readFileSync(path.join(out, 'full.json'), 'utf8')) as {log: number[][]};
				expect(full.log.map((row) => row[0])).toEqual([1, 2, 3, 4]);
			} finally {
				rmSync(out, {recursive: true, force: true});
			}
		});
	}
});

describe('the Python reference sums as CPython 3.12+ does', () => {
	it('uses Neumaier compensated summation, not a plain loop', {timeout: 30_000}, () => {
		const printed = execFileSync('python3', [script, '--selftest'], {encoding: 'utf8'});
		const result = JSON.parse(printed) as Record<string, number>;
		// [1e100, 1.0, -1e100]: the compensation keeps the 1.0 a plain loop loses.
		expect(result.nsum).toBe(1);
		expect(result.plain).toBe(0);
		// Ten times 0.1: exactly 1.0 compensated, 0.9999999999999999 plain.
		expect(result.nsum_tenths).toBe(1);
		expect(result.plain_tenths).toBe(0.9999999999999999);
	});
});
