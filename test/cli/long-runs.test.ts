/**
 * Headless `train` says up front, on stderr, how long an epoch will take when
 * it is more than a minute: measured on the first seconds of epoch 1.
 */
import {spawn} from 'node:child_process';
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {longEpochNote, roughDuration} from '../../source/cli/format.js';
import {CLI, tempDirs} from './helpers.js';

const makeDir = tempDirs();

describe('roughDuration', () => {
	it('says a time as a person would', () => {
		expect(roughDuration(45_000)).toBe('45 s');
		expect(roughDuration(89_000)).toBe('89 s');
		expect(roughDuration(100_000)).toBe('1.7 min');
		expect(roughDuration(37 * 60_000)).toBe('37 min');
		expect(roughDuration(2.5 * 3_600_000)).toBe('2.5 h');
		expect(roughDuration(3 * 3_600_000)).toBe('3 h');
		expect(roughDuration(31 * 3_600_000)).toBe('31 h');
		expect(roughDuration(77 * 3_600_000)).toBe('3.2 days');
	});
});

describe('longEpochNote', () => {
	it('says nothing of an epoch of a minute or less, nor before two seconds have run', () => {
		expect(longEpochNote(3000, 0.05, 50)).toBe(undefined); // 60 s an epoch
		expect(longEpochNote(1999, 0.0001, 50)).toBe(undefined); // too early to tell
		expect(longEpochNote(5000, 0, 50)).toBe(undefined);
	});

	it('gives the epoch, the whole run, and what Ctrl+C does', () => {
		// The case of a 64 MiB corpus at context 0: 37 minutes an epoch, 50 epochs.
		const done = 2000 / (37 * 60_000);
		expect(longEpochNote(2000, done, 50)).toBe(
			'an epoch will take about 37 min (measured on less than the first 0.1% of epoch 1), 50 epochs about 31 h; Ctrl+C stops and keeps the previous artifacts',
		);
		expect(longEpochNote(4000, 0.04, 1)).toBe(
			'an epoch will take about 1.7 min (measured on the first 4.0% of epoch 1); Ctrl+C stops and keeps the previous artifacts',
		);
	});
});

describe('train on a corpus whose epoch takes hours', () => {
	it('says so on stderr within seconds, then Ctrl+C ends it by the signal, leaving no file behind', async () => {
		// 400,000 distinct tokens at context 0: one row with 400,000 weights of
		// its own, so every pair costs a softmax over all of them.
		const dir = makeDir();
		writeFileSync(join(dir, 'c.txt'), Array.from({length: 400_000}, (_, k) => k.toString(36)).join(' ') + '\n');
		const child = spawn(process.execPath, [CLI, 'train', '--corpus', 'c.txt', '--context', '0', '--epochs', '3', '--threads', '1'], {
			cwd: dir,
			env: {...process.env, CI: 'true', NO_COLOR: '1'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
		const until = Date.now() + 60_000;
		while (!stderr.includes('\n') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
		child.kill('SIGINT');
		const [code, signal] = await exited;
		expect(stderr).toMatch(
			/^toy-gpt-tui: an epoch will take about [\d.]+ (min|h|days) \(measured on (less than the first 0\.1%|the first [\d.]+%) of epoch 1\), 3 epochs about [\d.]+ (min|h|days); Ctrl\+C stops and keeps the previous artifacts\n$/,
		);
		expect(signal ?? code).toBe('SIGINT');
		expect(readdirSync(join(dir, 'artifacts'))).toEqual([]);
		expect(readdirSync(join(dir, 'outputs'))).toEqual([]);
	}, 90_000);
});
