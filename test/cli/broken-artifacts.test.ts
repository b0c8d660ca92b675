/**
 * infer on artifacts that do not load cleanly: exit 1, one line naming the
 * file and line, and not a single probability on stdout.
 */
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {ROOT, run, tempDirs} from './helpers.js';

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
		const r = await run(['infer', '--artifacts', 'artifacts', '--prompt', 'the owl'], {cwd: dir});
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		const errorLines = r.stderr.trimEnd().split('\n');
		expect(errorLines).toHaveLength(1);
		expect(errorLines[0]).toMatch(message);
	});
});
