/**
 * The README stays a five-minute read that is still complete, and every
 * link in the documentation leads somewhere.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {COMMAND_FLAGS, COMMANDS} from '../source/cli/help.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)];

describe('the README', () => {
	it('is about 12 KB', () => {
		expect(Buffer.byteLength(readme)).toBeLessThan(13_000);
	});

	it('has the set-up and test commands and a capture of each stage', () => {
		expect(readme).toContain('npm ci');
		expect(readme).toContain('npx toy-gpt-tui');
		expect(readme).toContain('npm test');
		for (const stage of ['[1 Corpus]', '[2 Vocabulary]', '[3 Model]', '[4 Train]', '[5 Prompt]', '[6 Compare]']) {
			expect(readme, stage).toContain(stage);
		}
	});

	it('lists every command, and every flag with the commands that take it', () => {
		for (const command of COMMANDS) expect(readme).toMatch(new RegExp(`^toy-gpt-tui ${command} `, 'm'));
		const rows = new Map([...readme.matchAll(/^\| `--([a-z-]+)[^`]*` \| ([^|]+) \|/gm)].map(([, flag, commands]) => [flag!, commands!.trim()]));
		for (const [command, flags] of Object.entries(COMMAND_FLAGS)) {
			const name = command === 'explore' ? 'explorer' : command;
			for (const flag of flags) {
				const takers = rows.get(flag);
				expect(takers, `--${flag}`).toBeDefined();
				if (flag !== 'json') expect(takers!.split(', '), `--${flag}`).toContain(name);
			}
		}
	});

	it('points to the readable reference, which exists', () => {
		expect(readme).toContain('source/reference.ts');
		expect(existsSync(join(ROOT, 'source', 'reference.ts'))).toBe(true);
	});
});

describe('the documentation', () => {
	it('links only to files that exist', () => {
		const broken: string[] = [];
		for (const doc of DOCS) {
			const text = readFileSync(join(ROOT, doc), 'utf8');
			for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
				if (/^[a-z]+:/.test(target!)) continue;
				if (!existsSync(join(ROOT, dirname(doc), target!))) broken.push(`${doc} -> ${target}`);
			}
		}
		expect(broken).toEqual([]);
	});
});
