/**
 * The attention model in a real terminal (tmux at 80x24): trained live on
 * corpus/002_two_back.txt at init 0.3 and lr 0.003, the attention matrix of
 * "cows often" looking two back at the animal, the prompt stage's attention
 * line, and its set written in the series' 600 format with
 * exact_parameters.json; then at 60x16 the views still fit.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, e2eAvailable, folderWithCorpus, Tmux} from './tmux.js';
import {tokenize} from '../../source/text/tokenize.js';
import {vocabularyFromTokens} from '../../source/text/vocabulary.js';
import {distinctContexts} from '../../source/models/pair-run.js';

const cli = CLI;
const available = e2eAvailable();

describe.skipIf(!available)('the attention model in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('trains, shows where "cows often" looks (at cows), answers moo, and writes the 600 files', async () => {
		const cwd = folderWithCorpus('toy-gpt-tui-attention-');
		tmux.start(`node ${cli} --corpus corpus/002_two_back.txt --model attention --init-scale 0.3 --lr 0.003 --epochs 40; sleep 60`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('4');
		await tmux.waitFor('[4 Train]');
		for (let i = 0; i < 8; i++) tmux.keys('+');
		await tmux.waitFor('full speed');
		tmux.keys('Space');
		const trained = await tmux.waitFor('wrote to artifacts/', 60_000);
		expect(trained).toContain('attention (context 2, d 16, h 16)');
		for (const row of trained.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
		const meta = JSON.parse(readFileSync(join(cwd, 'artifacts', '00_meta.json'), 'utf8'));
		expect(meta.model_kind).toBe('attention');
		for (const file of ['04_positional_embeddings.csv', '05_W_Q.csv', '06_W_K.csv', '07_W_V.csv', 'exact_parameters.json']) expect(existsSync(join(cwd, 'artifacts', file)), file).toBe(true);
		tmux.keys('3');
		await tmux.waitFor('contexts (');
		tmux.keys('m');
		// The contexts are listed in token-id order: "cows|often" is this far down.
		await tmux.waitFor('attention weights of');
		const tokens = tokenize(readFileSync(join(cwd, 'corpus', '002_two_back.txt'), 'utf8'));
		const vocabulary = vocabularyFromTokens(tokens);
		const contexts = distinctContexts(Int32Array.from(tokens, (t) => vocabulary.ids.get(t)!), 2, Infinity);
		const cows = vocabulary.ids.get('cows')!;
		const often = vocabulary.ids.get('often')!;
		const index = Array.from({length: contexts.length / 2}, (_, i) => i).find((i) => contexts[2 * i] === cows && contexts[2 * i + 1] === often)!;
		for (let i = 0; i < index; i++) tmux.keys('Down');
		const screen = await tmux.waitFor('attention weights of "cows often"');
		const row = /^1 often +[ ░▒▓█]+ (\d\.\d\d) +[ ░▒▓█]+ (\d\.\d\d)/m.exec(screen);
		expect(row, screen).not.toBeNull();
		expect(Number(row![1])).toBeGreaterThan(0.9);
		expect(screen).toContain('while training: epochs 0 to 40');
		tmux.keys('5', 'i');
		tmux.type('cows often');
		const prompt = await tmux.waitFor('Attention cows');
		expect(prompt).toMatch(/Attention cows [█▓]\d\.\d\d +often/);
		expect(prompt).toMatch(/^ +moo +\d+\.\d%/m);
		tmux.keys('Escape');
		tmux.resize(60, 16);
		tmux.keys('3');
		const small = await tmux.waitFor('attention weights of');
		for (const line of small.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
	}, 120_000);
});
