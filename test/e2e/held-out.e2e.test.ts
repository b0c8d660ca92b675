/**
 * Held-out text in a real terminal (tmux at 80x24): the animals at context 3
 * with the last fifth of the lines held out. The train stage draws both
 * curves and the reference lines, marks where the held-out loss was lowest,
 * and the compare stage says which context size memorises.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, e2eAvailable, folderWithCorpus, Tmux} from './tmux.js';

const cli = CLI;
const available = e2eAvailable();

describe.skipIf(!available)('held-out text in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('shows the training and held-out curves with the reference lines at 80x24, then the compare reading', async () => {
		const cwd = folderWithCorpus('toy-gpt-tui-held-');
		tmux.start(`node ${cli} --context 3 --holdout 0.2 --epochs 50; sleep 60`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('4');
		await tmux.waitFor('[4 Train]');
		for (let i = 0; i < 8; i++) tmux.keys('+');
		await tmux.waitFor('full speed');
		tmux.keys('Space');
		const screen = await tmux.waitFor('lowest held: epoch');
		const rows = screen.split('\n');
		for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
		expect(screen).toContain('── training: average before each step  ══ held-out: after the epoch  ◆ lowest');
		expect(screen).toContain('┄ ln V 3.85 · unigram 3.14 · floor 0.18: best a context-3 table can do (nats)');
		expect(screen).toMatch(/held-out 3\.3588 nats \(perplexity 28\.75\)/);
		expect(screen).toContain('◆ lowest held: epoch 31');
		// Both curves and the three lines are on the chart.
		const chart = rows.filter((row) => /^ +\d+\.\d{3} [┤┼]/.test(row)).join('\n');
		expect(chart).toMatch(/[╔╗╚╝═]/);
		expect(chart).toMatch(/[╭╮╰╯]/);
		expect(chart).toContain(' ln V ');
		expect(chart).toContain(' floor ');
		expect(chart).toContain('◆');
		// The run's held-out log is written with its set.
		const log = readFileSync(join(cwd, 'outputs', 'held_out_log.csv'), 'utf8').trim().split('\n');
		expect(log).toHaveLength(51);
		tmux.keys('6');
		const compare = await tmux.waitFor('bigram generalises best here');
		expect(compare.replace(/\s+/g, ' ')).toContain('Context-3 memorises (context-2 too): training loss 0.55, held-out 3.36 nats, 51% of held-out contexts never seen; the bigram generalises best here');
		tmux.keys('q');
	}, 90_000);
});
