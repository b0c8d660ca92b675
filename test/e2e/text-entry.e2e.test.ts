/**
 * Text entry in a real terminal (tmux): a paste keeps its words apart, keys
 * sent together all apply, and a long prompt keeps its end and the cursor on
 * screen through a resize.
 */
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {hasTmux, Tmux} from './tmux.js';

const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const available = hasTmux() && existsSync(cli);
if (!available && process.env['CI']) throw new Error('the end-to-end tests need tmux and a built dist/cli.cjs');

/** The prompt line's text after the label. */
const promptOf = (screen: string) => (screen.split('\n').find((l) => l.startsWith('Prompt')) ?? '').slice(9).trimEnd();

describe.skipIf(!available)('text entry in a real terminal', () => {
	const tmux = new Tmux();
	afterAll(() => tmux.kill());

	it('pastes keep separators, bursts of keys all apply, the prompt end survives a resize', async () => {
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-e2e-'));
		// After the explorer, cat -v shows what a paste sends the shell: plain text once bracketed paste is off.
		tmux.start(`node ${cli}; echo "EXIT:$?"; cat -v`, cwd);
		await tmux.waitFor('[1 Corpus]');
		tmux.keys('5');
		await tmux.waitFor('not typing — press i or Enter to type');

		// A bracketed paste opens text entry (keys would have been commands: t, h, e…); its tab and line break are spaces.
		tmux.paste('the\tcat\nsat');
		let screen = await tmux.waitFor((s) => promptOf(s) === 'the cat sat█');
		expect(screen).toContain('typing — Esc to stop');

		// Three Backspaces sent at once delete three characters.
		tmux.keys('BSpace', 'BSpace', 'BSpace');
		await tmux.waitFor((s) => promptOf(s) === 'the cat █');

		// Esc, then "i" and C-u at once: typing again, prompt cleared.
		tmux.keys('Escape');
		await tmux.waitFor('not typing');
		tmux.keys('i', 'C-u');
		await tmux.waitFor((s) => promptOf(s) === '█');

		// Typed text with a tab, sent in one go (a terminal without bracketed paste).
		tmux.type('the\towl');
		await tmux.waitFor((s) => promptOf(s) === 'the owl█');

		// A long prompt, then a smaller terminal: its end and the cursor stay on screen.
		const long = ' and the owl hunts the mouse at night'.repeat(4) + ' END';
		tmux.type(long);
		await tmux.waitFor(/END█/);
		tmux.resize(60, 16);
		screen = await tmux.waitFor((s) => s.split('\n')[0]!.length <= 60 && /END█/.test(s));
		expect(screen).toMatch(/night END█/);
		tmux.resize(80, 24);
		await tmux.waitFor(/night END█/);

		tmux.keys('Escape');
		await tmux.waitFor('not typing');
		tmux.keys('q');
		screen = await tmux.waitFor(/EXIT:\d+/);
		expect(screen).toMatch(/^EXIT:0$/m);
		// Bracketed paste is off again: the shell's next paste is plain text.
		tmux.paste('after exit\n');
		screen = await tmux.waitFor(/^after exit$/m);
		expect(screen).not.toContain('[200~');
	}, 30_000);
});
