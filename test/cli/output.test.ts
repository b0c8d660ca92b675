/**
 * The headless commands write to file descriptors 1 and 2 directly
 * (source/cli/output.ts): everything arrives, in order, through pipes of
 * any fill; a reader that stops early (`| head`) gets no more, while the
 * command finishes its work quietly with its own status; and a command
 * never makes the stdout and stderr stream objects it does not need.
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

	it('finishes its work when the reader goes away: train | head -3 still writes the artifacts', async () => {
		const cwd = temp({'corpus.txt': readFileSync(ANIMALS)});
		const child = spawn(process.execPath, [CLI, 'train', '--corpus', 'corpus.txt', '--epochs', '3000'], {cwd, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
		child.stdout.destroy();
		const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		expect({code, stderr}).toEqual({code: 0, stderr: ''});
		const log = readFileSync(join(cwd, 'outputs', 'train_log.csv'), 'utf8').trim().split('\n');
		expect(log).toHaveLength(3001);
		expect(readFileSync(join(cwd, 'artifacts', '00_meta.json'), 'utf8')).toContain('"epochs": 3000');
	});

	it('keeps its status when the reader of stderr has gone', async () => {
		const cwd = temp();
		const child = spawn(process.execPath, [CLI, 'train', '--corpus', 'missing.txt'], {cwd, stdio: ['ignore', 'ignore', 'pipe']});
		child.stderr.destroy();
		const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		expect(code).toBe(1);
	});

	it('makes no stream objects for stdout and stderr in train, --version and errors', () => {
		const cwd = temp({'corpus.txt': readFileSync(ANIMALS)});
		// process.stdout and process.stderr on a pipe are net sockets, on a file
		// SyncWriteStreams: those modules load only when one is made. (The
		// stream module itself loads with node:crypto, which hashes the corpus.)
		const preload = join(cwd, 'report.cjs');
		writeFileSync(
			preload,
			"process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + ['net', 'tty', 'internal/fs/sync_write_stream'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m)).join(',') + '\\n'));",
		);
		for (const args of [['train', '--corpus', 'corpus.txt'], ['--version'], ['train', '--corpus', 'missing.txt']]) {
			const result = spawnSync(process.execPath, ['-r', preload, CLI, ...args], {cwd, encoding: 'utf8'});
			expect(result.stderr.split('\n').at(-2), args.join(' ')).toBe('LOADED ');
		}
	});
});
