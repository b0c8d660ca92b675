/**
 * The headless commands never load Ink or React: the command line is one
 * CommonJS file, and the explorer a separate ES module bundle that it imports
 * only to start the explorer.
 */
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';

const dist = new URL('../../dist/', import.meta.url).pathname;

/** Files reachable from `file` by static imports and by the dynamic imports `follow` accepts. */
function reachable(file: string, follow: (target: string) => boolean, seen = new Set<string>()): Set<string> {
	if (seen.has(file)) return seen;
	seen.add(file);
	const code = readFileSync(join(dist, file), 'utf8');
	for (const [, target] of code.matchAll(/\bfrom\s*["']\.\/([^"']+)["']/g)) reachable(target!, follow, seen);
	for (const [, target] of code.matchAll(/\bimport\s*["']\.\/([^"']+)["']/g)) reachable(target!, follow, seen);
	for (const [, target] of code.matchAll(/\bimport\(\s*["']\.\/([^"']+)["']\s*\)/g)) if (follow(target!)) reachable(target!, follow, seen);
	return seen;
}

const usesReact = (file: string) => /react-reconciler|useSyncExternalStore|ink-spinner/.test(readFileSync(join(dist, file), 'utf8'));

describe('the bundle', () => {
	it('keeps Ink and React out of the command line the headless commands run', () => {
		// dist/main.cjs is one file: the launcher (dist/cli.cjs) and it are all a
		// headless command loads, besides the worker threads of train --threads.
		expect(readFileSync(join(dist, 'cli.cjs'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
		expect(usesReact('main.cjs')).toBe(false);
		expect(usesReact('cli.cjs')).toBe(false);
		const workers = [...reachable('train-worker.js', () => true)];
		expect(workers.filter(usesReact)).toEqual([]);
	});

	it("puts them in the explorer's bundle, which the command line loads only to start it", () => {
		expect(usesReact('explorer.cjs')).toBe(true);
		const main = readFileSync(join(dist, 'main.cjs'), 'utf8');
		expect(main).not.toMatch(/\bimport\(/);
		expect(main).toContain('__toyGptTuiLoadExplorer()');
	});

	it("leaves out meow's package.json reading, which the commands never use", () => {
		// scripts/build.mjs cuts it off: normalize-package-data with its spdx
		// license tables, and child_process, cost about 20 ms a start.
		const code = readFileSync(join(dist, 'main.cjs'), 'utf8');
		expect(code).toContain('camelCase'); // meow's parser is there
		expect(code).not.toMatch(/child_process|GPL-3\.0|spdx/i);
	});

	it("loads the explorer's bundle without Node's HTTP client or a grapheme segmenter, and compiles the RGI emoji pattern only for emoji", () => {
		// scripts/build.mjs edits yoga-layout to decode and instantiate its
		// WebAssembly in place instead of fetching a data: URL (Node's HTTP
		// client, undici, cost about 20 ms a start), and string-width to build
		// its emoji pattern (13-17 ms) on first need.
		const script = `
			let segmenters = 0;
			const Original = Intl.Segmenter;
			Intl.Segmenter = class extends Original { constructor(...args) { super(...args); segmenters++; } };
			const {createRequire} = await import('node:module');
			const {startExplorer} = createRequire(import.meta.url)(${JSON.stringify(join(dist, 'explorer.cjs'))});
			if (typeof startExplorer !== 'function') throw new Error('no startExplorer');
			const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
			console.log(JSON.stringify({undici: process.moduleLoadList.some((m) => /undici/.test(m)), segmenters, later: ['worker_threads'].filter(loaded)}));`;
		const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'})) as {undici: boolean; segmenters: number; later: string[]};
		// Nor does it make an Intl.Segmenter (about 10 ms): in the bundle the
		// name is source/runtime/graphemes.ts's lazy segmenter, which makes one
		// on first need; and worker_threads (about 3 ms) loads when first used.
		expect(loaded).toEqual({undici: false, segmenters: 0, later: []});
		const code = readdirSync(dist).filter((file) => /\.c?js$/.test(file)).map((file) => readFileSync(join(dist, file), 'utf8')).join('\n');
		// Every Intl.Segmenter the bundles make is the lazy one's real one.
		expect(code.match(/new (?:globalThis\.)?Intl\.Segmenter\b/g)?.sort()).toEqual(
			Array(code.match(/new globalThis\.Intl\.Segmenter\b/g)!.length).fill('new globalThis.Intl.Segmenter'),
		);
		// Once in the explorer's bundle and once in the command line's (vocab and infer measure tokens).
		const uses = code.match(/.{0,12}new RegExp\("\^\\\\p\{RGI_Emoji\}\$"/g) ?? [];
		expect(uses.length).toBe(2);
		for (const use of uses) expect(use).toContain('??=');
	});
});

