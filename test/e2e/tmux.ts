/** Driving the built command in a real terminal: tmux on a private socket. */
import {execFileSync, spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** The repository, and the built command the tests drive. */
export const ROOT = new URL('../../', import.meta.url).pathname;
export const CLI = join(ROOT, 'dist', 'cli.cjs');

/** Whether tmux and the built command are here; in CI their absence is an error, not a skip. */
export function e2eAvailable(): boolean {
	const available = hasTmux() && existsSync(CLI);
	if (!available && process.env['CI']) throw new Error('the end-to-end tests need tmux and a built dist/cli.cjs');
	return available;
}

/** A fresh folder with a copy of the repository's corpus/, to run the command in. */
export function folderWithCorpus(prefix: string): string {
	const cwd = mkdtempSync(join(tmpdir(), prefix));
	cpSync(join(ROOT, 'corpus'), join(cwd, 'corpus'), {recursive: true});
	return cwd;
}

export function hasTmux(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

export class Tmux {
	readonly socket = `toy-gpt-tui-e2e-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
	readonly session = 'e2e';

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	start(command: string, cwd: string, columns = 80, rows = 24, env: Record<string, string> = {}): void {
		const exports = Object.entries({CI: 'false', TERM: 'xterm-256color', ...env})
			.map(([k, v]) => `export ${k}='${v}';`)
			.join(' ');
		this.tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', this.session, '-c', cwd, `${exports} ${command}`);
	}

	/** Send tmux key names (Tab, Escape, Enter, BTab) or literal text with `literal`. */
	keys(...keys: string[]): void {
		this.tmux('send-keys', '-t', this.session, ...keys);
	}

	type(text: string): void {
		this.tmux('send-keys', '-t', this.session, '-l', text);
	}

	/** Paste text as a terminal does: bracketed when the program asked for it (tmux paste-buffer -p). */
	paste(text: string): void {
		this.tmux('set-buffer', '-b', 'e2e-paste', text);
		this.tmux('paste-buffer', '-p', '-d', '-b', 'e2e-paste', '-t', this.session);
	}

	/** Resize the window, as dragging the terminal's corner does. */
	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', this.session, '-x', String(columns), '-y', String(rows));
	}

	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', this.session);
	}

	/** A tmux format value of the pane, e.g. #{cursor_flag}. */
	format(name: string): string {
		return this.tmux('display-message', '-p', '-t', this.session, name).trim();
	}

	async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 8000): Promise<string> {
		const check = typeof test === 'function' ? test : typeof test === 'string' ? (s: string) => s.includes(test) : (s: string) => test.test(s);
		const until = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < until) {
			screen = this.screen();
			if (check(screen)) return screen;
			await new Promise((resolve) => setTimeout(resolve, 40));
		}
		throw new Error(`timed out waiting for ${String(test)}; the screen was:\n${screen}`);
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}
}
