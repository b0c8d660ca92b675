/**
 * The benchmark's "embeddings (rung 500)" section (bench/bench.ts calls it;
 * `npm run bench -- --only embeddings` runs it alone).
 *
 * 1. Whole processes on the series' analytics corpus at the series' defaults
 *    (50 epochs, d 16, context 2, lr 0.01): `toy-gpt-tui train --model
 *    embeddings` against the pure-Python reference
 *    (test/reference/embeddings_reference.py) and, when NumPy imports,
 *    bench/embeddings_numpy.py, interleaved run by run, wall clock.
 * 2. In-process on a mid-size corpus (the first 100,000 Brown tokens, the
 *    2,000 most frequent kept, the rest `<unk>`): seconds an epoch of
 *    EmbeddingsRun on one core, against a floor: the multiply-adds an epoch
 *    needs (3·n·d·V a pair: the scores, W's update, E's gradient) at the
 *    rate a plain multiply-add loop over Float64Arrays runs here.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {availableParallelism, cpus, tmpdir} from 'node:os';
import {join} from 'node:path';
import {count, fmt, median, MID_KEEP, MID_TOKENS, table, wallClock, writeMidCorpus} from './shared.js';
import {readCorpusFile} from '../source/text/corpus.js';
import {EmbeddingsRun} from '../source/models/embeddings/run.js';
import {seriesSoftmaxInPlace} from '../source/models/embeddings/model.js';

export interface EmbeddingsBenchOptions {
	readonly root: string;
	readonly cli: string;
	readonly brownPath: string;
	readonly quick: boolean;
	readonly log: (text: string) => void;
}

const D = 16;
const N = 2;
const LR = 0.01;
const EPOCHS = 50;




interface Log {
	readonly loss: number[];
	readonly accuracy: number[];
}

function logOfJson(path: string): Log {
	const log = (JSON.parse(readFileSync(path, 'utf8')) as {log: [number, number, number][]}).log;
	return {loss: log.map((r) => r[1]), accuracy: log.map((r) => r[2])};
}

function largestDifference(a: number[], b: number[]): number {
	if (a.length !== b.length) return Infinity;
	let largest = 0;
	for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
	return largest;
}

interface WholeProcesses {
	readonly tokens: number;
	readonly V: number;
	readonly runs: number;
	readonly engine: number;
	/** What toy-gpt-tui train reports as its training time ("trained in X s": the initial weights and the epochs). */
	readonly engineTrained: number | undefined;
	/** A bare `node -e 0`, run in the same rounds. */
	readonly node: number;
	readonly python: number;
	readonly numpy: number | undefined;
	readonly numpyNote: string | undefined;
	/** toy-gpt-tui's train_log.csv the same bytes as the reference's. */
	readonly sameLog: boolean;
	/** NumPy's full-precision log against the reference's: largest |Δ avg_loss|, |Δ accuracy|. */
	readonly numpyLossDiff: number | undefined;
	readonly numpyAccuracyDiff: number | undefined;
	/** NumPy's train_log.csv the same bytes as the reference's (8 digits of loss, 6 of accuracy). */
	readonly numpySameCsv: boolean | undefined;
}

/** NumPy for python3: already there, or installed once with apt-get; else why not. */
function numpyAvailable(log: (text: string) => void): string | undefined {
	const tryImport = () => spawnSync('python3', ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0;
	if (tryImport()) return undefined;
	log('embeddings: python3 cannot import numpy; trying apt-get install -y python3-numpy once...');
	const apt = spawnSync('apt-get', ['install', '-y', 'python3-numpy'], {stdio: 'ignore', timeout: 600_000});
	if (apt.status === 0 && tryImport()) return undefined;
	return 'NumPy skipped: python3 cannot import numpy and apt-get install python3-numpy did not fix that';
}

function wholeProcesses(options: EmbeddingsBenchOptions, corpusPath: string): WholeProcesses {
	const {root, cli, quick, log} = options;
	const numpyNote = numpyAvailable(log);
	const reference = join(root, 'test', 'reference', 'embeddings_reference.py');
	const numpyScript = join(root, 'bench', 'embeddings_numpy.py');
	const settings = ['--epochs', String(EPOCHS), '--dim', String(D), '--context', String(N), '--lr', String(LR)];
	const runs = quick ? 3 : 7;
	const times = {engine: [] as number[], node: [] as number[], python: [] as number[], numpy: [] as number[]};
	const trained: number[] = [];
	const work = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-embeddings-'));
	try {
		const programs = [
			{
				name: 'engine' as const,
				run: (dir: string) => {
					const {seconds, stdout} = wallClock(process.execPath, [cli, 'train', '--model', 'embeddings', '--corpus', corpusPath, ...settings, '--artifacts', join(dir, 'artifacts'), '--outputs', join(dir, 'outputs')], root);
					const match = /trained in ([\d.]+) s/.exec(stdout);
					if (match) trained.push(Number(match[1]));
					return seconds;
				},
			},
			{name: 'node' as const, run: () => wallClock(process.execPath, ['-e', '0'], root).seconds},
			{name: 'python' as const, run: (dir: string) => wallClock('python3', [reference, corpusPath, dir, ...settings], root).seconds},
			...(numpyNote ? [] : [{name: 'numpy' as const, run: (dir: string) => wallClock('python3', [numpyScript, corpusPath, dir, ...settings], root).seconds}]),
		];
		for (let r = 0; r < runs; r++) {
			log(`embeddings: analytics, whole processes, round ${r + 1} of ${runs}...`);
			// Each round in a different order, so that no program always follows the same one.
			for (let k = 0; k < programs.length; k++) {
				const program = programs[(k + r) % programs.length]!;
				const dir = join(work, `${program.name}-${r}`);
				times[program.name].push(program.run(dir));
			}
		}
		const referenceCsv = join(work, 'python-0', 'outputs', 'train_log.csv');
		const sameLog = readFileSync(join(work, 'engine-0', 'outputs', 'train_log.csv')).equals(readFileSync(referenceCsv));
		let numpyLossDiff: number | undefined;
		let numpyAccuracyDiff: number | undefined;
		let numpySameCsv: boolean | undefined;
		if (!numpyNote) {
			const a = logOfJson(join(work, 'python-0', 'full.json'));
			const b = logOfJson(join(work, 'numpy-0', 'full.json'));
			numpyLossDiff = largestDifference(a.loss, b.loss);
			numpyAccuracyDiff = largestDifference(a.accuracy, b.accuracy);
			numpySameCsv = readFileSync(join(work, 'numpy-0', 'outputs', 'train_log.csv')).equals(readFileSync(referenceCsv));
		}
		const tokens = readFileSync(corpusPath, 'utf8').split(/\s+/).filter(Boolean);
		return {
			tokens: tokens.length,
			V: new Set(tokens).size,
			runs,
			engine: median(times.engine),
			engineTrained: trained.length === runs ? median(trained) : undefined,
			node: median(times.node),
			python: median(times.python),
			numpy: numpyNote ? undefined : median(times.numpy),
			numpyNote,
			sameLog,
			numpyLossDiff,
			numpyAccuracyDiff,
			numpySameCsv,
		};
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}


/**
 * Multiply-adds a second of a plain loop over Float64Arrays, the shape of the
 * forward pass: s[j] += a·w[i·V + j] over every row i of an (n·d)×V array,
 * repeated; the median of several timings after a warm-up.
 */
function multiplyAddRate(V: number, inputs: number, totalTarget: number, timings: number): number {
	const w = new Float64Array(inputs * V);
	for (let k = 0; k < w.length; k++) w[k] = ((k * 2654435761) % 1000) / 1e6 - 5e-4;
	const h = new Float64Array(inputs);
	for (let i = 0; i < inputs; i++) h[i] = (i % 7) / 100 - 0.03;
	const s = new Float64Array(V);
	const sweep = (repeats: number) => {
		for (let r = 0; r < repeats; r++) {
			for (let i = 0; i < inputs; i++) {
				const a = h[i]!;
				const row = i * V;
				for (let j = 0; j < V; j++) s[j] += a * w[row + j]!;
			}
		}
	};
	const repeats = Math.max(1, Math.round(totalTarget / (inputs * V)));
	sweep(Math.max(1, repeats >> 2)); // warm-up: optimised before timing
	const rates: number[] = [];
	for (let t = 0; t < timings; t++) {
		s.fill(0);
		const start = performance.now();
		sweep(repeats);
		rates.push((repeats * inputs * V) / ((performance.now() - start) / 1000));
	}
	if (s[0] === 12345) console.log(''); // the sums are used
	return median(rates);
}

interface MidSize {
	readonly tokens: number;
	readonly V: number;
	readonly pairs: number;
	/** Seconds an epoch, measured (whole epochs, or a stretch of pairs scaled). */
	readonly epoch: number;
	readonly measuredPairs: number;
	readonly timings: number;
	readonly wholeEpochs: boolean;
	readonly multiplyAdds: number;
	readonly rate: number;
	readonly floor: number;
	/** Seconds an epoch of the forward pass alone (scores) and of the softmax alone, from timings of the same pairs. */
	readonly forward: number;
	readonly softmax: number;
	readonly firstLoss: number | undefined;
	/** Milliseconds from each key to its frame while the explorer trains this corpus's embeddings model (bench/keys.py), or why not. */
	readonly keys: number[] | string;
}

function midSize(options: EmbeddingsBenchOptions): MidSize {
	const {brownPath, quick, log} = options;
	const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-embeddings-'));
	try {
		log('embeddings: mid-size corpus (first 100,000 Brown tokens, 2,000 kept, the rest <unk>)...');
		const corpusPath = writeMidCorpus(brownPath, dir);
		const corpus = readCorpusFile(corpusPath);
		const make = () => new EmbeddingsRun(corpus.vocabulary, corpus.ids, {n: N, d: D, seed: 0, initScale: 0.01, exactGradient: false}, LR);
		const run = make();
		const {V, n, d} = run.model;
		const pairs = run.pairCount;
		const times: number[] = [];
		let measuredPairs: number;
		let wholeEpochs: boolean;
		let firstLoss: number | undefined;
		if (quick) {
			// 10,000 pairs at a time, after 2,000 to warm the code up; scaled to an epoch.
			measuredPairs = 10_000;
			wholeEpochs = false;
			run.advance(2_000);
			for (let t = 0; t < 3; t++) {
				log(`embeddings: mid-size, ${count(measuredPairs)} pairs, timing ${t + 1} of 3...`);
				const start = performance.now();
				run.advance(measuredPairs);
				times.push(((performance.now() - start) / 1000) * (pairs / measuredPairs));
			}
		} else {
			measuredPairs = pairs;
			wholeEpochs = true;
			for (let t = 0; t < 3; t++) {
				log(`embeddings: mid-size, epoch ${t + 1} of 3 (about half a minute each here)...`);
				const start = performance.now();
				const result = run.epoch();
				times.push((performance.now() - start) / 1000);
				if (t === 0) firstLoss = result.avgLoss;
			}
		}
		// Where a step's time goes: the forward pass and the softmax alone, on the same model and pairs.
		log('embeddings: mid-size, the forward pass and the softmax alone...');
		const model = run.model;
		const h = new Float64Array(n * d);
		const s = new Float64Array(V);
		const sample = Math.min(pairs, quick ? 5_000 : 20_000);
		const context = new Int32Array(n);
		const forwardTimes: number[] = [];
		const softmaxTimes: number[] = [];
		for (let t = 0; t < 4; t++) {
			let start = performance.now();
			for (let k = 0; k < sample; k++) {
				for (let q = 0; q < n; q++) context[q] = corpus.ids[k + q]!;
				model.scoresOf(model.concatenate(context, h), s);
			}
			const forward = ((performance.now() - start) / 1000) * (pairs / sample);
			start = performance.now();
			for (let k = 0; k < sample; k++) {
				s.fill(k % 3);
				seriesSoftmaxInPlace(s);
			}
			const softmax = ((performance.now() - start) / 1000) * (pairs / sample);
			if (t > 0) {
				forwardTimes.push(forward);
				softmaxTimes.push(softmax);
			}
		}
		log('embeddings: the multiply-add floor...');
		const rate = multiplyAddRate(V, n * d, quick ? 5e8 : 2e9, 5);
		const multiplyAdds = 3 * n * d * V * pairs;
		log('embeddings: keys in the explorer while it trains this corpus (bench/keys.py)...');
		const keysRun = spawnSync('python3', [join(options.root, 'bench', 'keys.py'), dir, 'train', process.execPath, options.cli, '--model', 'embeddings', '--corpus', corpusPath, '--epochs', '1'], {encoding: 'utf8', timeout: 300_000});
		const keys = keysRun.status === 0 ? (JSON.parse(keysRun.stdout) as number[]) : `bench/keys.py failed: ${(keysRun.stderr || keysRun.stdout || String(keysRun.error)).trim().split('\n').at(-1)}`;
		return {
			keys,
			tokens: corpus.ids.length,
			V,
			pairs,
			epoch: median(times),
			measuredPairs,
			timings: times.length,
			wholeEpochs,
			multiplyAdds,
			rate,
			floor: multiplyAdds / rate,
			forward: median(forwardTimes),
			softmax: median(softmaxTimes),
			firstLoss,
		};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** The section's lines, ready to print. */
export function embeddingsSection(options: EmbeddingsBenchOptions): string[] {
	const {root, brownPath, quick} = options;
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const out: string[] = [];
	out.push(`embeddings (rung 500): ${cpu}, ${availableParallelism()} cores, Node ${process.version}; d ${D}, context ${N}, lr ${LR}, seed 0; medians`);
	out.push('');
	const passed = (ok: boolean) => (ok ? 'met    ' : 'MISSED ');

	const analytics = join(root, '..', 'shared', 'reference', 'train-500-embeddings', 'corpus', '004_analytics.txt');
	let whole: WholeProcesses | undefined;
	if (existsSync(analytics)) whole = wholeProcesses(options, analytics);
	else out.push(`(whole processes skipped: the series' analytics corpus is not at ${analytics})`);

	let mid: MidSize | undefined;
	if (existsSync(brownPath)) mid = midSize(options);
	else out.push(`(mid-size corpus skipped: no Brown text at ${brownPath})`);

	if (whole) {
		const ratio = whole.python / whole.engine;
		out.push(`whole processes, ${EPOCHS} epochs on the series' analytics corpus, wall clock, median of ${whole.runs} interleaved runs each:`);
		out.push('');
		out.push(
			...table(
				['corpus', 'tokens', 'V', 'pairs', 'toy-gpt-tui train', 'pure Python reference', 'ratio', 'NumPy', 'ratio'],
				[
					[
						'analytics',
						count(whole.tokens),
						count(whole.V),
						count(whole.tokens - N),
						`${fmt(whole.engine)} s`,
						`${fmt(whole.python, 2)} s`,
						`${fmt(ratio, 1)}x`,
						whole.numpy === undefined ? '-' : `${fmt(whole.numpy)} s`,
						whole.numpy === undefined ? '-' : `${fmt(whole.numpy / whole.engine, 1)}x`,
					],
				],
			),
		);
		out.push('');
		out.push(`${passed(ratio >= 50)} analytics, whole process: pure Python reference / toy-gpt-tui train: ${fmt(ratio, 1)}x (target at least 50x)`);
		out.push(
			`(toy-gpt-tui's train_log.csv is ${whole.sameLog ? 'byte for byte' : 'NOT'} the reference's; of its ${fmt(whole.engine)} s, a bare \`node -e 0\` takes ${fmt(whole.node)} s here` +
				`${whole.engineTrained === undefined ? '' : ` and it reports ${fmt(whole.engineTrained)} s for training (the initial weights and the ${EPOCHS} epochs)`})`,
		);
		if (whole.numpyNote) out.push(`(${whole.numpyNote})`);
		else
			out.push(
				`(NumPy, bench/embeddings_numpy.py, not bit-exact: its train log differs from the reference's by at most ${whole.numpyLossDiff!.toExponential(1)} in avg_loss and ${whole.numpyAccuracyDiff!.toExponential(1)} in accuracy; ` +
					`its train_log.csv is ${whole.numpySameCsv ? 'byte for byte the reference\'s' : 'NOT the reference\'s byte for byte'})`,
			);
		out.push('');
	}
	if (mid) {
		const ratio = mid.epoch / mid.floor;
		const rest = Math.max(0, mid.epoch - mid.forward - mid.softmax);
		const how = mid.wholeEpochs ? `${mid.timings} whole epochs of one run` : `${mid.timings} stretches of ${count(mid.measuredPairs)} pairs, scaled to the epoch's ${count(mid.pairs)}`;
		out.push(`in-process, one core: EmbeddingsRun on the first ${count(MID_TOKENS)} Brown tokens, the ${count(MID_KEEP)} most frequent kept, the rest <unk> (median of ${how}):`);
		out.push('');
		out.push(
			...table(
				['corpus', 'tokens', 'V', 'pairs', 'multiply-adds an epoch', 's/epoch 1 core', 'pairs/s', 'floor s/epoch', 'ratio to floor'],
				[
					[
						'Brown 100k, 2,000 kept',
						count(mid.tokens),
						count(mid.V),
						count(mid.pairs),
						count(mid.multiplyAdds),
						fmt(mid.epoch, 2),
						count(Math.round(mid.pairs / mid.epoch)),
						fmt(mid.floor, 2),
						`${fmt(ratio, 2)}x`,
					],
				],
			),
		);
		out.push('');
		out.push(`${passed(ratio <= 3)} Brown 100k/2,000, an epoch against the multiply-add floor: ${fmt(ratio, 2)}x (target at most 3x)`);
		if (typeof mid.keys === 'string') out.push(`(keys while it trains: ${mid.keys})`);
		else {
			const worst = Math.max(...mid.keys);
			out.push(`${passed(worst <= 100)} keys in the explorer while it trains this corpus (--model embeddings, 80x24): median ${fmt(median(mid.keys), 1)} ms, slowest ${fmt(worst, 1)} ms of ${mid.keys.length} (target at most 100 ms)`);
		}
		out.push(
			`(the floor: 3·n·d·V = ${count(3 * N * D * mid.V)} multiply-adds a pair (the scores, W's update, E's gradient) × ${count(mid.pairs)} pairs, ` +
				`at the ${fmt(mid.rate / 1e9, 2)} G multiply-adds/s a plain Float64Array loop s[j] += a·w[j] runs here)`,
		);
		out.push(
			`(where an epoch goes: the forward pass alone ${fmt(mid.forward, 2)} s (${fmt(mid.forward / (mid.floor / 3), 2)}x its third of the floor), the softmax alone ${fmt(mid.softmax, 2)} s, ` +
				`so about ${fmt(rest, 2)} s (${fmt(rest / ((2 * mid.floor) / 3), 2)}x its two thirds of the floor) in the fused pass over W (the update and the compensated sum) and the rest of the step)`,
		);
		out.push(
			`(one core: the trainer is sequential, each step needs the one before and the engine has no parallel path for this model, so ${availableParallelism()} cores give the same figure` +
				`${mid.firstLoss === undefined ? '' : `; first epoch's avg_loss ${fmt(mid.firstLoss, 6)}`})`,
		);
	}
	if (quick) out.push('(--quick: fewer runs, and the mid-size epoch from stretches of pairs)');
	return out;
}
