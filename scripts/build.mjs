// Bundles the command line into dist/: one file for the headless commands and
// a separate chunk for the explorer, loaded only when the explorer starts, so
// `train`, `infer` and friends never parse Ink or React.
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';

/**
 * meow reads and normalizes package.json only when it is not given one. We
 * always give it ours (`pkg` below) and never read `cli.pkg`, yet its bundled
 * dependencies file sets up, on every run, what only that needs:
 * normalize-package-data (whose license table sort alone starts ICU's
 * collator), a JSON error formatter, and child_process. That cost about
 * 20 ms a start. These build-time edits make those parts unreachable, so
 * esbuild drops them and the bundle keeps the argument parser meow runs. Each
 * edit fails the build if meow's code changes under it.
 */
const meowLean = {
	name: 'meow-lean',
	setup(build) {
		const never = "() => { throw new Error('toy-gpt-tui passes meow its package data'); }";
		const edit = (file, replacements) =>
			build.onLoad({filter: new RegExp(`meow[\\\\/]build[\\\\/]${file.replace('.', '\\.')}$`)}, async (args) => {
				let code = await readFile(args.path, 'utf8');
				for (const [from, to] of replacements) {
					if (!code.includes(from)) throw new Error(`meow-lean: ${args.path} no longer holds ${JSON.stringify(from)}; update scripts/build.mjs`);
					code = code.replace(from, to);
				}
				return {contents: code, loader: 'js'};
			});
		edit('options.js', [
			["import { a as readPackageUpSync, n as normalizePackageData } from './dependencies.js';", `const readPackageUpSync = ${never}, normalizePackageData = ${never};`],
		]);
		edit('dependencies.js', [
			['var libExports = requireLib$1();', 'var libExports;'],
			['var normalizeExports = requireNormalize();', ''],
			['const normalizePackageData = getDefaultExportFromCjs(normalizeExports);', `const normalizePackageData = ${never};`],
			['promisify(execFile);', ''],
		]);
	},
};

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
	entryPoints: {cli: 'source/cli.ts', 'train-worker': 'source/core/train-worker.ts', 'load-worker': 'source/core/load-worker.ts', 'write-worker': 'source/core/write-worker.ts'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
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
	banner: {
		// Some bundled CommonJS dependencies call require(); give them one.
		js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);",
	},
	logLevel: 'warning',
	plugins: [meowLean],
	metafile: false,
});
