/**
 * The launcher (dist/cli.cjs) runs the command line from V8's code cache
 * that the build made, and without one, or with one V8 rejects, runs it all
 * the same: same output, same files.
 */
import {spawnSync} from 'node:child_process';
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ANIMALS, ROOT, tempDirs, TRAIN_FILES} from './helpers.js';

const temp = tempDirs();

/** Run `node <dist>/cli.cjs ...args` in `cwd` with the cache reported on stderr. */
function launch(dist: string, args: string[], cwd: string) {
	const env: NodeJS.ProcessEnv = {...process.env, TOY_GPT_TUI_CODE_CACHE: 'report', CI: 'true'};
	const result = spawnSync(process.execPath, [join(dist, 'cli.cjs'), ...args], {cwd, env, encoding: 'utf8'});
	const [report, ...rest] = result.stderr.split('\n');
	return {status: result.status, report, stdout: result.stdout, stderr: rest.join('\n')};
}

/** A copy of dist/ whose code cache `change` may replace or remove. */
function distCopy(change: (cacheFile: string) => void, bundle = 'main.cjs'): string {
	const dist = join(temp(), 'dist');
	cpSync(join(ROOT, 'dist'), dist, {recursive: true});
	change(join(dist, `${bundle}.cache`));
	return dist;
}

/** train's output without its timing ("trained in 0.012 s"). */
const untimed = (stdout: string) => stdout.replace(/trained in [\d.]+ s/, 'trained in T s');

describe('the launcher', () => {
	it('runs the command line from the code cache the build made', () => {
		const cwd = temp({'corpus.txt': readFileSync(ANIMALS)});
		const run = launch(join(ROOT, 'dist'), ['--version'], cwd);
		expect(run).toEqual({status: 0, report: 'code cache of main.cjs: used', stdout: '0.1.0\n', stderr: ''});
		expect(launch(join(ROOT, 'dist'), ['train', '--corpus', 'corpus.txt'], cwd).report).toBe('code cache of main.cjs: used');
	});

	it.each([
		['rejected', (file: string) => writeFileSync(file, Buffer.alloc(4096, 7))],
		['absent', (file: string) => rmSync(file)],
	])('trains the same, byte for byte, when the cache is %s', (report, change) => {
		const dist = distCopy(change);
		const withCache = temp({'corpus.txt': readFileSync(ANIMALS)});
		const without = temp({'corpus.txt': readFileSync(ANIMALS)});
		const a = launch(join(ROOT, 'dist'), ['train', '--corpus', 'corpus.txt', '--epochs', '7'], withCache);
		const b = launch(dist, ['train', '--corpus', 'corpus.txt', '--epochs', '7'], without);
		expect(b.report).toBe(`code cache of main.cjs: ${report}`);
		expect([b.status, untimed(b.stdout), b.stderr]).toEqual([0, untimed(a.stdout), '']);
		expect(a.stdout).toContain('epoch 7/7');
		for (const file of TRAIN_FILES) {
			expect(readFileSync(join(without, file)).equals(readFileSync(join(withCache, file))), file).toBe(true);
		}
	});

	it('reports errors from the bundled command line with their status', () => {
		const cwd = temp();
		const run = launch(join(ROOT, 'dist'), ['train', '--corpus', 'missing.txt'], cwd);
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/^toy-gpt-tui: .*missing\.txt/);
		expect(launch(join(ROOT, 'dist'), ['train', '--context', '9'], cwd).status).toBe(2);
	});
});
