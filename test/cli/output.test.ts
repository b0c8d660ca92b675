/**
 * The headless commands write to file descriptors 1 and 2 directly
 * (source/cli/output.ts): everything arrives, in order, through pipes of
 * any fill; a reader that stops early (`| head`) ends the command quietly
 * with its status; and a command never makes the stdout and stderr stream
 * objects it does not need.
 */
import {spawn, spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ANIMALS, CLI, tempDirs} from './helpers.js';

const temp = tempDirs();

/** A corpus of 200,000 tokens: tokenize prints about 1.3 MB. */
function bigCorpus(): string {
	const words = Array.from({length: 200_000}, (_, i) => `w${(i * 7919) % 5003}`);
	return temp({'big.txt': words.join(' ') + '\n'});
}

describe('headless output', () => {
	it('writes all of a large output, in order, through a pipe', () => {
		const cwd = bigCorpus();
		const result = spawnSync(process.execPath, [CLI, 'tokenize', '--corpus', 'big.txt'], {cwd, encoding: 'utf8', maxBuffer: 1 << 26});
		expect(result.status).toBe(0);
		const tokens = result.stdout.split('\n');
		expect(tokens).toHaveLength(200_001);
		expect(tokens[0]).toBe('w0');
		expect(tokens[199_999]).toBe(`w${(199_999 * 7919) % 5003}`);
	});

	it('stops quietly, status 0, when the reader goes away (| head)', async () => {
		const cwd = bigCorpus();
		const child = spawn(process.execPath, [CLI, 'tokenize', '--corpus', 'big.txt'], {cwd, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		// Read the first chunk, then close the pipe, as head does.
		await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
		child.stdout.destroy();
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
		expect({code, signal, stderr}).toEqual({code: 0, signal: null, stderr: ''});
	});

	it('makes no stream objects for stdout and stderr in train, --version and errors', () => {
		const cwd = temp({'corpus.txt': readFileSync(ANIMALS)});
		// net and the stream modules load only when process.stdout or process.stderr is made.
		const preload = join(cwd, 'report.cjs');
		writeFileSync(
			preload,
			"process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + ['net', 'stream', 'internal/fs/sync_write_stream'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m)).join(',') + '\\n'));",
		);
		for (const args of [['train', '--corpus', 'corpus.txt'], ['--version'], ['train', '--corpus', 'missing.txt']]) {
			const result = spawnSync(process.execPath, ['-r', preload, CLI, ...args], {cwd, encoding: 'utf8'});
			expect(result.stderr.split('\n').at(-2), args.join(' ')).toBe('LOADED ');
		}
	});
});
