/**
 * The embeddings model in a real terminal (tmux at 80x24): trained live on
 * the animals corpus, its token map drawn from its own vectors with "dog"
 * nearest "cat", a context never seen answered from the vectors, and its set
 * written in the series' 500 format with exact_parameters.json.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, e2eAvailable, folderWithCorpus, Tmux} from './tmux.js';

const cli = CLI;
const available = e2eAvailable();

describe.skipIf(!available)('the embeddings model in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('trains, draws the token map with dog nearest cat, and answers a context never seen', async () => {
		const cwd = folderWithCorpus('toy-gpt-tui-embeddings-');
		tmux.start(`node ${cli} --model embeddings --lr 0.05 --exact-gradient --epochs 30; sleep 60`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('4');
		await tmux.waitFor('[4 Train]');
		for (let i = 0; i < 8; i++) tmux.keys('+');
		await tmux.waitFor('full speed');
		tmux.keys('Space');
		const trained = await tmux.waitFor('wrote to artifacts/');
		expect(trained).toContain('embeddings (context 2, d 16)');
		for (const row of trained.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
		const meta = JSON.parse(readFileSync(join(cwd, 'artifacts', '00_meta.json'), 'utf8'));
		expect(meta.model_kind).toBe('embeddings');
		expect(existsSync(join(cwd, 'artifacts', 'exact_parameters.json'))).toBe(true);
		tmux.keys('3');
		await tmux.waitFor('contexts (108)');
		tmux.keys('m');
		// "cat" is token 5: down five times from "an".
		for (let i = 0; i < 5; i++) tmux.keys('Down');
		const map = await tmux.waitFor('nearest to "cat"');
		expect(map).toMatch(/\(cosine similarity\) *\n.*dog 0\.9\d/);
		expect(map).toContain('●');
		expect(map).toMatch(/[\u2801-\u28ff]/);
		tmux.keys('5', 'i');
		tmux.type('the mouse cat');
		const prompt = await tmux.waitFor('never seen in training');
		expect(prompt).toContain("Context \"mouse cat\" never seen in training: predicted from the tokens' vectors");
	});
});
