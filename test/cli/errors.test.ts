/**
 * Errors: a usage error exits 2, any other error 1, each with one stderr line
 * "toy-gpt-tui: ..." that names the flag and value or the path, never a stack
 * trace; nothing is written and existing artifacts are left as they were.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {lines, reEscape, run, snapshotTree, tempDirs, TRAIN_FILES, type RunResult} from './helpers.js';

// Spawning is slow on a loaded machine: allow for it.
vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000});

const makeDir = tempDirs();

/** The one stderr line of a failed run, checked for shape: no stdout, no stack trace. */
function oneLineError(r: RunResult, code: number): string {
	expect(r.stdout, `stdout of ${r.args.join(' ')}`).toBe('');
	expect(r.stderr, `stderr of ${r.args.join(' ')}`).not.toContain('    at ');
	const err = lines(r.stderr);
	expect(err, `stderr of ${r.args.join(' ')}`).toHaveLength(1);
	expect(err[0]).toMatch(/^toy-gpt-tui: \S/);
	expect(r.code, `exit status of ${r.args.join(' ')}: ${r.stderr}`).toBe(code);
	return err[0]!;
}

/** `value` appears as a word of the message (bare or in quotes). */
function mentions(message: string, value: string): boolean {
	return new RegExp(`(^|[\\s"])${reEscape(value)}($|[\\s";:,])`).test(message);
}

describe('usage errors exit 2', () => {
	const cases: Array<[string[], string, string]> = [
		// [arguments, what the message must name, the value it must name]
		[['bogus'], 'unknown command', 'bogus'],
		[['train', '--bogus'], '--bogus', 'train'],
		[['infer', '--bogus', 'x'], '--bogus', 'infer'],
		[['train', '--corpus', 'tiny.txt', '--epochs', '0'], '--epochs', '0'],
		[['train', '--corpus', 'tiny.txt', '--epochs', '-1'], '--epochs', '-1'],
		[['train', '--corpus', 'tiny.txt', '--epochs', '1.5'], '--epochs', '1.5'],
		[['train', '--corpus', 'tiny.txt', '--epochs', 'abc'], '--epochs', 'abc'],
		[['train', '--corpus', 'tiny.txt', '--epochs', '1000000'], '--epochs', '1000000'],
		[['train', '--corpus', 'tiny.txt', '--lr', '0'], '--lr', '0'],
		[['train', '--corpus', 'tiny.txt', '--lr', '-1'], '--lr', '-1'],
		[['train', '--corpus', 'tiny.txt', '--lr', 'NaN'], '--lr', 'NaN'],
		[['train', '--corpus', 'tiny.txt', '--lr', 'Infinity'], '--lr', 'Infinity'],
		[['train', '--corpus', 'tiny.txt', '--lr', '1e400'], '--lr', '1e400'],
		[['train', '--corpus', 'tiny.txt', '--lr', '1001'], '--lr', '1001'],
		[['train', '--corpus', 'tiny.txt', '--context', '4'], '--context', '4'],
		[['train', '--corpus', 'tiny.txt', '--context', '-1'], '--context', '-1'],
		[['infer', '--topk', '0'], '--topk', '0'],
		[['infer', '--temperature', '-1'], '--temperature', '-1'],
		[['infer', '--top-p', '0'], '--top-p', '0'],
		[['infer', '--top-p', '1.5'], '--top-p', '1.5'],
		[['infer', '--seed', '1.5'], '--seed', '1.5'],
		[['infer', '--seed', '-1'], '--seed', '-1'],
		[['infer', '--num', '-1'], '--num', '-1'],
		[['infer', '--num', '10001'], '--num', '10001'],
		[['tokenize', 'extra'], 'unexpected argument', 'extra'],
		[['tokenize', '--epochs', '3'], '--epochs', 'tokenize'],
		[['vocab', '--prompt', 'x'], '--prompt', 'vocab'],
	];
	let dir: string;
	let results: RunResult[];

	beforeAll(async () => {
		dir = makeDir({'tiny.txt': 'a b a c a b\n'});
		results = await Promise.all(cases.map(([args]) => run(args, {cwd: dir})));
	});

	it.each(cases.map((c, i) => [c[0].join(' '), i] as const))('%s', (_, i) => {
		const [, name, value] = cases[i]!;
		const message = oneLineError(results[i]!, 2);
		expect(message).toContain(name);
		expect(mentions(message, value), message).toBe(true);
	});

	it('writes nothing (no artifacts/ or outputs/ folder appears)', () => {
		expect(Object.keys(snapshotTree(dir))).toEqual(['tiny.txt']);
	});

	it('messages say what would be valid', () => {
		const byArgs = new Map(results.map((r) => [r.args.join(' '), lines(r.stderr)[0]]));
		expect(byArgs.get('bogus')).toBe('toy-gpt-tui: unknown command "bogus"; the commands are tokenize, vocab, train, infer, eval, compare (see toy-gpt-tui --help)');
		expect(byArgs.get('train --bogus')).toBe('toy-gpt-tui: unknown flag --bogus for train; see toy-gpt-tui train --help');
		expect(byArgs.get('train --corpus tiny.txt --epochs 0')).toBe(
			'toy-gpt-tui: --epochs 0 is out of range; expected a whole number from 1 to 100000',
		);
		expect(byArgs.get('train --corpus tiny.txt --epochs abc')).toBe(
			'toy-gpt-tui: --epochs "abc" is not a whole number; expected a whole number from 1 to 100000',
		);
		expect(byArgs.get('train --corpus tiny.txt --lr NaN')).toBe(
			'toy-gpt-tui: --lr "NaN" is not valid; expected a number above 0 and at most 1000',
		);
		expect(byArgs.get('train --corpus tiny.txt --context 4')).toBe('toy-gpt-tui: --context 4 is out of range; expected 0, 1, 2 or 3');
		expect(byArgs.get('infer --top-p 1.5')).toBe('toy-gpt-tui: --top-p "1.5" is not valid; expected a number above 0 and at most 1');
	});

	it('a flag without its value is a usage error', async () => {
		const r = await run(['train', '--corpus', 'tiny.txt', '--epochs'], {cwd: dir});
		expect(oneLineError(r, 2)).toBe('toy-gpt-tui: --epochs needs a value');
	});

	it('a flag given twice is a one-line usage error (exit 2)', async () => {
		const r = await run(['train', '--corpus', 'tiny.txt', '--epochs', '2', '--epochs', '3'], {cwd: dir});
		const message = oneLineError(r, 2);
		expect(message).toContain('--epochs');
	});

	it('an unknown flag is named as typed', async () => {
		const r = await run(['tokenize', '--foo-bar'], {cwd: dir});
		expect(oneLineError(r, 2)).toBe('toy-gpt-tui: unknown flag --foo-bar for tokenize; see toy-gpt-tui tokenize --help');
	});
});

describe('other errors exit 1 and name the path', () => {
	const files: Record<string, string | Uint8Array> = {
		'empty.txt': '',
		'blank.txt': '  \n\t\n',
		'two.txt': 'a b\n',
		'three.txt': 'a b c\n',
		'bad.txt': Uint8Array.from([0x61, 0x62, 0x20, 0x63, 0xff, 0x64, 0x0a]),
		'sub/keep.txt': 'x',
	};
	const cases: Array<[string[], string]> = [
		// [arguments, the exact message]
		[['train', '--corpus', 'missing.txt'], 'toy-gpt-tui: cannot read corpus missing.txt: no such file'],
		[['tokenize', '--corpus', 'missing.txt'], 'toy-gpt-tui: cannot read corpus missing.txt: no such file'],
		[['vocab', '--corpus', 'nope/missing.txt'], 'toy-gpt-tui: cannot read corpus nope/missing.txt: no such file'],
		[['train', '--corpus', 'sub'], 'toy-gpt-tui: corpus sub is a directory, not a text file'],
		[['tokenize', '--corpus', 'sub'], 'toy-gpt-tui: corpus sub is a directory, not a text file'],
		[
			['train', '--corpus', 'empty.txt'],
			'toy-gpt-tui: corpus empty.txt has no tokens (it is empty or only whitespace); a context of 2 needs at least 3 tokens for one training pair',
		],
		[
			['train', '--corpus', 'blank.txt', '--context', '0'],
			'toy-gpt-tui: corpus blank.txt has no tokens (it is empty or only whitespace); a context of 0 needs at least 1 token for one training pair',
		],
		[
			['train', '--corpus', 'two.txt'],
			'toy-gpt-tui: corpus two.txt has 2 tokens; a context of 2 needs at least 3 tokens for one training pair',
		],
		[
			['train', '--corpus', 'three.txt', '--context', '3'],
			'toy-gpt-tui: corpus three.txt has 3 tokens; a context of 3 needs at least 4 tokens for one training pair',
		],
		[
			['train', '--corpus', 'bad.txt'],
			'toy-gpt-tui: corpus bad.txt is not valid UTF-8: a bad byte sequence at byte offset 4 (0xff)',
		],
		[
			['tokenize', '--corpus', 'bad.txt'],
			'toy-gpt-tui: corpus bad.txt is not valid UTF-8: a bad byte sequence at byte offset 4 (0xff)',
		],
		[['infer', '--artifacts', 'no-model'], 'toy-gpt-tui: cannot read the meta file no-model/00_meta.json: no such file'],
	];
	let dir: string;
	let results: RunResult[];

	beforeAll(async () => {
		dir = makeDir(files);
		results = await Promise.all(cases.map(([args]) => run(args, {cwd: dir})));
	});

	it.each(cases.map((c, i) => [c[0].join(' '), i] as const))('%s', (_, i) => {
		expect(oneLineError(results[i]!, 1)).toBe(cases[i]![1]);
	});

	it('writes nothing', () => {
		expect(Object.keys(snapshotTree(dir)).sort()).toEqual([...Object.keys(files), 'sub/'].sort());
	});

	it('an outputs folder that is a file is refused before training, no file written', async () => {
		const here = makeDir({'two.txt': 'a b\n'});
		const r = await run(['train', '--corpus', 'two.txt', '--context', '1', '--outputs', 'two.txt'], {cwd: here});
		expect(oneLineError(r, 1)).toBe('toy-gpt-tui: outputs folder two.txt is a file, not a folder');
		// The artifacts folder, checked first, may have been created, but it stays empty.
		expect(Object.keys(snapshotTree(here)).filter((path) => path !== 'artifacts/')).toEqual(['two.txt']);
	});

	it('a corpus one token longer than the context trains', async () => {
		const here = makeDir({'two.txt': 'a b\n'});
		const r = await run(['train', '--corpus', 'two.txt', '--context', '1', '--epochs', '1', '--json'], {cwd: here});
		expect(r.code).toBe(0);
		expect(JSON.parse(lines(r.stdout).at(-1)!).num_training_pairs).toBe(1);
	});
});

describe.concurrent('a failing train leaves existing artifacts as they were', () => {
	it('after usage errors, unreadable, short and invalid corpora and unwritable outputs', async () => {
		const dir = makeDir({'good.txt': 'a b a c a b\n', 'short.txt': 'a b\n', 'bad.txt': Uint8Array.from([0x61, 0x20, 0xc3, 0x28]), 'outputs-file': 'x'});
		const first = await run(['train', '--corpus', 'good.txt', '--epochs', '5'], {cwd: dir});
		expect(first.code).toBe(0);
		const before = TRAIN_FILES.map((file) => readFileSync(join(dir, file)));
		const tree = snapshotTree(dir);
		const failures = await Promise.all([
			run(['train', '--corpus', 'good.txt', '--epochs', '0'], {cwd: dir}),
			run(['train', '--corpus', 'good.txt', '--lr', 'abc'], {cwd: dir}),
			run(['train', '--corpus', 'missing.txt'], {cwd: dir}),
			run(['train', '--corpus', 'short.txt'], {cwd: dir}),
			run(['train', '--corpus', 'bad.txt'], {cwd: dir}),
			run(['train', '--corpus', 'good.txt', '--outputs', 'outputs-file'], {cwd: dir}),
		]);
		expect(failures.map((r) => r.code)).toEqual([2, 2, 1, 1, 1, 1]);
		for (const r of failures) expect(r.stderr).not.toContain('    at ');
		TRAIN_FILES.forEach((file, i) => expect(readFileSync(join(dir, file)).equals(before[i]!), file).toBe(true));
		// Not even a temporary file is left behind.
		expect(snapshotTree(dir)).toEqual(tree);
	});
});
