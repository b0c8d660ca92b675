#!/usr/bin/env node
/**
 * The screens the README and docs/explorer.md show, captured from the real
 * explorer in a real terminal (tmux, 80x24 unless --size says otherwise) on
 * the animals corpus, in a scratch folder (the repository's artifacts are
 * copied there, never written).
 *
 *   node scripts/captures.mjs [--size 80x24] [--out DIR]
 *
 * Writes one file per screen to DIR (default captures/, ignored by git) and
 * prints them; the README's and docs' code blocks are pasted from these.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : fallback;
};
const [columns, rows] = option('--size', '80x24').split('x').map(Number);
const out = option('--out', join(root, 'captures'));
mkdirSync(out, {recursive: true});

const socket = `toy-gpt-tui-captures-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', socket, ...a], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'c').replace(/\s+$/, '');
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(text, timeout = 10_000) {
	const until = Date.now() + timeout;
	let last = '';
	while (Date.now() < until) {
		last = screen();
		if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
		await pause(50);
	}
	throw new Error(`timed out waiting for ${text}; the screen was:\n${last}`);
}

/** Keys one at a time (an Escape followed at once by a key would read as Alt+key). */
async function keys(...names) {
	for (const name of names) {
		tmux('send-keys', '-t', 'c', name);
		await pause(120);
	}
}

async function type(text) {
	tmux('send-keys', '-t', 'c', '-l', text);
	await pause(200);
}

const captures = [];
function save(name, text) {
	writeFileSync(join(out, `${name}.txt`), text + '\n');
	captures.push([name, text]);
}

const cwd = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-captures-'));
cpSync(join(root, 'corpus'), join(cwd, 'corpus'), {recursive: true});
cpSync(join(root, 'artifacts'), join(cwd, 'artifacts'), {recursive: true});
const cli = join(root, 'dist', 'cli.cjs');
tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', 'c', '-c', cwd, `CI=false TERM=xterm-256color node ${cli}; sleep 30`);
try {
	save('corpus', await waitFor('[1 Corpus]'));
	await keys('Right', 'Right', 'Right', 'Right', 'Down');
	save('corpus-moved', screen());
	await keys('2');
	save('vocab', await waitFor('[2 Vocabulary]'));
	await keys('3');
	await waitFor('[3 Model]');
	await keys('Down', 'Down', 'Down', 'Down', 'Down', 'Right', 'Right', 'Right');
	save('model', screen());
	await keys('4');
	save('train-ready', await waitFor('[4 Train]'));
	await keys('n', 'n', 'n');
	save('train-step', await waitFor('pair 3 of'));
	await keys('c', '+', '+', '+', '+', '+', 'Space');
	save('train-done', await waitFor(/wrote to/, 20_000));
	await keys('h');
	save('train-heatmap', await waitFor(/contexts 1-/));
	await keys('c', '5');
	save('prompt', await waitFor('[5 Prompt]'));
	await keys('i');
	await type('the owl');
	save('prompt-typed', await waitFor('hunts'));
	await keys('Enter');
	save('prompt-continued', screen());
	// Sampling from the top 5 on a fresh "the owl": m, then k three times (all → 20 → 10 → 5).
	await keys('Escape', 'C-u', 'i');
	await type('the owl');
	await keys('Escape', 'm', 'k', 'k', 'k');
	save('prompt-sampling', await waitFor('top-k 5'));
	await keys('?');
	save('help', await waitFor('Keys'));
	await keys('Escape', '6');
	await waitFor('[6 Compare]');
	save('compare-owl', await waitFor(/context-3 ✓/, 20_000));
	await keys('i', 'C-u');
	await type('the cow eats the');
	await keys('Escape');
	save('compare', await waitFor('the cow eats the'));
	await keys('Escape', 'q');
} finally {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
}
for (const [name, text] of captures) console.log(`== ${name}\n${text}\n`);
