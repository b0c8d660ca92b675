// Bundles the command line into dist/: one file for the headless commands and
// a separate chunk for the explorer, loaded only when the explorer starts, so
// `train`, `infer` and friends never parse Ink or React.
import {build} from 'esbuild';
import {rm} from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
	entryPoints: {cli: 'source/cli.ts', 'train-worker': 'source/core/train-worker.ts'},
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
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {
		// Some bundled CommonJS dependencies call require(); give them one.
		js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);",
	},
	logLevel: 'warning',
});
