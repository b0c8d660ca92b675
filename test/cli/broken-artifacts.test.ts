/**
 * infer on artifacts that do not load cleanly: exit 1, one line naming the
 * file and line, and not a single probability on stdout. Each edit is made
 * with the manifest resealed to match (test/support/reseal.ts), so the
 * check of the file's content answers, not the manifest; then the same edits
 * without resealing are refused by the manifest, naming the file.
 */
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {ROOT, run, tempDirs} from './helpers.js';
import {reseal} from '../support/reseal.js';

vi.setConfig({testTimeout: 60_000});

type Edit = (dir: string) => void;
const edit = (file: string, change: (text: string) => string): Edit => (dir) => {
	const path = join(dir, file);
	writeFileSync(path, change(readFileSync(path, 'utf8')));
};

const cases: Array<[name: string, change: Edit, message: RegExp]> = [
	['missing meta', (dir) => rmSync(join(dir, '00_meta.json')), /cannot read the meta file .*00_meta\.json: no such file/],
	['meta not JSON', edit('00_meta.json', (t) => t.slice(0, 40)), /00_meta\.json: not valid JSON/],
	['model_kind unknown', edit('00_meta.json', (t) => t.replace('"context2"', '"context9"')), /00_meta\.json:\d+: model_kind "context9" is not one of/],
	['vocab_size disagrees', edit('00_meta.json', (t) => t.replace('"vocab_size": 47', '"vocab_size": 48')), /01_vocabulary\.csv: 47 tokens, but 00_meta\.json says vocab_size 48/],
	['vocabulary header', edit('01_vocabulary.csv', (t) => t.replace('token_id,token,frequency', 'id,token,frequency')), /01_vocabulary\.csv:1: wrong header/],
	['vocabulary ids skip', edit('01_vocabulary.csv', (t) => t.replace('\n3,bird,', '\n4,bird,')), /01_vocabulary\.csv:5: token_id "4" should be 3/],
	['token repeated', edit('01_vocabulary.csv', (t) => t.replace('\n3,bird,', '\n3,barn,')), /01_vocabulary\.csv:5: token "barn" repeats the token of line 4/],
	['weight not a number', edit('02_model_weights.csv', (t) => t.replace(/(\n[^\n]*?),0\.00000000/, '$1,oops')), /02_model_weights\.csv:2: column \S+: "oops" is not a finite number/],
	['weight NaN', edit('02_model_weights.csv', (t) => t.replace(/(\n[^\n]*?),0\.00000000/, '$1,nan')), /02_model_weights\.csv:2: column \S+: "nan" is not a finite number/],
	['row too short', edit('02_model_weights.csv', (t) => t.replace(/,0\.00000000\n/, '\n')), /02_model_weights\.csv:2: 47 fields, expected 48/],
	['rows missing', edit('02_model_weights.csv', (t) => t.split('\n').slice(0, -50).join('\n') + '\n'), /02_model_weights\.csv: 2160 rows, but a 2-token context over 47 tokens needs 2209/],
	['weights header', edit('02_model_weights.csv', (t) => t.replace('input_token,an,at', 'input_token,at,an')), /02_model_weights\.csv:1: wrong header/],
];

describe('infer refuses artifacts that do not load cleanly', () => {
	const makeDir = tempDirs();
	it.each(cases.map(([name], i) => [name, i] as const))('%s', async (_, i) => {
		const [, change, message] = cases[i]!;
		const dir = makeDir();
		cpSync(join(ROOT, 'artifacts'), join(dir, 'artifacts'), {recursive: true});
		change(join(dir, 'artifacts'));
		reseal(join(dir, 'artifacts'));
		const r = await run(['infer', '--artifacts', 'artifacts', '--prompt', 'the owl'], {cwd: dir});
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		const errorLines = r.stderr.trimEnd().split('\n');
		expect(errorLines).toHaveLength(1);
		expect(errorLines[0]).toMatch(message);
	});
});

describe('infer refuses a file the manifest does not list as it is, naming it', () => {
	const makeDir = tempDirs();
	// The edits of a CSV file (the meta file's edits are the next test's).
	const unsealed = cases.filter(([name]) => /^(vocabulary|token|weight|row)/.test(name));
	it.each(unsealed.map(([name], i) => [name, i] as const))('%s', async (_, i) => {
		const [, change] = unsealed[i]!;
		const dir = makeDir();
		cpSync(join(ROOT, 'artifacts'), join(dir, 'artifacts'), {recursive: true});
		change(join(dir, 'artifacts'));
		const r = await run(['infer', '--artifacts', 'artifacts', '--prompt', 'the owl'], {cwd: dir});
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^toy-gpt-tui: artifacts\/0[12]_\S+\.csv: does not belong to this set: .* 00_meta\.json \(run [0-9a-f]{12}\) records .*\n$/);
	});

	it('a meta value edited by hand: the meta file no longer gives its run id', async () => {
		const dir = makeDir();
		cpSync(join(ROOT, 'artifacts'), join(dir, 'artifacts'), {recursive: true});
		edit('00_meta.json', (t) => t.replace('"epochs": 50', '"epochs": 49'))(join(dir, 'artifacts'));
		const r = await run(['infer', '--artifacts', 'artifacts', '--prompt', 'the owl'], {cwd: dir});
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^toy-gpt-tui: artifacts\/00_meta\.json: changed after it was written: its content no longer gives its run id [0-9a-f]{12}, so the set cannot be trusted\n$/);
	});
});
