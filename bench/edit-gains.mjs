// What each of scripts/build.mjs's dependency edits, and its esbuild inject
// of a lazy Intl.Segmenter, saves at start-up, measured.
//
//   node bench/edit-gains.mjs [--runs 31] [--units meow,lazyEmoji] [--reuse]
//
// Builds the app once per variant (the build as shipped, and the build
// without one unit: TOY_GPT_TUI_WITHOUT_EDITS for an edit, a small source
// change for the rest), each in a scratch copy of the repository so this
// checkout's dist/ is left alone, and keeps each variant's whole dist/ (its
// bundles with the V8 code caches made for them) in
// bench/data/edit-gains/<variant>/dist. Then, per unit and metric, runs the
// shipped build (A) and the variant (B) alternately, A B A B ..., `--runs`
// times each after one discarded warm-up run of each, one process at a time:
//
//   frame  seconds from launch to the explorer's first frame in an 80x24
//          pseudo-terminal (bench/first-frame.py);
//   train  wall time of the whole `train` process on the animals corpus
//          (spawnSync between two readings of the monotonic clock).
//
// The gain is median(B) - median(A): what the shipped build saves. Its 95%
// interval is a percentile bootstrap of the difference of medians (A and B
// resampled independently, 10,000 times, seeded). A unit is kept on a metric
// when the gain is at least 5 ms and the interval excludes 0. Raw samples go
// to bench/data/edit-gains/results.json.
//
// --reuse skips the builds and measures the variants built last time.
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench', 'data', 'edit-gains');
const RESAMPLES = 10_000;
const MIN_GAIN_MS = 5;

const {values: options} = parseArgs({
	options: {
		runs: {type: 'string', default: '31'},
		units: {type: 'string'},
		reuse: {type: 'boolean', default: false},
	},
});
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 2) throw new Error(`--runs: a whole number of at least 2, not ${options.runs}`);

const ESM_BANNER = `"import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"`;

/**
 * The builds. `without`: edits the build leaves out (TOY_GPT_TUI_WITHOUT_EDITS);
 * `sources`: [file, text, replacement] changes to the scratch copy (each text
 * must be there once); `check`: run on the built copy.
 */
const VARIANTS = {
	shipped: {},
	noMeow: {without: ['meowOptions', 'meowDependencies']},
	noLazyEmojiEdit: {without: ['stringWidthLazyEmoji']},
	// Every Intl.Segmenter a real one, made as each dependency loads.
	noSegmenterInject: {without: ['segmenterInject']},
	// The explorer as one ES module (yoga-layout's top-level await and all),
	// imported by the launcher, without a code cache. inkNoDevtools stays:
	// without it esbuild hoists devtools.js's import of react-devtools-core
	// (external, not installed) to the top of the bundle, which then fails to
	// load; it changes nothing at run time unless DEV=true.
	esmExplorer: {
		without: ['yogaSyncInstance', 'yogaSyncLoad'],
		sources: [
			[
				'scripts/build.mjs',
				"await build({...commonJs, entryPoints: {explorer: 'source/explorer/start.tsx'}, plugins: [dependencyEdits(applied)]});",
				`await build({...common, entryPoints: {explorer: 'source/explorer/start.tsx'}, outdir: 'dist', format: 'esm', splitting: false, banner: {js: ${ESM_BANNER}}, plugins: [dependencyEdits(applied)]});`,
			],
			[
				'source/launcher.ts',
				"return Promise.resolve().then(() => runBundle('explorer.cjs'));",
				"return import(require('node:url').pathToFileURL(join(__dirname, 'explorer.js')).href);",
			],
			[
				'source/launcher.ts',
				"if (process.argv.length <= 2) (runBundle('explorer.cjs') as {main(): void}).main();",
				'if (process.argv.length <= 2) void loadExplorer().then((explorer) => (explorer as {main(): void}).main());',
			],
		],
		check: (dist) => {
			if (existsSync(join(dist, 'explorer.cjs')) || !existsSync(join(dist, 'explorer.js'))) throw new Error('esmExplorer: no ES module explorer.js');
		},
	},
};

/** What is measured: the shipped build against `variant`, on `metrics`. */
const UNITS = [
	{name: 'meow', variant: 'noMeow', metrics: ['frame', 'train']},
	{name: 'lazyEmoji', variant: 'noLazyEmojiEdit', metrics: ['frame', 'train']},
	{name: 'segmenterInject', variant: 'noSegmenterInject', metrics: ['frame', 'train']},
	{name: 'cjs explorer', variant: 'esmExplorer', metrics: ['frame']},
];

const units = options.units === undefined ? UNITS : options.units.split(',').map((name) => UNITS.find((unit) => unit.name === name || unit.variant === name) ?? fail(`--units: no unit ${name}`));

function fail(message) {
	throw new Error(message);
}

// ---------------------------------------------------------------- building

/** The repository's files a build reads: all but .git, dist, node_modules and bench/data. */
function copyRepository(to) {
	const skip = new Set(['.git', 'dist', 'node_modules', join('bench', 'data')].map((path) => join(root, path)));
	for (const entry of readdirSync(root)) {
		cpSync(join(root, entry), join(to, entry), {recursive: true, filter: (source) => !skip.has(source)});
	}
}

async function buildVariant(name, scratch) {
	const variant = VARIANTS[name];
	log(`building ${name}`);
	// A fresh copy of the sources; node_modules (copied once) stays.
	for (const entry of readdirSync(scratch)) if (entry !== 'node_modules') rmSync(join(scratch, entry), {recursive: true, force: true});
	copyRepository(scratch);
	for (const [file, content] of Object.entries(variant.files ?? {})) writeFileSync(join(scratch, file), content);
	for (const [file, text, replacement] of variant.sources ?? []) {
		const code = readFileSync(join(scratch, file), 'utf8');
		if (code.split(text).length !== 2) throw new Error(`${name}: ${file} does not hold ${JSON.stringify(text)} exactly once`);
		writeFileSync(join(scratch, file), code.replace(text, () => replacement));
	}
	const built = spawnSync(process.execPath, [join(scratch, 'scripts', 'build.mjs')], {
		cwd: scratch,
		env: {...process.env, TOY_GPT_TUI_WITHOUT_EDITS: (variant.without ?? []).join(',')},
		encoding: 'utf8',
	});
	// A warning (esbuild's, or the explorer failing to run to write its code cache) fails too.
	if (built.status !== 0 || /warning/i.test(built.stderr)) throw new Error(`${name}: the build failed (${built.status}):\n${built.stdout}${built.stderr}`);
	await variant.check?.(join(scratch, 'dist'), scratch);
	const dist = join(out, name, 'dist');
	rmSync(join(out, name), {recursive: true, force: true});
	cpSync(join(scratch, 'dist'), dist, {recursive: true});
}

/**
 * The text of the bundles a metric runs (all of them without `metric`): the
 * first frame runs the launcher and the explorer, `train` everything else.
 */
function bundles(name, metric) {
	const dist = join(out, name, 'dist');
	const runs = (file) => file === 'cli.cjs' || metric === undefined || (metric === 'frame') === file.startsWith('explorer.');
	return readdirSync(dist)
		.filter((file) => /\.c?js$/.test(file) && runs(file))
		.sort()
		.map((file) => `${file}\n${readFileSync(join(dist, file), 'utf8')}`)
		.join('\n');
}

// ---------------------------------------------------------------- measuring

const trainDirs = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-edit-gains-'));

/** One run of variant `name` on `metric`, in milliseconds. */
function measure(name, metric) {
	const cli = join(out, name, 'dist', 'cli.cjs');
	if (metric === 'frame') {
		const run = spawnSync('python3', [join(root, 'bench', 'first-frame.py'), root, process.execPath, cli], {encoding: 'utf8'});
		const seconds = Number(run.stdout.trim());
		if (run.status !== 0 || !Number.isFinite(seconds)) throw new Error(`${name}: no first frame: ${run.stdout}${run.stderr}`);
		return seconds * 1000;
	}
	const dir = join(trainDirs, name);
	const start = performance.now();
	const run = spawnSync(process.execPath, [cli, 'train', '--artifacts', join(dir, 'a'), '--outputs', join(dir, 'o')], {cwd: root, stdio: ['ignore', 'ignore', 'pipe']});
	const ms = performance.now() - start;
	if (run.status !== 0) throw new Error(`${name}: train exited ${run.status}: ${run.stderr}`);
	return ms;
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32), so reruns resample alike. */
function random(seed) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The 95% percentile bootstrap interval of median(b) - median(a). */
function bootstrap(a, b, next = random(20260101)) {
	const resample = (values) => Array.from(values, () => values[Math.floor(next() * values.length)]);
	const diffs = Array.from({length: RESAMPLES}, () => median(resample(b)) - median(resample(a))).sort((x, y) => x - y);
	return [diffs[Math.floor(0.025 * (RESAMPLES - 1))], diffs[Math.ceil(0.975 * (RESAMPLES - 1))]];
}

function log(text) {
	process.stderr.write(`${text}\n`);
}

// ---------------------------------------------------------------- main

const needed = ['shipped', ...new Set(units.map((unit) => unit.variant))];
if (!options.reuse) {
	const scratch = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-edit-gains-build-'));
	try {
		log('copying node_modules to a scratch build folder');
		cpSync(join(root, 'node_modules'), join(scratch, 'node_modules'), {recursive: true, verbatimSymlinks: true});
		for (const name of needed) await buildVariant(name, scratch);
	} finally {
		rmSync(scratch, {recursive: true, force: true});
	}
	const shipped = bundles('shipped');
	for (const name of needed.slice(1)) if (bundles(name) === shipped) throw new Error(`${name}: the same bundles as the shipped build`);
}

const results = [];
try {
	for (const unit of units) {
		for (const metric of unit.metrics) {
			const a = [];
			const b = [];
			measure('shipped', metric);
			measure(unit.variant, metric);
			for (let i = 0; i < runs; i++) {
				a.push(measure('shipped', metric));
				b.push(measure(unit.variant, metric));
			}
			const gain = median(b) - median(a);
			const [low, high] = bootstrap(a, b);
			const keep = gain >= MIN_GAIN_MS && low > 0;
			// Where the variant runs the very same code, the row only shows the noise.
			const sameCode = bundles(unit.variant, metric) === bundles('shipped', metric);
			const row = {unit: unit.name, metric, variant: unit.variant, with: median(a), without: median(b), gain, low, high, keep, sameCode, a, b};
			results.push(row);
			log(`${unit.name} ${metric}: ${format(row)}`);
		}
	}
} finally {
	rmSync(trainDirs, {recursive: true, force: true});
	mkdirSync(out, {recursive: true});
	writeFileSync(join(out, 'results.json'), `${JSON.stringify({runs, resamples: RESAMPLES, results}, null, '\t')}\n`);
}

function format(row) {
	const ms = (value) => value.toFixed(1).padStart(6);
	return `${ms(row.with)} ${ms(row.without)} ${ms(row.gain)}  [${ms(row.low)}, ${ms(row.high)}]  ${row.keep ? 'keep' : 'drop'}${row.sameCode ? ' (same code: A/A)' : ''}`;
}

console.log(`medians of ${runs} runs each, A (shipped) and B (without the unit) alternating; ms; gain = B - A; 95% bootstrap CI (${RESAMPLES} resamples)`);
console.log(`${'unit'.padEnd(28)} ${'metric'.padEnd(6)}   with   w/out   gain  [  95% CI       ]  verdict`);
for (const row of results) console.log(`${row.unit.padEnd(28)} ${row.metric.padEnd(6)} ${format(row)}`);
