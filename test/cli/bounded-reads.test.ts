/**
 * Files that are not regular files, or larger than toy-gpt-tui reads: each
 * refused at once in one stderr line, exit 1, nothing on disk changed.
 */
import {cpSync, existsSync, rmSync, symlinkSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {ANIMALS, lines, ROOT, run, snapshotTree, tempDirs, type RunResult} from './helpers.js';

// Spawning is slow on a loaded machine: allow for it.
vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000});

const makeDir = tempDirs();

/** The one stderr line of a failed run: exit 1, no stdout, no stack trace. */
function refusal(r: RunResult): string {
	expect(r.signal, `${r.args.join(' ')} was killed`).toBe(null);
	expect(r.stdout).toBe('');
	const err = lines(r.stderr);
	expect(err, r.stderr).toHaveLength(1);
	expect(r.code, r.stderr).toBe(1);
	return err[0]!;
}

describe('a corpus that is not a regular file', () => {
	const hasZero = existsSync('/dev/zero');

	it.skipIf(!hasZero)('tokenize --corpus /dev/zero is refused in one line', async () => {
		const cwd = makeDir();
		const r = await run(['tokenize', '--corpus', '/dev/zero'], {cwd, timeoutMs: 20_000});
		expect(refusal(r)).toBe('toy-gpt-tui: corpus /dev/zero is a character device, not a text file');
	});

	it.skipIf(!hasZero)('train on a corpus symlinked to /dev/zero leaves the artifacts as they were', async () => {
		const cwd = makeDir();
		cpSync(join(ROOT, 'artifacts'), join(cwd, 'artifacts'), {recursive: true});
		symlinkSync('/dev/zero', join(cwd, 'zero.txt'));
		const before = snapshotTree(cwd);
		const r = await run(['train', '--corpus', 'zero.txt'], {cwd, timeoutMs: 20_000});
		expect(refusal(r)).toBe('toy-gpt-tui: corpus zero.txt is a character device, not a text file');
		expect(snapshotTree(cwd)).toEqual(before);
	});

	it('vocab on a named pipe with no writer is refused, not left waiting', async () => {
		const cwd = makeDir();
		try {
			execFileSync('mkfifo', [join(cwd, 'pipe.txt')]);
		} catch {
			return; // no mkfifo here
		}
		const r = await run(['vocab', '--corpus', 'pipe.txt'], {cwd, timeoutMs: 20_000});
		expect(refusal(r)).toBe('toy-gpt-tui: corpus pipe.txt is a named pipe, not a text file');
	});
});

describe('an artifact that is not a regular file', () => {
	it.skipIf(!existsSync('/dev/zero'))('infer with the weights symlinked to /dev/zero is refused in one line', async () => {
		const cwd = makeDir();
		cpSync(join(ROOT, 'artifacts'), join(cwd, 'artifacts'), {recursive: true});
		rmSync(join(cwd, 'artifacts', '02_model_weights.csv'));
		symlinkSync('/dev/zero', join(cwd, 'artifacts', '02_model_weights.csv'));
		const r = await run(['infer', '--corpus', ANIMALS, '--prompt', 'the cat'], {cwd, timeoutMs: 20_000});
		expect(refusal(r)).toBe('toy-gpt-tui: the weights artifacts/02_model_weights.csv is a character device, not a text file');
	});
});
