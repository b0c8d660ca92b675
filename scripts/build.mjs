// Bundles the command line into dist/: one file for the headless commands and
// a separate chunk for the explorer, loaded only when the explorer starts, so
// `train`, `infer` and friends never parse Ink or React.
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';

/**
 * meow bundles normalize-package-data, whose license fixer sorts a table
 * with localeCompare when it loads: that starts ICU's collator and costs
 * about 8 ms on every run, for a function we never call (we give meow our
 * package data). Sort that table by plain code units instead.
 */
const meowStartup = {
	name: 'meow-startup',
	setup(build) {
		build.onLoad({filter: /meow[\\/]build[\\/]dependencies\.js$/}, async (args) => {
			const code = await readFile(args.path, 'utf8');
			const from = 'return a[0].toUpperCase().localeCompare(b[0].toUpperCase())';
			if (!code.includes(from)) return undefined;
			const to = 'const x = a[0].toUpperCase(), y = b[0].toUpperCase(); return x < y ? -1 : x > y ? 1 : 0';
			return {contents: code.replace(from, to), loader: 'js'};
		});
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
	plugins: [meowStartup],
	metafile: false,
});
