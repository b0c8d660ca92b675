/**
 * The explorer in a real terminal (tmux at 80x24), driven as a person would:
 * every stage by Tab and by digit, a whole training run with its chart, a
 * prompt with live probabilities and a continuation, the help, and quitting
 * with the terminal restored.
 */
import {cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {hasTmux, Tmux} from './tmux.js';

const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const available = hasTmux() && existsSync(cli);
if (!available && process.env['CI']) throw new Error('the end-to-end tests need tmux and a built dist/cli.cjs');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('explorer in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('visits every stage, trains, prompts, shows help and quits cleanly', async () => {
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-e2e-'));
		tmux.start(`node ${cli} --epochs 12; echo "EXIT:$?"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' '; echo; sleep 60`, cwd);

		let screen = await tmux.waitFor('[1 Corpus]');
		const rows = screen.split('\n');
		expect(rows.length).toBeGreaterThanOrEqual(24);
		// The frame leaves the last row free (a frame as tall as the terminal makes Ink flicker).
		expect(rows[23]!.trim()).toBe('');
		expect(tmux.format('#{alternate_on}')).toBe('1');

		// Every stage with Tab, and back round to the first.
		for (const title of ['[2 Vocabulary]', '[3 Model]', '[4 Train]', '[5 Prompt]', '[6 Compare]', '[1 Corpus]']) {
			tmux.keys('Tab');
			await tmux.waitFor(title);
		}
		// Every stage with its digit.
		for (const [digit, title] of [['2', '[2 Vocabulary]'], ['3', '[3 Model]'], ['5', '[5 Prompt]']] as const) {
			tmux.keys(digit);
			await tmux.waitFor(title);
		}
		// Shift+Tab from the prompt (in text entry) goes back to Train.
		tmux.keys('i');
		await tmux.waitFor('typing — Esc to stop');
		tmux.keys('BTab');
		await tmux.waitFor('[4 Train]');

		// Single steps: one pair at a time, and what each changed.
		tmux.keys('n');
		screen = await tmux.waitFor('One step, then stop');
		expect(screen).toMatch(/epoch 1, pair 1 of 311: "the cat" → "chases"/);
		tmux.keys('n');
		tmux.keys('n');
		screen = await tmux.waitFor('pair 3 of 311');
		expect(screen.replace(/\s+/g, ' ')).toMatch(/Only row \S+ \(row [\d,]+ of 2,209\) changed; 3 of 2,209 rows have ever been touched/);
		tmux.keys('c');
		await tmux.waitFor('Average loss per epoch');

		// Train to the end: faster, then start.
		tmux.keys('+');
		tmux.keys('+');
		tmux.keys('Space');
		screen = await tmux.waitFor('finished', 15000);
		expect(screen).toContain('epoch 12/12');
		expect(screen).toMatch(/┤/);
		expect(screen).toContain('wrote to artifacts/: ');
		expect(screen).toContain('01_vocabulary.csv');
		expect(readFileSync(join(cwd, 'outputs', 'train_log.csv'), 'utf8').trim().split('\n')).toHaveLength(13);

		// Prompt: probabilities on every keystroke, then a continuation.
		tmux.keys('5');
		await tmux.waitFor('[5 Prompt]');
		tmux.keys('i');
		await tmux.waitFor('typing — Esc to stop');
		tmux.type('the owl');
		screen = await tmux.waitFor('row the|owl');
		expect(screen).toMatch(/hunts\s+\d+\.\d%/);
		// The model is named: this session's run, its epochs and when it finished.
		expect(screen.replace(/\s+/g, ' ')).toMatch(/Model context-2 of 001_animals\.txt · 12 epochs · lr 0\.1 · trained \d{4}-\d\d-\d\d \d\d:\d\d in this session/);
		tmux.keys('Enter');
		screen = await tmux.waitFor(/Prompt › the owl «hunts \S+/);

		// The compare stage: the same prompt under four context sizes and the embeddings model, one a row at 80 columns.
		tmux.keys('Escape');
		await tmux.waitFor('not typing');
		tmux.keys('6');
		screen = await tmux.waitFor(/every model trained/, 15000);
		expect(screen).toMatch(/^embeddings \(2\) +\d\.\d{3} +\d\.\d\d +\w+ \d+\.\d%/m);
		// v: the four tables side by side.
		tmux.keys('v');
		screen = await tmux.waitFor(/best: /);
		expect(screen.match(/best: /g)).toHaveLength(4);
		expect(screen).toContain('row the|mouse');
		expect(screen).toMatch(/Still training, no conclusion yet|More context helps here|More context does not help|Only /);
		tmux.keys('5');
		await tmux.waitFor('[5 Prompt]');

		// Help opens over any stage and Esc closes it.
		await tmux.waitFor('not typing');
		tmux.keys('?');
		screen = await tmux.waitFor('Esc or ? closes this help');
		// The help opened on the prompt stage lists the prompt's keys, whole.
		expect(screen).toContain('greedy/sample');
		expect(screen).toContain('always quits');
		await pause(100);
		tmux.keys('Escape');
		await tmux.waitFor((s) => !s.includes('Esc or ? closes this help'));

		// q quits: status 0, the normal screen back, raw mode off (icanon, echo), cursor shown.
		await pause(100);
		tmux.keys('q');
		screen = await tmux.waitFor(/EXIT:\d+\n.*icanon/);
		expect(screen).toMatch(/^EXIT:0$/m);
		expect(screen).toMatch(/^icanon echo\s*$/m);
		expect(tmux.format('#{alternate_on}')).toBe('0');
		expect(tmux.format('#{cursor_flag}')).toBe('1');
	}, 60_000);

	it('shows a start-up error in its frame, then prints it and exits with its status', async () => {
		// The explorer is its own bundle, imported by the command line's: its
		// errors still reach the command line as what they are.
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-e2e-'));
		const errors = new Tmux();
		try {
			errors.start(`node ${cli} --corpus missing.txt; echo "EXIT:$?"; sleep 30`, cwd);
			await errors.waitFor('toy-gpt-tui cannot open the explorer');
			await pause(100);
			errors.keys('x');
			const screen = await errors.waitFor(/EXIT:\d+/);
			expect(screen).toMatch(/^EXIT:1$/m);
			expect(screen).toMatch(/^toy-gpt-tui: .*missing\.txt/m);
			expect(screen).not.toContain('internal error');
		} finally {
			errors.kill();
		}
	}, 30_000);

	it('opens from the code caches the build made, and without a usable one', async () => {
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-e2e-'));
		// A copy of dist/ whose explorer cache V8 must reject (the corpus beside
		// it: outside the package, the default is the current folder's).
		const copy = join(cwd, 'dist');
		cpSync(dirname(cli), copy, {recursive: true});
		cpSync(new URL('../../corpus', import.meta.url).pathname, join(cwd, 'corpus'), {recursive: true});
		writeFileSync(join(copy, 'explorer.cjs.cache'), Buffer.alloc(4096, 7));
		// Without arguments the launcher starts the explorer directly; with flags,
		// the command line parses them first.
		for (const [launcher, args, mainCache, explorerCache] of [
			[cli, '', undefined, 'used'],
			[cli, ' --epochs 3', 'used', 'used'],
			[join(copy, 'cli.cjs'), '', undefined, 'rejected'],
		] as const) {
			const caches = new Tmux();
			try {
				caches.start(`node ${launcher}${args}; echo "EXIT:$?"; sleep 30`, cwd, 80, 24, {TOY_GPT_TUI_CODE_CACHE: 'report'});
				await caches.waitFor('[1 Corpus]');
				await pause(100);
				caches.keys('q');
				const screen = await caches.waitFor(/EXIT:\d+/);
				expect(screen).toMatch(/^EXIT:0$/m);
				if (mainCache) expect(screen).toContain(`code cache of main.cjs: ${mainCache}`);
				else expect(screen).not.toContain('main.cjs');
				expect(screen).toContain(`code cache of explorer.cjs: ${explorerCache}`);
			} finally {
				caches.kill();
			}
		}
	}, 30_000);
});
