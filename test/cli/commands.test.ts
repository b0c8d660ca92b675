/**
 * The headless commands tokenize, vocab and train, run as a user runs them,
 * plus --help, --version and the explorer's refusal without a terminal.
 */
import {cpSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {ANIMALS, lines, ROOT, run, tempDirs, type RunResult} from './helpers.js';

// Spawning is slow on a loaded machine: allow for it.
vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000});

const makeDir = tempDirs();
const TINY = 'a b a c a b\n';

describe('tokenize', () => {
	let dir: string;
	let text: RunResult;
	let json: RunResult;
	let fallback: RunResult;

	beforeAll(async () => {
		dir = makeDir();
		cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), {recursive: true});
		const empty = makeDir();
		[text, json, fallback] = await Promise.all([
			run(['tokenize', '--corpus', 'corpus/001_animals.txt'], {cwd: dir}),
			run(['tokenize', '--corpus', 'corpus/001_animals.txt', '--json'], {cwd: dir}),
			// No corpus/ here: the corpus that ships with the package is read.
			run(['tokenize'], {cwd: empty}),
		]);
	});

	it('prints one token a line, in corpus order', () => {
		expect(text.code).toBe(0);
		expect(text.stderr).toBe('');
		const out = lines(text.stdout);
		// corpus/001_animals.txt begins "the cat chases the mouse in the barn\nthe dog chases ..."
		expect(out.slice(0, 10)).toEqual(['the', 'cat', 'chases', 'the', 'mouse', 'in', 'the', 'barn', 'the', 'dog']);
		expect(out).toHaveLength(313);
		expect(out).toEqual(readFileSync(ANIMALS, 'utf8').split(/\s+/).filter(Boolean));
	});

	it('--json gives one JSON object whose tokens are the text output', () => {
		expect(json.code).toBe(0);
		expect(json.stderr).toBe('');
		expect(lines(json.stdout)).toHaveLength(1);
		const parsed = JSON.parse(json.stdout);
		expect(Object.keys(parsed)).toEqual(['corpus', 'num_tokens', 'tokens']);
		expect(parsed.corpus).toBe('corpus/001_animals.txt');
		expect(parsed.num_tokens).toBe(313);
		expect(parsed.tokens).toEqual(lines(text.stdout));
	});

	it('without --corpus and without ./corpus, reads the corpus that ships', () => {
		expect(fallback.code).toBe(0);
		expect(fallback.stdout).toBe(text.stdout);
	});
});

describe('vocab', () => {
	let text: RunResult;
	let json: RunResult;

	beforeAll(async () => {
		const dir = makeDir();
		cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), {recursive: true});
		[text, json] = await Promise.all([
			run(['vocab', '--corpus', 'corpus/001_animals.txt'], {cwd: dir}),
			run(['vocab', '--corpus', 'corpus/001_animals.txt', '--json'], {cwd: dir}),
		]);
	});

	it('prints a header, then id, token and frequency in aligned columns', () => {
		expect(text.code).toBe(0);
		expect(text.stderr).toBe('');
		const out = lines(text.stdout);
		// The token column is as wide as the longest token ("chases", 6 columns).
		expect(out.slice(0, 5)).toEqual(['id  token   frequency', ' 0  an      2', ' 1  at      8', ' 2  barn    10', ' 3  bird    4']);
		expect(out.at(-1)).toBe('46  yard    4');
		expect(out).toHaveLength(48);
	});

	it('--json has vocab_size 47, ids in order, tokens sorted, frequencies summing to the token count', () => {
		expect(json.code).toBe(0);
		const parsed = JSON.parse(json.stdout);
		expect(Object.keys(parsed)).toEqual(['corpus', 'vocab_size', 'tokens']);
		expect(parsed.vocab_size).toBe(47);
		const tokens = parsed.tokens as Array<{id: number; token: string; frequency: number}>;
		expect(tokens.map((t) => t.id)).toEqual(Array.from({length: 47}, (_, i) => i));
		expect(tokens.map((t) => t.token)).toEqual([...tokens.map((t) => t.token)].sort());
		expect(tokens.reduce((sum, t) => sum + t.frequency, 0)).toBe(313);
		expect(tokens[0]).toEqual({id: 0, token: 'an', frequency: 2});
		expect(tokens.find((t) => t.token === 'the')?.frequency).toBe(
			readFileSync(ANIMALS, 'utf8').split(/\s+/).filter((t) => t === 'the').length,
		);
	});

	it('text rows and --json agree, and match the committed vocabulary CSV', () => {
		const parsed = JSON.parse(json.stdout) as {tokens: Array<{id: number; token: string; frequency: number}>};
		const rows = lines(text.stdout)
			.slice(1)
			.map((line) => {
				const m = line.match(/^ *(\d+) {2}(\S+) +(\d+)$/);
				expect(m, line).not.toBeNull();
				return {id: Number(m![1]), token: m![2]!, frequency: Number(m![3])};
			});
		expect(rows).toEqual(parsed.tokens);
		const csv = lines(readFileSync(join(ROOT, 'artifacts/01_vocabulary.csv'), 'utf8'));
		expect(csv[0]).toBe('token_id,token,frequency');
		expect(csv.slice(1)).toEqual(parsed.tokens.map((t) => `${t.id},${t.token},${t.frequency}`));
	});
});

describe.concurrent('train', () => {
	it('--json prints one "epoch" object a line, then a "done" object', async () => {
		const dir = makeDir({'tiny.txt': TINY});
		const result = await run(['train', '--corpus', 'tiny.txt', '--epochs', '4', '--json'], {cwd: dir});
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const out = lines(result.stdout).map((line) => JSON.parse(line));
		expect(out).toHaveLength(5);
		expect(out.slice(0, 4).map((o) => [o.event, o.epoch])).toEqual([
			['epoch', 1],
			['epoch', 2],
			['epoch', 3],
			['epoch', 4],
		]);
		for (const o of out.slice(0, 4)) {
			expect(Object.keys(o)).toEqual(['event', 'epoch', 'avg_loss', 'accuracy']);
			expect(o.avg_loss).toBeGreaterThan(0);
			expect(o.accuracy).toBeGreaterThanOrEqual(0);
			expect(o.accuracy).toBeLessThanOrEqual(1);
		}
		// Loss falls on this corpus: "a b a c a b" with a context of 2 has 4 pairs, each context once.
		expect(out[3].avg_loss).toBeLessThan(out[0].avg_loss);
		const done = out[4];
		expect(done).toMatchObject({
			event: 'done',
			model_kind: 'context2',
			context_size: 2,
			corpus: 'tiny.txt',
			num_tokens: 6,
			vocab_size: 3,
			num_training_pairs: 4,
			num_seen_contexts: 4,
			epochs: 4,
			learning_rate: 0.1,
			files: [
				'artifacts/01_vocabulary.csv',
				'artifacts/02_model_weights.csv',
				'artifacts/03_token_embeddings.csv',
				'outputs/train_log.csv',
				'artifacts/00_meta.json',
			],
		});
		expect(done.final_avg_loss).toBe(out[3].avg_loss);
		expect(done.final_accuracy).toBe(out[3].accuracy);
		// The train log holds the same numbers, to 8 and 6 decimals.
		const log = lines(readFileSync(join(dir, 'outputs/train_log.csv'), 'utf8'));
		expect(log[0]).toBe('epoch,avg_loss,accuracy');
		log.slice(1).forEach((row, i) => {
			const [epoch, loss, accuracy] = row.split(',');
			expect(epoch).toBe(String(i + 1));
			expect(loss).toMatch(/^\d+\.\d{8}$/);
			expect(accuracy).toMatch(/^\d\.\d{6}$/);
			expect(Math.abs(Number(loss) - out[i].avg_loss)).toBeLessThanOrEqual(5.1e-9);
			expect(Math.abs(Number(accuracy) - out[i].accuracy)).toBeLessThanOrEqual(5.1e-7);
		});
	});

	it.each([
		[0, 'unigram', ['(no context)']],
		[1, 'bigram', ['a', 'b', 'c']],
		[2, 'context2', ['a|a', 'a|b', 'a|c', 'b|a', 'b|b', 'b|c', 'c|a', 'c|b', 'c|c']],
		[3, 'context3', null],
	] as const)('--context %i writes a %s model with V^n rows', async (n, kind, labels) => {
		const dir = makeDir({'tiny.txt': TINY});
		const result = await run(['train', '--corpus', 'tiny.txt', '--context', String(n), '--epochs', '2'], {cwd: dir});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(lines(result.stdout)[0]).toMatch(new RegExp(`^training ${kind} on tiny\\.txt: 6 tokens, 3 in the vocabulary, ${6 - n} pairs, `));
		const meta = JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8'));
		expect(meta.model_kind).toBe(kind);
		expect(meta.context_size).toBe(n);
		expect(meta.vocab_size).toBe(3);
		expect(meta.num_tokens).toBe(6);
		expect(meta.num_training_pairs).toBe(6 - n);
		const weights = lines(readFileSync(join(dir, 'artifacts/02_model_weights.csv'), 'utf8'));
		expect(weights[0]).toBe('input_token,a,b,c');
		expect(weights).toHaveLength(1 + 3 ** n);
		for (const row of weights.slice(1)) expect(row).toMatch(/^[^,]+(,-?\d+\.\d{8}){3}$/);
		const embeddings = lines(readFileSync(join(dir, 'artifacts/03_token_embeddings.csv'), 'utf8'));
		expect(embeddings[0]).toBe('row,label,x,y');
		expect(embeddings).toHaveLength(1 + 3 ** n);
		const rowLabels = weights.slice(1).map((row) => row.split(',')[0]);
		if (labels) expect(rowLabels).toEqual(labels);
		else expect(rowLabels.slice(0, 2)).toEqual(['a|a|a', 'a|a|b']);
		// Each embedding row is its weights row's first two weights.
		embeddings.slice(1).forEach((row, i) => {
			const [index, label, x, y] = row.split(',');
			const w = weights[i + 1]!.split(',');
			expect([index, label, x, y]).toEqual([String(i), w[0], w[1], w[2]]);
		});
	});

	it('--epochs 3 gives a train log of 3 rows', async () => {
		const dir = makeDir({'tiny.txt': TINY});
		const result = await run(['train', '--corpus', 'tiny.txt', '--epochs', '3'], {cwd: dir});
		expect(result.code).toBe(0);
		const log = lines(readFileSync(join(dir, 'outputs/train_log.csv'), 'utf8'));
		expect(log.map((row) => row.split(',')[0])).toEqual(['epoch', '1', '2', '3']);
		const out = lines(result.stdout);
		expect(out).toHaveLength(5);
		expect(out.slice(1, 4).map((line) => line.slice(0, 9))).toEqual(['epoch 1/3', 'epoch 2/3', 'epoch 3/3']);
		expect(JSON.parse(readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8')).training.epochs).toBe(3);
	});

	it.each([
		['0.5', '0.5'],
		['1', '1.0'],
		['2.50', '2.5'],
		['1e-5', '1e-05'],
	])('--lr %s is recorded in the meta file as %s (Python float repr)', async (given, written) => {
		const dir = makeDir({'tiny.txt': TINY});
		const result = await run(['train', '--corpus', 'tiny.txt', '--epochs', '1', '--lr', given], {cwd: dir});
		expect(result.code).toBe(0);
		const text = readFileSync(join(dir, 'artifacts/00_meta.json'), 'utf8');
		expect(text).toContain(`\n    "learning_rate": ${written}\n`);
		expect(JSON.parse(text).training.learning_rate).toBe(Number(given));
	});

	it('--artifacts and --outputs choose the folders, created when missing', async () => {
		const dir = makeDir({'tiny.txt': TINY});
		const result = await run(['train', '--corpus', 'tiny.txt', '--epochs', '1', '--artifacts', 'deep/m', '--outputs', 'logs'], {cwd: dir});
		expect(result.code).toBe(0);
		expect(lines(result.stdout).at(-1)).toMatch(
			/^trained in \d+\.\d{3} s; wrote deep\/m\/01_vocabulary\.csv, deep\/m\/02_model_weights\.csv, deep\/m\/03_token_embeddings\.csv, logs\/train_log\.csv, deep\/m\/00_meta\.json$/,
		);
		expect(readFileSync(join(dir, 'deep/m/01_vocabulary.csv'), 'utf8')).toBe('token_id,token,frequency\n0,a,3\n1,b,2\n2,c,1\n');
		expect(lines(readFileSync(join(dir, 'logs/train_log.csv'), 'utf8'))).toHaveLength(2);
	});
});

describe('--help and --version', () => {
	const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
	const commands = ['tokenize', 'vocab', 'train', 'infer'];
	let results: Map<string, RunResult>;

	beforeAll(async () => {
		const dir = makeDir();
		// Every spelling for the tool and for train; --help and --version for the other commands.
		const invocations = [[], ...commands.map((c) => [c])].flatMap((prefix) =>
			(prefix.length === 0 || prefix[0] === 'train' ? ['--help', '-h', '--version', '-v'] : ['--help', '--version']).map((flag) => [
				...prefix,
				flag,
			]),
		);
		const done = await Promise.all(invocations.map((args) => run(args, {cwd: dir})));
		results = new Map(done.map((r) => [r.args.join(' '), r]));
	});

	it('the tool: --help and -h print the main help, --version and -v the package version', () => {
		for (const flag of ['--help', '-h']) {
			const r = results.get(flag)!;
			expect([r.code, r.stderr]).toEqual([0, '']);
			expect(r.stdout).toMatch(/^ {2}A terminal lab that shows/);
			for (const command of commands) expect(r.stdout).toContain(`    ${command} `);
			expect(r.stdout).toContain('Exit status: 0 success, 2 usage error, 1 any other error.');
		}
		for (const flag of ['--version', '-v']) expect(results.get(flag)).toMatchObject({code: 0, stdout: `${version}\n`, stderr: ''});
	});

	it.each(commands)('%s: --help (and -h) print its usage, --version (and -v) the version', (command) => {
		for (const flag of ['--help', '-h']) {
			const r = results.get(`${command} ${flag}`);
			if (!r) continue;
			expect([r.code, r.stderr]).toEqual([0, '']);
			expect(r.stdout).toMatch(new RegExp(`^ {2}Usage\\n    \\$ toy-gpt-tui ${command} \\[`));
			expect(r.stdout.endsWith('\n')).toBe(true);
		}
		for (const flag of ['--version', '-v']) {
			if (!results.has(`${command} ${flag}`)) continue;
			expect(results.get(`${command} ${flag}`)).toMatchObject({code: 0, stdout: `${version}\n`, stderr: ''});
		}
	});

	it('train --help names every train flag with its default', () => {
		const help = results.get('train --help')!.stdout;
		for (const flag of ['--corpus FILE', '--context N', '--epochs N', '--lr X', '--artifacts DIR', '--outputs DIR', '--json']) {
			expect(help).toContain(`    ${flag}`);
		}
		for (const fact of ['(default corpus/001_animals.txt)', '(default 2)', '(default 50)', '(default 0.1)', '(default artifacts)', '(default outputs)']) {
			expect(help).toContain(fact);
		}
	});

	it('infer --help names every infer flag', () => {
		const help = results.get('infer --help')!.stdout;
		for (const flag of ['--artifacts', '--prompt', '--num', '--topk', '--temperature', '--top-p', '--seed', '--json']) {
			expect(help).toMatch(new RegExp(`\\n {4}${flag} `));
		}
	});
});

describe('without a terminal', () => {
	it('with no command, says to use the headless commands on one stderr line and exits 2', async () => {
		const dir = makeDir();
		const [bare, withFlag] = await Promise.all([run([], {cwd: dir}), run(['--epochs', '3'], {cwd: dir})]);
		for (const r of [bare, withFlag]) {
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			expect(lines(r.stderr)).toEqual([
				'toy-gpt-tui: the explorer needs a terminal (stdin and stdout must be a TTY); without one, use the headless commands: tokenize, vocab, train, infer, compare (see toy-gpt-tui --help)',
			]);
		}
	});
});
