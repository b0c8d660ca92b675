/**
 * Colour in a real terminal (tmux at 80x24, its screen read back with the
 * escape codes it holds): the explorer colours with `CI=false` in the
 * environment, and with NO_COLOR it draws no colour yet still marks the
 * current stage and the cursor with bold, underline or inverse.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {hasTmux, Tmux} from './tmux.js';

const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const available = hasTmux() && existsSync(cli);
if (!available && process.env['CI']) throw new Error('the end-to-end tests need tmux and a built dist/cli.cjs');

/** The screen with its escape codes (tmux `capture-pane -e`). */
function screenWithEscapes(tmux: Tmux): string {
	return execFileSync('tmux', ['-L', tmux.socket, 'capture-pane', '-p', '-e', '-t', tmux.session], {encoding: 'utf8'});
}

/** Every SGR parameter list on the screen, e.g. ['1', '36'] for ESC[1;36m. */
function sgrParameters(screen: string): string[][] {
	return [...screen.matchAll(/\u001B\[([\d;:]*)m/g)].map((match) => match[1]!.split(/[;:]/));
}

/** An SGR list that sets a foreground or background colour (16, 256 or truecolor). */
function setsColour(parameters: string[]): boolean {
	return parameters.some((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
}

describe.skipIf(!available)('colour in a real terminal', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	/** The explorer's first screen, with the colour variables of the tests' own environment unset. */
	async function firstScreen(env: Record<string, string>): Promise<string> {
		tmux = new Tmux();
		const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-colour-'));
		const unset = ['NO_COLOR', 'FORCE_COLOR', 'COLORTERM'].filter((name) => !(name in env));
		tmux.start(`unset ${unset.join(' ')}; node ${cli}; sleep 60`, cwd, 80, 24, env);
		await tmux.waitFor('[1 Corpus]');
		// The frame arrives in one write; a moment lets tmux take all of it.
		await new Promise((resolve) => setTimeout(resolve, 300));
		return screenWithEscapes(tmux);
	}

	it('colours the screen with CI=false in the environment', async () => {
		const screen = await firstScreen({CI: 'false', TERM: 'xterm-256color'});
		expect(sgrParameters(screen).filter(setsColour).length).toBeGreaterThan(0);
	});

	it('draws no colour with NO_COLOR=1, yet still draws bold, underline and inverse', async () => {
		const screen = await firstScreen({CI: 'false', TERM: 'xterm-256color', NO_COLOR: '1'});
		const parameters = sgrParameters(screen);
		expect(parameters.filter(setsColour)).toEqual([]);
		// Bold, underline or inverse: the current stage's tab, the token under the cursor.
		expect(parameters.some((p) => p.some((code) => code === '1' || code === '4' || code === '7'))).toBe(true);
	});
});
