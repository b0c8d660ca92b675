// Bundles the command line into dist/:
//   cli.cjs        the package's bin (source/launcher.ts), which runs
//   main.cjs       the command line and the headless commands, one CommonJS
//                  file, from main.cjs.cache, V8's code cache of it that this
//                  script makes by running the commands;
//   explorer.cjs   the explorer (Ink and React), one CommonJS file run the
//                  same way, from explorer.cjs.cache, only when the explorer
//                  starts, so `train`, `infer` and friends never parse Ink or
//                  React;
//   *-worker.js    the worker threads (ES modules).
import {build} from 'esbuild';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, relative, sep} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * Build-time edits of dependencies' code. Each one stays only while it
 * measurably pays (bench/edit-gains.mjs; the figures are in
 * docs/performance.md), names the exact text it replaces, and fails the build
 * if a dependency's code changes under it. None of these dependencies has an
 * option or a newer version for Node 20 that avoids the cost.
 *
 * - meow reads and normalizes package.json only when it is not given one. We
 *   always give it ours (`pkg` below) and never read `cli.pkg`, yet its
 *   bundled dependencies file sets up, on every run, what only that needs:
 *   normalize-package-data (whose license table sort alone starts ICU's
 *   collator), a JSON error formatter, and child_process. These edits make
 *   those parts unreachable, so esbuild drops them and the bundle keeps the
 *   argument parser meow runs. Measured: 13.5 ms off the `train` process.
 * - The explorer is one CommonJS file, run from V8's code cache like the
 *   command line, and CommonJS cannot hold a top-level await. yoga-layout
 *   (Ink's layout engine) awaits its WebAssembly, which it carries as
 *   base64 and, where `fetch` exists, fetches from a data: URL (in Node
 *   that loads the whole undici HTTP client to decode a string); the edits
 *   decode it in place and instantiate it synchronously, which emscripten's
 *   loader then finishes in the same call. Ink awaits React's devtools and
 *   its own package.json only when DEV=true; react-devtools-core is not a
 *   dependency, and the edit leaves both out. Measured: the explorer's first
 *   frame 64 ms sooner than as an ES module without a code cache.
 * - string-width tests every grapheme of a non-ASCII string against
 *   /^\p{RGI_Emoji}$/v, and V8 takes 13-17 ms to compile that pattern (a set
 *   of about 3,700 sequences) at its first use, which the explorer's first
 *   frame paid for box-drawing lines. Every RGI emoji sequence holds a
 *   non-ASCII Emoji code point or the keycap mark U+20E3 (basic emoji,
 *   keycaps, flags, tag, modifier and ZWJ sequences), so the edit compiles the
 *   pattern only for graphemes that have one; widths are unchanged
 *   (test/cli/string-width-edit.test.ts checks the claim on every code point
 *   of planes 0 and 1, with VS16, keycap and skin tones, and compares widths
 *   with the original's). Measured: 19.6 ms off the first frame. (string-width
 *   9 no longer needs it, but needs Node 22.)
 */
export const EDITS = {
	meowOptions: {
		file: 'node_modules/meow/build/options.js',
		replacements: [
			["import { a as readPackageUpSync, n as normalizePackageData } from './dependencies.js';", `const readPackageUpSync = ${never()}, normalizePackageData = ${never()};`],
		],
	},
	meowDependencies: {
		file: 'node_modules/meow/build/dependencies.js',
		replacements: [
			['var libExports = requireLib$1();', 'var libExports;'],
			['var normalizeExports = requireNormalize();', ''],
			['const normalizePackageData = getDefaultExportFromCjs(normalizeExports);', `const normalizePackageData = ${never()};`],
			['promisify(execFile);', ''],
		],
	},
	yogaSyncInstance: {
		file: 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
		replacements: [
			[
				'(function(){return w||"function"!=typeof WebAssembly.instantiateStreaming||ua(H)||"function"!=typeof fetch?c(b):fetch(H,{credentials:"same-origin"}).then(function(e){return WebAssembly.instantiateStreaming(e,d).then(b,function(f){v("wasm streaming compile failed: "+f);v("falling back to ArrayBuffer instantiation");return c(b)})})})().catch(ca);return{}',
				'b({instance:new WebAssembly.Instance(new WebAssembly.Module(wa()),d)});return{}',
			],
		],
	},
	yogaSyncLoad: {
		file: 'node_modules/yoga-layout/dist/src/index.js',
		replacements: [['const Yoga = wrapAssembly(await loadYoga());', 'const yogaModule = {};\nloadYoga(yogaModule);\nconst Yoga = wrapAssembly(yogaModule);']],
	},
	inkNoDevtools: {
		file: 'node_modules/ink/build/reconciler.js',
		replacements: [
			["if (isDev()) {\n    try {\n        await import('./devtools.js');", "if (false) {\n    try {\n        void 0;"],
			['const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };', 'const packageJson = { name: undefined, version: undefined };'],
		],
	},
	stringWidthLazyEmoji: {
		// Ink's own (not wrap-ansi's older copy, which has no such pattern).
		file: 'node_modules/string-width/index.js',
		replacements: [
			[
				'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
				`const rgiEmojiCandidate = /(?![\\x00-\\x7F])\\p{Emoji}|\\u20E3/u;
let rgiEmojiPattern;
const rgiEmojiRegex = {test: (segment) => rgiEmojiCandidate.test(segment) && (rgiEmojiPattern ??= /^\\p{RGI_Emoji}$/v).test(segment)};`,
			],
		],
	},
};

function never() {
	return "() => { throw new Error('toy-gpt-tui passes meow its package data'); }";
}

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
/**
 * esbuild's `inject`: in the bundles `Intl.Segmenter` names the lazy grapheme
 * segmenter (source/runtime/segmenter-inject.ts). Measured: 10.7 ms off the
 * explorer's first frame.
 */
export const SEGMENTER_INJECT = join(root, 'source', 'runtime', 'segmenter-inject.ts');

/**
 * Edits (and `segmenterInject`) left out of this build, for measuring what
 * each saves (bench/edit-gains.mjs): TOY_GPT_TUI_WITHOUT_EDITS=name1,name2.
 */
const SKIPPED = new Set((process.env['TOY_GPT_TUI_WITHOUT_EDITS'] ?? '').split(',').filter((name) => name !== ''));
for (const name of SKIPPED) {
	if (!Object.hasOwn(EDITS, name) && name !== 'segmenterInject') {
		throw new Error(`TOY_GPT_TUI_WITHOUT_EDITS: no edit is named ${name}; there are ${[...Object.keys(EDITS), 'segmenterInject'].join(', ')}`);
	}
}

/** Edit `code` by EDITS[name]; throws when a replaced text is missing. */
export function applyEdit(name, code) {
	for (const [from, to] of EDITS[name].replacements) {
		if (!code.includes(from)) throw new Error(`${name}: the dependency no longer holds ${JSON.stringify(from)}; update scripts/build.mjs`);
		code = code.replace(from, () => to);
	}
	return code;
}

/** The edits of one file this build applies, in EDITS order. */
function editsOf(file) {
	return Object.keys(EDITS).filter((name) => EDITS[name].file === file && !SKIPPED.has(name));
}

/**
 * The plugin that applies EDITS, recording each edit applied in `applied`
 * (shared by the builds, which check it when all are done).
 */
export function dependencyEdits(applied) {
	return {
		name: 'dependency-edits',
		setup(build) {
			for (const file of new Set(Object.values(EDITS).map((edit) => edit.file))) {
				if (editsOf(file).length === 0) continue;
				const base = file.slice(file.lastIndexOf('/') + 1).replaceAll('.', '\\.');
				build.onLoad({filter: new RegExp(`[\\\\/]${base}$`)}, async (args) => {
					if (relative(root, args.path).split(sep).join('/') !== file) return undefined;
					let code = await readFile(args.path, 'utf8');
					for (const name of editsOf(file)) {
						code = applyEdit(name, code);
						applied.add(name);
					}
					return {contents: code, loader: 'js', resolveDir: dirname(args.path)};
				});
			}
		},
	};
}

/**
 * In the command line's bundle, load-explorer.ts becomes a call to the
 * launcher (source/launcher.ts), which imports the explorer's bundle.
 */
const explorerFromLauncher = {
	name: 'explorer-from-launcher',
	setup(build) {
		build.onResolve({filter: /[\\/]load-explorer\.js$/}, () => ({path: 'load-explorer', namespace: 'launcher'}));
		build.onLoad({filter: /.*/, namespace: 'launcher'}, () => ({
			contents: 'export function loadExplorer() { return __toyGptTuiLoadExplorer(); }',
			loader: 'js',
		}));
	},
};

/**
 * Runs of the built command line that leave V8's code cache of dist/main.cjs
 * behind (see source/launcher.ts): each run starts from the cache the one
 * before wrote and adds the functions it compiled, so the cache holds what
 * every command runs; `train` goes last, as the one most often timed.
 */
function writeCodeCache() {
	const work = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-build-'));
	const runs = [
		['--help'],
		['tokenize'],
		['vocab'],
		['compare', '--prompt', 'the cat'],
		['train', '--artifacts', join(work, 'a'), '--outputs', join(work, 'o'), '--threads', '2', '--epochs', '2'],
		['infer', '--artifacts', join(work, 'a'), '--prompt', 'the cat'],
		['train', '--artifacts', join(work, 'a'), '--outputs', join(work, 'o')],
	];
	try {
		for (const args of runs) {
			const run = spawnSync(process.execPath, [join(dist, 'cli.cjs'), ...args], {
				cwd: root,
				env: {...process.env, TOY_GPT_TUI_CODE_CACHE: 'write'},
				encoding: 'utf8',
				timeout: 60_000,
			});
			if (run.status !== 0) throw new Error(`code cache: toy-gpt-tui ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
		}
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

/**
 * A run of the explorer that leaves its code cache behind: with stdin and
 * stdout taken for a terminal (scripts/fake-terminal.cjs), it opens on the
 * animals corpus, visits every stage by Tab and quits.
 */
async function writeExplorerCodeCache() {
	const child = spawn(process.execPath, ['-r', join(root, 'scripts', 'fake-terminal.cjs'), join(dist, 'cli.cjs')], {
		cwd: root,
		// Not in CI mode (is-in-ci reads both), where Ink draws no frames.
		env: {...process.env, TOY_GPT_TUI_CODE_CACHE: 'write', CI: 'false', CONTINUOUS_INTEGRATION: 'false', TERM: 'xterm-256color'},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let output = '';
	let errors = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (errors += chunk));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	const until = async (text) => {
		for (let waited = 0; !output.includes(text); waited += 20) {
			if (waited > 10_000) throw new Error(`explorer code cache: no ${JSON.stringify(text)} on screen: ${errors}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	};
	try {
		await until('1 Corpus');
		for (const stage of ['2 Vocabulary]', '3 Model]', '4 Train]', '5 Prompt]', '6 Compare]']) {
			output = '';
			child.stdin.write('\t');
			await until(stage);
		}
		child.stdin.write('q');
		const status = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('no exit after 10 s'), 10_000).unref())]);
		if (status !== 0) throw new Error(`explorer code cache: the explorer exited ${status}: ${errors}`);
	} finally {
		child.kill();
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(dist, {recursive: true, force: true});
const applied = new Set();
const common = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	packages: 'bundle',
	// Ink loads the React devtools only when DEV=true; it is not a dependency.
	external: ['react-devtools-core'],
	jsx: 'automatic',
	legalComments: 'none',
	// Less to parse at every start.
	minify: true,
	define: {
		'process.env.NODE_ENV': '"production"',
		// Our package data, so meow need not look for package.json at run time.
		__PACKAGE__: JSON.stringify({name: pkg.name, version: pkg.version, description: pkg.description}),
	},
	logLevel: 'warning',
	metafile: false,
	inject: SKIPPED.has('segmenterInject') ? [] : [SEGMENTER_INJECT],
};
// The worker threads: ES modules that share chunks.
await build({
	...common,
	entryPoints: {'train-worker': 'source/models/table/train-worker.ts', 'load-worker': 'source/artifacts/load-worker.ts', 'write-worker': 'source/artifacts/write-worker.ts'},
	outdir: 'dist',
	splitting: true,
	format: 'esm',
	banner: {
		// Some bundled CommonJS dependencies call require(); give them one.
		js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);",
	},
	plugins: [dependencyEdits(applied)],
});
// The command line and the explorer: one CommonJS file each, which the
// launcher runs from V8's code cache.
const commonJs = {
	...common,
	outdir: 'dist',
	outExtension: {'.js': '.cjs'},
	format: 'cjs',
	define: {...common.define, 'import.meta': '__importMeta'},
	banner: {js: "var __importMeta = {url: require('node:url').pathToFileURL(__filename).href};"},
};
await build({...commonJs, entryPoints: {main: 'source/cli.ts'}, plugins: [dependencyEdits(applied), explorerFromLauncher]});
const explorer = await build({...commonJs, entryPoints: {explorer: 'source/explorer/start.tsx'}, metafile: true, plugins: [dependencyEdits(applied)]});
// Ink draws through chalk, and the explorer sets chalk's colour level itself
// (source/explorer/theme.ts): that reaches the screen only if the bundle
// holds one chalk, the one both import.
const chalks = Object.keys(explorer.metafile.inputs).filter((input) => /(^|\/)node_modules\/chalk\/source\/index\.js$/.test(input));
if (chalks.length !== 1) throw new Error(`the explorer's bundle should hold one chalk, Ink's and the theme's; it holds ${chalks.length}: ${chalks.join(', ')}`);
// An edit whose file no build loads (a dependency moved or was deduplicated)
// fails the build too, rather than silently lapsing.
const missing = Object.keys(EDITS).filter((name) => !applied.has(name) && !SKIPPED.has(name));
if (missing.length > 0) throw new Error(`dependency edits not applied, their files were not bundled: ${missing.join(', ')}; update scripts/build.mjs`);
// The launcher: the package's bin.
await build({
	entryPoints: {cli: 'source/launcher.ts'},
	outdir: 'dist',
	outExtension: {'.js': '.cjs'},
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	minify: true,
	legalComments: 'none',
	banner: {js: '#!/usr/bin/env node'},
	logLevel: 'warning',
});
chmodSync(join(dist, 'cli.cjs'), 0o755);
writeCodeCache();
// Without its cache the explorer still works, compiled at each start: a run
// that fails here (a machine where it cannot run) warns rather than fails.
await writeExplorerCodeCache().catch((error) => console.warn(`warning: ${error.message}; the explorer is compiled at each start instead`));
}
