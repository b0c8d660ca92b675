/**
 * The command line's first module (dist/cli.cjs, the package's bin). It runs
 * the bundled command line, dist/main.cjs, and when the explorer starts,
 * dist/explorer.cjs (Ink and React), each from V8's code cache when there is
 * a usable one: the bytecode of every function a run compiled, made by
 * `npm run build` (scripts/build.mjs). They then start without parsing and
 * compiling their code, and in CommonJS, whose loader is lighter than the
 * ES module one. What that saves, measured, is in docs/performance.md.
 *
 * V8 rejects a cache made by another V8 version or with other flags, or for
 * a source of another length, and the bundle is then compiled as usual. It
 * does not compare the source itself: the build writes every bundle and its
 * cache afresh together, and dist/ is not meant to be edited by hand.
 *
 * TOY_GPT_TUI_CODE_CACHE=write makes a run rewrite the caches of the bundles
 * it ran as it exits; =report prints whether each cache was used.
 */
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Script} from 'node:vm';

const mode = process.env['TOY_GPT_TUI_CODE_CACHE'];

/** Run dist/`name` as a CommonJS module would run, from its code cache; returns its exports. */
function runBundle(name: string): unknown {
	const bundle = join(__dirname, name);
	const cacheFile = `${bundle}.cache`;
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(cacheFile);
	} catch {
		// No cache: compile as usual.
	}
	// One more argument than CommonJS gives: how the command line loads the explorer.
	const script = new Script(
		`(function (exports, require, module, __filename, __dirname, __toyGptTuiLoadExplorer) {${readFileSync(bundle, 'utf8')}\n})`,
		{filename: bundle, cachedData},
	);
	if (mode === 'report') {
		process.stderr.write(`code cache of ${name}: ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
	}
	if (mode === 'write') {
		process.once('exit', () => {
			const temp = `${cacheFile}.${process.pid}.tmp`;
			writeFileSync(temp, script.createCachedData());
			renameSync(temp, cacheFile);
		});
	}
	const module_ = {exports: {}};
	(script.runInThisContext() as (...args: unknown[]) => void)(module_.exports, require, module_, bundle, __dirname, loadExplorer);
	return module_.exports;
}

function loadExplorer(): Promise<unknown> {
	return Promise.resolve().then(() => runBundle('explorer.cjs'));
}

// Without arguments (the explorer, as most people open it) there is nothing
// for the command line to parse: the explorer starts at once.
if (process.argv.length <= 2) (runBundle('explorer.cjs') as {main(): void}).main();
else runBundle('main.cjs');
