/**
 * The explorer on another corpus than the artifacts folder's model, in a
 * real terminal (tmux at 80x24): the prompt stage does not answer with the
 * animals model, a run writes beside artifacts/ (whose bytes stay as they
 * were), and opened again on the animals corpus the explorer still answers
 * with the animals model.
 */
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {hasTmux, Tmux} from './tmux.js';

const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;
const available = hasTmux() && existsSync(cli);
if (!available && process.env['CI']) throw new Error('the end-to-end tests need tmux and a built dist/cli.cjs');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function bytesOf(dir: string): Record<string, string> {
	return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'latin1')]));
}

describe.skipIf(!available)('the explorer on another corpus than its artifacts folder', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	it('never uses nor overwrites the animals model, and the animals corpus still gets it', {timeout: 60_000}, async () => {
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-e2e-'));
		cpSync(join(root, 'corpus'), join(cwd, 'corpus'), {recursive: true});
		cpSync(join(root, 'artifacts'), join(cwd, 'artifacts'), {recursive: true});
		writeFileSync(join(cwd, 'dragons.txt'), 'the dragon sleeps in the cave\nthe knight rides to the cave\nthe dragon wakes\n');
		const before = bytesOf(join(cwd, 'artifacts'));

		tmux = new Tmux();
		tmux.start(`node ${cli} --corpus dragons.txt --epochs 5`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('5');
		let screen = await tmux.waitFor('no model of dragons.txt yet');
		expect(screen).not.toContain('hunts');

		// Train in stage 4 at full speed; the run goes to artifacts-dragons/.
		tmux.keys('4');
		await tmux.waitFor('[4 Train]');
		tmux.keys('+', '+', '+', '+', '+', 'Space');
		screen = await tmux.waitFor(/wrote to/, 15_000);
		expect(screen.replace(/\s+/g, ' ')).toContain(
			'wrote to artifacts-dragons/: 01_vocabulary.csv, 02_model_weights.csv, 03_token_embeddings.csv, 00_meta.json; to outputs-dragons/: train_log.csv (artifacts/ holds the model of 001_animals.txt, kept as it is)',
		);
		expect(bytesOf(join(cwd, 'artifacts'))).toEqual(before);
		expect(readFileSync(join(cwd, 'artifacts-dragons', '00_meta.json'), 'utf8')).toContain('"filename": "dragons.txt"');

		// The prompt stage now uses that model, and names it.
		tmux.keys('5');
		screen = await tmux.waitFor('context-2 of dragons.txt · 5 epochs · lr 0.1');
		expect(screen).not.toContain('ANOTHER');
		tmux.keys('q');
		tmux.kill();

		// Opened again on the animals corpus: the animals model answers.
		tmux = new Tmux();
		tmux.start(`node ${cli}`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('5');
		await tmux.waitFor('context-2 of 001_animals.txt · 50 epochs · lr 0.1');
		tmux.keys('i');
		await tmux.waitFor('typing — Esc to stop');
		tmux.type('the owl');
		screen = await tmux.waitFor('hunts');
		expect(screen).toMatch(/hunts\s+43\.4%/);
	});
});
