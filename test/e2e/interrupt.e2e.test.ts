/**
 * Interrupting training, headless and in the explorer: it stops within a
 * second, exits 130 (Ctrl+C) or 143 (SIGTERM), restores the terminal and
 * leaves the artifacts already on disk byte for byte as they were.
 */
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {hasTmux, Tmux} from './tmux.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli.cjs');

function snapshot(dir: string): Record<string, string> {
	const files: Record<string, string> = {};
	for (const sub of ['artifacts', 'outputs']) {
		for (const name of readdirSync(join(dir, sub))) files[`${sub}/${name}`] = readFileSync(join(dir, sub, name), 'base64');
	}
	return files;
}

/** A folder with the committed artifacts and a corpus big enough to train for seconds. */
function workspace(): string {
	const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-interrupt-'));
	cpSync(join(root, 'artifacts'), join(dir, 'artifacts'), {recursive: true});
	cpSync(join(root, 'outputs'), join(dir, 'outputs'), {recursive: true});
	cpSync(join(root, 'corpus'), join(dir, 'corpus'), {recursive: true});
	const words: string[] = [];
	let x = 7;
	for (let i = 0; i < 150_000; i++) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		words.push(`w${Math.floor((x / 2 ** 32) ** 2 * 3000)}`);
	}
	writeFileSync(join(dir, 'big.txt'), words.join(' ') + '\n');
	return dir;
}

describe('interrupting headless training', () => {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		it(`${signal} stops train within a second and leaves the artifacts untouched`, async () => {
			const dir = workspace();
			const before = snapshot(dir);
			const child = spawn(process.execPath, [cli, 'train', '--corpus', 'big.txt', '--epochs', '500', '--threads', '1'], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']});
			let stdout = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			// Wait until training is under way.
			while (!/epoch +2\//.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 20));
			const sent = Date.now();
			child.kill(signal);
			const [code, got] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
			expect(Date.now() - sent).toBeLessThan(1000);
			// Ended by the signal itself (a shell shows 130 or 143).
			expect(got ?? code).toBe(signal);
			expect(snapshot(dir)).toEqual(before);
			expect(readdirSync(join(dir, 'artifacts')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
		}, 30_000);
	}
});

const available = hasTmux() && existsSync(cli);
describe.skipIf(!available)('interrupting the explorer in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('Ctrl+C while training: exit 130, terminal restored, artifacts untouched', async () => {
		const dir = workspace();
		const before = snapshot(dir);
		tmux.start(`node ${cli} --corpus big.txt --epochs 500; echo "EXIT:$?"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; echo; sleep 30`, dir);
		await tmux.waitFor('[1 Corpus]', 15000);
		tmux.keys('4');
		await tmux.waitFor('[4 Train]');
		tmux.keys('Space');
		await tmux.waitFor(/pair [\d,]+\/[\d,]+/);
		const sent = Date.now();
		tmux.keys('C-c');
		await tmux.waitFor(/EXIT:\d+/);
		expect(Date.now() - sent).toBeLessThan(1500);
		// The shell prints the terminal mode on the next line, a moment later.
		const screen = await tmux.waitFor(/^-?icanon\s*$/m);
		expect(screen).toMatch(/^EXIT:130$/m);
		expect(screen).toMatch(/^icanon\s*$/m);
		expect(tmux.format('#{alternate_on}')).toBe('0');
		expect(tmux.format('#{cursor_flag}')).toBe('1');
		expect(snapshot(dir)).toEqual(before);
	}, 60_000);
});
