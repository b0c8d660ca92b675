/**
 * The benchmark's "attention (rung 600)" section (bench/bench.ts calls it;
 * `npm run bench -- --only attention` runs it alone). It mirrors
 * bench/embeddings.ts:
 *
 * 1. Whole processes on the series' analytics corpus at the series' defaults
 *    (context 2, d 16, h 16, lr 0.01, 100 epochs, clip 1, init 0.01, seed 0):
 *    `toy-gpt-tui train --model attention` against the pure-Python reference
 *    (test/reference/attention_reference.py), wall clock. The reference takes
 *    about a minute for 100 epochs here, so it runs twice in the full bench
 *    and, with --quick, not at all at 100 epochs: its 100-epoch time is then
 *    estimated from an --init-only run and a 10-epoch run (start and the
 *    initial draws once, the epochs times 10). The full bench does that
 *    estimate too, so the two can be compared.
 * 2. In-process on the embeddings bench's mid-size corpus (the first 100,000
 *    Brown tokens, the 2,000 most frequent kept, the rest `<unk>`): seconds
 *    an epoch of AttentionRun on one core, against a floor: the multiply-adds
 *    an epoch needs, each shape timed as a plain Float64Array loop over
 *    arrays of the model's sizes (the h×V passes over W_out and the d×h
 *    small matrices apart), a floor timing after each timing of the engine
 *    so that both see the same load on this shared machine. Also keys in the
 *    explorer while it trains this corpus (bench/keys.py, --model attention).
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {availableParallelism, cpus, tmpdir} from 'node:os';
import {join} from 'node:path';
import {count, fmt, median, MID_KEEP, MID_TOKENS, table, wallClock, writeMidCorpus} from './shared.js';
import {readCorpusFile, type Corpus} from '../source/text/corpus.js';
import {AttentionRun, type AttentionSettings} from '../source/models/attention/run.js';
import {seriesSoftmaxInPlace} from '../source/models/embeddings/model.js';

export interface AttentionBenchOptions {
	readonly root: string;
	readonly cli: string;
	readonly brownPath: string;
	readonly quick: boolean;
	readonly log: (text: string) => void;
}

const N = 2;
const D = 16;
const H = 16;
const LR = 0.01;
const EPOCHS = 100;
const CLIP = 1;
const INIT = 0.01;
const SEED = 0;
/** The epochs of the reference's short run, from which --quick estimates its 100. */
const SHORT_EPOCHS = 10;
const SETTINGS: AttentionSettings = {n: N, d: D, h: H, seed: SEED, initScale: INIT, clip: CLIP, exactGradient: false};




/**
 * Multiply-adds per training pair of the fast step (source/models/attention/
 * train.ts), split by the shape of the loop that does them:
 * - `wide`: the three passes over W_out (h rows of V): the scores, the
 *   clipped update, and ∂ctx's sum read back in the same pass: 3·h·V;
 * - `small`: the d×h projections in the forward, K and V for every position
 *   and Q for the last only ((2n+1)·d·h), and in the series' tail, for each
 *   position, W_V's and W_K's clipped updates and ∂e_t read back through
 *   them, and W_Q's at the last position ((4n+2)·d·h): (6n+3)·d·h;
 * - `attention`: the n·h products of the scores Q·K_j, of ctx, of ∂a and of
 *   ∂Q: 4·n·h.
 * Not counted: the V exponentials of the softmax (timed apart), the n of the
 * attention softmax, b's update (V clipped subtractions), E's and P's (2·n·d).
 */
function multiplyAddsPerPair(V: number): {wide: number; small: number; attention: number; total: number} {
	const wide = 3 * H * V;
	const small = (6 * N + 3) * D * H;
	const attention = 4 * N * H;
	return {wide, small, attention, total: wide + small + attention};
}

/**
 * The floor: the same number of multiply-adds as `pairs` training pairs,
 * done by a plain loop over Float64Arrays of the model's sizes,
 * y[j] += x_i·W[i·width + j] over every row i of a rows×width array,
 * repeated: over an h×V array for the passes over W_out, over a d×h array
 * for the rest (bench/embeddings.ts measures its floor with the same loop).
 * Timed in the same rounds as the engine, so that both see the same load.
 */
class Floor {
	private readonly loops: {readonly w: Float64Array; readonly x: Float64Array; readonly y: Float64Array; readonly rows: number; readonly width: number}[];
	readonly V: number;

	constructor(V: number) {
		this.V = V;
		const make = (rows: number, width: number) => {
			const w = new Float64Array(rows * width);
			for (let k = 0; k < w.length; k++) w[k] = ((k * 2654435761) % 1000) / 1e6 - 5e-4;
			const x = new Float64Array(rows);
			for (let i = 0; i < rows; i++) x[i] = (i % 7) / 100 - 0.03;
			return {w, x, y: new Float64Array(width), rows, width};
		};
		this.loops = [make(H, V), make(D, H)];
		this.time(2_000); // warm-up: optimised before timing
		this.time(2_000);
	}

	private sweep(which: number, repeats: number): number {
		const {w, x, y, rows, width} = this.loops[which]!;
		y.fill(0);
		const start = performance.now();
		for (let r = 0; r < repeats; r++) {
			for (let i = 0; i < rows; i++) {
				const a = x[i]!;
				const row = i * width;
				for (let j = 0; j < width; j++) y[j] += a * w[row + j]!;
			}
		}
		const seconds = (performance.now() - start) / 1000;
		if (y[0] === 12345) console.log(''); // the sums are used
		return seconds;
	}

	/** Seconds of `pairs` pairs' multiply-adds: the h×V part, the d×h part, and the rates they ran at. */
	time(pairs: number): FloorTime {
		const per = multiplyAddsPerPair(this.V);
		const wideRepeats = Math.max(1, Math.round((per.wide * pairs) / (H * this.V)));
		const smallRepeats = Math.max(1, Math.round(((per.small + per.attention) * pairs) / (D * H)));
		const wideSeconds = this.sweep(0, wideRepeats);
		const smallSeconds = this.sweep(1, smallRepeats);
		const wideRate = (wideRepeats * H * this.V) / wideSeconds;
		const smallRate = (smallRepeats * D * H) / smallSeconds;
		const wide = (per.wide * pairs) / wideRate;
		const small = ((per.small + per.attention) * pairs) / smallRate;
		return {wide, small, total: wide + small, wideRate, smallRate};
	}
}

interface FloorTime {
	readonly wide: number;
	readonly small: number;
	readonly total: number;
	readonly wideRate: number;
	readonly smallRate: number;
}

/** The median of each figure of several floor timings, scaled from `measured` pairs to `pairs`. */
function medianFloor(times: FloorTime[], measured: number, pairs: number): FloorTime {
	const scale = pairs / measured;
	const of = (key: keyof FloorTime) => median(times.map((t) => t[key]));
	return {wide: of('wide') * scale, small: of('small') * scale, total: of('total') * scale, wideRate: of('wideRate'), smallRate: of('smallRate')};
}

interface WholeProcesses {
	readonly tokens: number;
	readonly V: number;
	readonly pairs: number;
	readonly runs: number;
	readonly engine: number;
	readonly engineAll: number[];
	/** What toy-gpt-tui train reports as its training time ("trained in X s": the initial weights and the epochs). */
	readonly engineTrained: number | undefined;
	/** A bare `node -e 0`, run in the same rounds. */
	readonly node: number;
	/** The reference at 100 epochs, whole processes (none with --quick). */
	readonly python: number[];
	/** The reference's --init-only and SHORT_EPOCHS runs, and the 100-epoch estimate from them. */
	readonly pythonInit: number;
	readonly pythonShort: number;
	readonly pythonEstimate: number;
	/** toy-gpt-tui's train_log.csv the same bytes as the reference's, at 100 epochs (undefined with --quick) and at SHORT_EPOCHS. */
	readonly sameLog: boolean | undefined;
	readonly sameShortLog: boolean;
	/** In-process: seconds of the 100 epochs of a fresh AttentionRun (the first, cold, and the median of the others). */
	readonly inProcessCold: number;
	readonly inProcessWarm: number;
	/** In-process: seconds of a fresh AttentionRun's construction (the initial draws), the first time and warm. */
	readonly initialCold: number;
	readonly initialWarm: number;
	/** The floor of the 100 epochs' steps, timed after each in-process run. */
	readonly floor: FloorTime;
}

function wholeProcesses(options: AttentionBenchOptions, corpusPath: string): WholeProcesses {
	const {root, cli, quick, log} = options;
	const reference = join(root, 'test', 'reference', 'attention_reference.py');
	const common = ['--dim', String(D), '--head-dim', String(H), '--context', String(N), '--lr', String(LR), '--clip', String(CLIP), '--init-scale', String(INIT), '--seed', String(SEED)];
	const runs = quick ? 3 : 7;
	const pythonRuns = quick ? 0 : 2;
	const times = {engine: [] as number[], node: [] as number[], python: [] as number[]};
	const trained: number[] = [];
	const work = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-attention-'));
	const engine = (dir: string, epochs: number) => {
		const {seconds, stdout} = wallClock(process.execPath, [cli, 'train', '--model', 'attention', '--corpus', corpusPath, '--epochs', String(epochs), ...common, '--artifacts', join(dir, 'artifacts'), '--outputs', join(dir, 'outputs')], root, 900_000);
		const match = /trained in ([\d.]+) s/.exec(stdout);
		return {seconds, trained: match ? Number(match[1]) : undefined};
	};
	const python = (dir: string, epochs: number, initOnly = false) => wallClock('python3', [reference, corpusPath, dir, '--epochs', String(epochs), ...common, ...(initOnly ? ['--init-only'] : [])], root, 900_000).seconds;
	try {
		const programs = [
			{
				name: 'engine' as const,
				run: (dir: string) => {
					const result = engine(dir, EPOCHS);
					if (result.trained !== undefined) trained.push(result.trained);
					return result.seconds;
				},
			},
			{name: 'node' as const, run: () => wallClock(process.execPath, ['-e', '0'], root).seconds},
			{name: 'python' as const, run: (dir: string) => python(dir, EPOCHS)},
		];
		for (let r = 0; r < runs; r++) {
			log(`attention: analytics, whole processes, round ${r + 1} of ${runs}${r < pythonRuns ? ' (with the pure-Python reference, about a minute)' : ''}...`);
			// Each round in a different order, so that no program always follows the same one.
			for (let k = 0; k < programs.length; k++) {
				const program = programs[(k + r) % programs.length]!;
				if (program.name === 'python' && r >= pythonRuns) continue;
				times[program.name].push(program.run(join(work, `${program.name}-${r}`)));
			}
		}
		log(`attention: analytics, the reference's --init-only and ${SHORT_EPOCHS}-epoch runs, and toy-gpt-tui's ${SHORT_EPOCHS} epochs...`);
		const pythonInit = python(join(work, 'python-init'), 1, true);
		const pythonShort = python(join(work, 'python-short'), SHORT_EPOCHS);
		engine(join(work, 'engine-short'), SHORT_EPOCHS);
		const csv = (dir: string) => readFileSync(join(work, dir, 'outputs', 'train_log.csv'));
		const sameShortLog = csv('engine-short').equals(csv('python-short'));
		const sameLog = pythonRuns > 0 ? csv('engine-0').equals(csv('python-0')) : undefined;

		// In-process: the same run without Node's start and the files, and the floor of its steps.
		log('attention: analytics, in-process runs and the multiply-add floor at its sizes...');
		const corpus = readCorpusFile(corpusPath);
		const V = corpus.vocabulary.tokens.length;
		const pairs = corpus.ids.length - N;
		const inProcess: number[] = [];
		const initial: number[] = [];
		const floorTimes: FloorTime[] = [];
		let floor: Floor | undefined;
		for (let t = 0; t < (quick ? 3 : 5); t++) {
			const start = performance.now();
			const run = new AttentionRun(corpus.vocabulary, corpus.ids, SETTINGS, LR);
			initial.push((performance.now() - start) / 1000);
			for (let e = 0; e < EPOCHS; e++) run.epoch();
			inProcess.push((performance.now() - start) / 1000);
			floor ??= new Floor(V);
			floorTimes.push(floor.time(pairs * EPOCHS));
		}
		return {
			tokens: corpus.ids.length,
			V,
			pairs,
			runs,
			engine: median(times.engine),
			engineAll: times.engine,
			engineTrained: trained.length === runs ? median(trained) : undefined,
			node: median(times.node),
			python: times.python,
			pythonInit,
			pythonShort,
			pythonEstimate: pythonInit + (EPOCHS / SHORT_EPOCHS) * (pythonShort - pythonInit),
			sameLog,
			sameShortLog,
			inProcessCold: inProcess[0]!,
			inProcessWarm: median(inProcess.slice(1)),
			initialCold: initial[0]!,
			initialWarm: median(initial.slice(1)),
			floor: medianFloor(floorTimes, 1, 1),
		};
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
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
	/** The floor of an epoch: the median of timings of `floorPairs` pairs' multiply-adds, one after each timing of the engine, scaled. */
	readonly floor: FloorTime;
	readonly floorPairs: number;
	/** Each engine timing over the floor timing after it. */
	readonly ratios: number[];
	/** Seconds an epoch of the forward pass alone (AttentionModel.path) and of the softmax alone, from timings of the same pairs. */
	readonly forward: number;
	readonly softmax: number;
	readonly firstLoss: number | undefined;
	/** Milliseconds from each key to its frame while the explorer trains this corpus's attention model (bench/keys.py), run by run, or why not. */
	readonly keys: number[][] | string;
}

function midSize(options: AttentionBenchOptions): MidSize {
	const {brownPath, quick, log} = options;
	const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-bench-attention-'));
	try {
		log('attention: mid-size corpus (first 100,000 Brown tokens, 2,000 kept, the rest <unk>)...');
		const corpusPath = writeMidCorpus(brownPath, dir);
		const corpus: Corpus = readCorpusFile(corpusPath);
		const run = new AttentionRun(corpus.vocabulary, corpus.ids, SETTINGS, LR);
		const {V} = run.model;
		const pairs = run.pairCount;
		const times: number[] = [];
		let measuredPairs: number;
		let wholeEpochs: boolean;
		let firstLoss: number | undefined;
		const floor = new Floor(V);
		const floorPairs = quick ? 10_000 : 25_000;
		const floorTimes: FloorTime[] = [];
		const ratios: number[] = [];
		const timeFloor = () => {
			const time = floor.time(floorPairs);
			floorTimes.push(time);
			ratios.push(times.at(-1)! / ((time.total * pairs) / floorPairs));
		};
		if (quick) {
			// 10,000 pairs at a time, after 2,000 to warm the code up; scaled to an epoch.
			measuredPairs = 10_000;
			wholeEpochs = false;
			run.advance(2_000);
			for (let t = 0; t < 3; t++) {
				log(`attention: mid-size, ${count(measuredPairs)} pairs, timing ${t + 1} of 3...`);
				const start = performance.now();
				run.advance(measuredPairs);
				times.push(((performance.now() - start) / 1000) * (pairs / measuredPairs));
				timeFloor();
			}
		} else {
			measuredPairs = pairs;
			wholeEpochs = true;
			for (let t = 0; t < 3; t++) {
				log(`attention: mid-size, epoch ${t + 1} of 3 (about half a minute each here), then the floor of ${count(floorPairs)} pairs...`);
				const start = performance.now();
				const result = run.epoch();
				times.push((performance.now() - start) / 1000);
				if (t === 0) firstLoss = result.avgLoss;
				timeFloor();
			}
		}
		// Where a step's time goes: the forward pass and the softmax alone, on the same model and pairs.
		log('attention: mid-size, the forward pass and the softmax alone...');
		const model = run.model;
		const s = new Float64Array(V);
		const sample = Math.min(pairs, quick ? 5_000 : 20_000);
		const context = new Int32Array(N);
		const forwardTimes: number[] = [];
		const softmaxTimes: number[] = [];
		let sink = 0;
		for (let t = 0; t < 4; t++) {
			let start = performance.now();
			for (let k = 0; k < sample; k++) {
				for (let q = 0; q < N; q++) context[q] = corpus.ids[k + q]!;
				sink += model.path(context).p[0]!;
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
		if (sink === 12345) console.log('');
		// A fresh explorer each run: 20 keys while it trains (2, then 4, ten times).
		let keys: number[][] | string = [];
		const keyRuns = quick ? 1 : 3;
		for (let r = 0; r < keyRuns && typeof keys !== 'string'; r++) {
			log(`attention: keys in the explorer while it trains this corpus (bench/keys.py), run ${r + 1} of ${keyRuns}...`);
			const keysRun = spawnSync('python3', [join(options.root, 'bench', 'keys.py'), dir, 'train', process.execPath, options.cli, '--model', 'attention', '--corpus', corpusPath, '--epochs', '1'], {encoding: 'utf8', timeout: 300_000});
			if (keysRun.status === 0) keys.push(JSON.parse(keysRun.stdout) as number[]);
			else keys = `bench/keys.py failed: ${(keysRun.stderr || keysRun.stdout || String(keysRun.error)).trim().split('\n').at(-1)}`;
		}
		return {
			keys,
			tokens: corpus.ids.length,
			V,
			pairs,
			epoch: median(times),
			measuredPairs,
			timings: times.length,
			wholeEpochs,
			multiplyAdds: multiplyAddsPerPair(V).total * pairs,
			floor: medianFloor(floorTimes, floorPairs, pairs),
			floorPairs,
			ratios,
			forward: median(forwardTimes),
			softmax: median(softmaxTimes),
			firstLoss,
		};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** The section's lines, ready to print. */
export function attentionSection(options: AttentionBenchOptions): string[] {
	const {root, brownPath, quick} = options;
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const out: string[] = [];
	out.push(`attention (rung 600): ${cpu}, ${availableParallelism()} cores, Node ${process.version}; context ${N}, d ${D}, h ${H}, lr ${LR}, clip ${CLIP}, init ${INIT}, seed ${SEED}; medians`);
	out.push('');
	const passed = (ok: boolean) => (ok ? 'met    ' : 'MISSED ');

	const analytics = join(root, '..', 'shared', 'reference', 'train-600-attention', 'corpus', '004_analytics.txt');
	let whole: WholeProcesses | undefined;
	if (existsSync(analytics)) whole = wholeProcesses(options, analytics);
	else out.push(`(whole processes skipped: the series' analytics corpus is not at ${analytics})`);

	let mid: MidSize | undefined;
	if (existsSync(brownPath)) mid = midSize(options);
	else out.push(`(mid-size corpus skipped: no Brown text at ${brownPath})`);

	if (whole) {
		const measured = whole.python.length > 0;
		const python = measured ? median(whole.python) : whole.pythonEstimate;
		const ratio = python / whole.engine;
		const pythonHow = measured ? `median of ${whole.python.length}` : `estimated from ${SHORT_EPOCHS} epochs`;
		out.push(`whole processes, ${EPOCHS} epochs on the series' analytics corpus, wall clock; toy-gpt-tui median of ${whole.runs} runs, the reference ${pythonHow}, interleaved:`);
		out.push('');
		out.push(
			...table(
				['corpus', 'tokens', 'V', 'pairs', 'toy-gpt-tui train', 'pure Python reference', 'ratio'],
				[[
					'analytics',
					count(whole.tokens),
					count(whole.V),
					count(whole.pairs),
					`${fmt(whole.engine)} s`,
					`${fmt(python, 2)} s (${pythonHow})`,
					`${fmt(ratio, 1)}x`,
				]],
			),
		);
		out.push('');
		out.push(`${passed(ratio >= 50)} analytics, whole process: pure Python reference / toy-gpt-tui train: ${fmt(ratio, 1)}x (target at least 50x)`);
		out.push(
			`(toy-gpt-tui's runs: ${whole.engineAll.map((x) => fmt(x, 2)).join(', ')} s; a bare \`node -e 0\` takes ${fmt(whole.node)} s here` +
				`${whole.engineTrained === undefined ? '' : `, and it reports ${fmt(whole.engineTrained)} s for training (the initial weights and the ${EPOCHS} epochs)`})`,
		);
		out.push(
			`(the reference: ${measured ? `${whole.python.map((x) => fmt(x, 2)).join(' and ')} s at ${EPOCHS} epochs; ` : ''}` +
				`--init-only ${fmt(whole.pythonInit, 2)} s and ${SHORT_EPOCHS} epochs ${fmt(whole.pythonShort, 2)} s, so ${EPOCHS} epochs estimated at ${fmt(whole.pythonEstimate, 2)} s` +
				`${measured ? '' : ' (--quick does not run the reference at 100 epochs)'})`,
		);
		out.push(
			`(toy-gpt-tui's train_log.csv is ${whole.sameShortLog ? 'byte for byte' : 'NOT'} the reference's at ${SHORT_EPOCHS} epochs` +
				`${whole.sameLog === undefined ? '' : ` and ${whole.sameLog ? 'byte for byte' : 'NOT'} the reference's at ${EPOCHS}`})`,
		);
		out.push(
			`(in-process, without Node's start and the files: a fresh run (the initial weights and ${EPOCHS} epochs) takes ${fmt(whole.inProcessCold)} s the first time and ${fmt(whole.inProcessWarm)} s warm, ` +
				`of which the initial weights ${fmt(whole.initialCold)} s the first time and ${fmt(whole.initialWarm)} s warm; ` +
				`the floor of the epochs' multiply-adds (${count(multiplyAddsPerPair(whole.V).total)} a pair × ${count(whole.pairs * EPOCHS)} steps), timed after each run, is ${fmt(whole.floor.total)} s: ` +
				`${fmt(whole.floor.wide)} s for the h×V passes at ${fmt(whole.floor.wideRate / 1e9, 2)} G/s and ${fmt(whole.floor.small)} s for the d×h ones at ${fmt(whole.floor.smallRate / 1e9, 2)} G/s; ` +
				`warm epochs against it: ${fmt((whole.inProcessWarm - whole.initialWarm) / whole.floor.total, 2)}x)`,
		);
		out.push('');
	}
	if (mid) {
		const ratio = mid.epoch / mid.floor.total;
		const ratios = [...mid.ratios].sort((a, b) => a - b);
		const per = multiplyAddsPerPair(mid.V);
		const how = mid.wholeEpochs ? `${mid.timings} whole epochs of one run` : `${mid.timings} stretches of ${count(mid.measuredPairs)} pairs, scaled to the epoch's ${count(mid.pairs)}`;
		out.push(`in-process, one core: AttentionRun on the first ${count(MID_TOKENS)} Brown tokens, the ${count(MID_KEEP)} most frequent kept, the rest <unk> (median of ${how}):`);
		out.push('');
		out.push(
			...table(
				['corpus', 'tokens', 'V', 'pairs', 'multiply-adds an epoch', 's/epoch 1 core', 'pairs/s', 'floor s/epoch', 'ratio to floor'],
				[[
					'Brown 100k, 2,000 kept',
					count(mid.tokens),
					count(mid.V),
					count(mid.pairs),
					count(mid.multiplyAdds),
					fmt(mid.epoch, 2),
					count(Math.round(mid.pairs / mid.epoch)),
					fmt(mid.floor.total, 2),
					`${fmt(ratio, 2)}x`,
				]],
			),
		);
		out.push('');
		out.push(`${passed(ratio <= 3)} Brown 100k/2,000, an epoch against the multiply-add floor: ${fmt(ratio, 2)}x (target at most 3x; each timing over the floor's after it: ${ratios.map((r) => `${fmt(r, 2)}x`).join(', ')})`);
		if (typeof mid.keys === 'string') out.push(`(keys while it trains: ${mid.keys})`);
		else {
			const all = mid.keys.flat();
			const worst = Math.max(...all);
			out.push(
				`${passed(worst <= 100)} keys in the explorer while it trains this corpus (--model attention, 80x24): median ${fmt(median(all), 1)} ms, slowest ${fmt(worst, 1)} ms of ${all.length}` +
					`${mid.keys.length > 1 ? ` in ${mid.keys.length} runs` : ''} (target at most 100 ms)`,
			);
			for (const [r, run] of mid.keys.entries()) {
				out.push(`(keys${mid.keys.length > 1 ? `, run ${r + 1}` : ''}, in the order pressed (2 then 4, ten times), ms: ${run.map((k) => fmt(k, 0)).join(', ')})`);
			}
		}
		out.push(
			`(the floor: ${count(per.total)} multiply-adds a pair, 3·h·V = ${count(per.wide)} in the passes over W_out (the scores, the clipped update, ∂ctx's sum) at the ${fmt(mid.floor.wideRate / 1e9, 2)} G/s ` +
				`a plain loop y[j] += x·W[i·V + j] over a ${H}×${count(mid.V)} Float64Array runs here (${fmt(mid.floor.wide, 2)} s), and (6n+3)·d·h + 4·n·h = ${count(per.small + per.attention)} ` +
				`in the projections, the small matrices' updates and gradients and the attention, at the ${fmt(mid.floor.smallRate / 1e9, 2)} G/s the same loop runs over ${D}×${H} (${fmt(mid.floor.small, 2)} s); × ${count(mid.pairs)} pairs; ` +
				`timed as ${count(mid.floorPairs)} pairs' worth after each timing of the engine, scaled)`,
		);
		const rest = Math.max(0, mid.epoch - mid.forward);
		out.push(
			`(where an epoch goes: the forward pass alone (AttentionModel.path: the scores over W_out and their softmax, with Q projected at every position and its arrays allocated) ${fmt(mid.forward, 2)} s, ` +
				`of which the softmax (${count(mid.V)} exps and a compensated sum a pair, timed alone) about ${fmt(mid.softmax, 2)} s; the rest of the step (the clipped update of W_out fused with ∂ctx's compensated sum, b, the small matrices) about ${fmt(rest, 2)} s; ` +
				`the floor plus the softmax: ${fmt(mid.floor.total + mid.softmax, 2)} s, against which an epoch is ${fmt(mid.epoch / (mid.floor.total + mid.softmax), 2)}x)`,
		);
		out.push(
			`(one core: the trainer is sequential, each step needs the one before, so ${availableParallelism()} cores give the same figure` +
				`${mid.firstLoss === undefined ? '' : `; first epoch's avg_loss ${fmt(mid.firstLoss, 6)}`})`,
		);
	}
	if (quick) out.push(`(--quick: fewer runs, the reference's ${EPOCHS} epochs estimated from ${SHORT_EPOCHS}, and the mid-size epoch from stretches of pairs)`);
	return out;
}
