/**
 * The command line's first module (dist/cli.cjs, the package's bin). It runs
 * the bundled command line, dist/main.cjs, from V8's code cache when there is
 * a usable one: the bytecode of every function a run of the commands
 * compiled, made by `npm run build` (scripts/build.mjs). A headless command
 * then starts without parsing and compiling the bundle, and in CommonJS,
 * whose loader is lighter than the ES module one. Measured on the animals
 * corpus, whole `train` process: 158 ms as one ES module graph, 141 ms as
 * CommonJS, 128 ms from the code cache (medians of 31 runs, side by side).
 *
 * V8 checks the cache against the source and its own version and flags and
 * rejects one that does not fit (another Node, a changed bundle); the bundle
 * is then compiled as usual. The explorer is a separate ES module bundle
 * (dist/explorer.js, Ink and React), imported only when it starts.
 *
 * TOY_GPT_TUI_CODE_CACHE=write makes a run rewrite the cache as it exits;
 * =report prints whether the cache was used.
 */
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Script} from 'node:vm';

const bundle = join(__dirname, 'main.cjs');
const cacheFile = `${bundle}.cache`;
const mode = process.env['TOY_GPT_TUI_CODE_CACHE'];

let cachedData: Buffer | undefined;
try {
	cachedData = readFileSync(cacheFile);
} catch {
	// No cache: compile as usual.
}

// The bundle runs as a CommonJS module would, with one more argument: how to
// load the explorer (an import() here, where Node's module loader is).
const script = new Script(
	`(function (exports, require, module, __filename, __dirname, __toyGptTuiLoadExplorer) {${readFileSync(bundle, 'utf8')}\n})`,
	{filename: bundle, cachedData},
);
if (mode === 'report') {
	process.stderr.write(`code cache: ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
}
if (mode === 'write') {
	process.once('exit', () => {
		const temp = `${cacheFile}.${process.pid}.tmp`;
		writeFileSync(temp, script.createCachedData());
		renameSync(temp, cacheFile);
	});
}
const explorer = './explorer.js';
const module_ = {exports: {}};
(script.runInThisContext() as (...args: unknown[]) => void)(module_.exports, require, module_, bundle, __dirname, () => import(explorer));
