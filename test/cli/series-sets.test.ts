/**
 * A set the toy-gpt series wrote loads through our reader, with the series'
 * own repository layout: a meta file without our added keys (read by the
 * series' rules, with a one-line note that it could not be verified), its
 * corpus path written with backslashes (trained on Windows), weights with 4
 * decimals and `0` for zero, CRLF line ends (a Windows checkout), and a
 * repository whose weights file is missing because it was too large to
 * commit. The fixtures are made here, following those rules: tests never
 * depend on a copy of the series' repositories.
 */
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {writeArtifacts} from '../../source/artifacts/write.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {unverifiedNote} from '../../source/artifacts/series.js';
import {predict} from '../../source/models/sample.js';
import {inferCommand} from '../../source/commands/infer.js';
import {lines, run, snapshotTree, tempDirs} from './helpers.js';

vi.setConfig({testTimeout: 60_000});

const CAT_DOG = 'the cat sat here\nthe cat sat there\nthe cat ran here\nthe dog sat here\n';
const makeDir = tempDirs();

/** The series' meta keys only, as its repositories write them. */
function seriesMeta(ours: Record<string, unknown>, repo: string): string {
	const corpus = ours['corpus'] as Record<string, unknown>;
	const meta = {
		artifacts: ours['artifacts'],
		concepts: {token: 'An atomic symbol produced by the tokenizer (e.g., a word).'},
		corpus: {description: 'The corpus is tokenized sequential text.', filename: corpus['filename'], num_chars: corpus['num_chars'], num_lines: corpus['num_lines'], path: `corpus\\${corpus['filename']}`, sha256: corpus['sha256']},
		model_kind: ours['model_kind'],
		notes: ['This is an intentionally inspectable training pipeline.'],
		repo_name: repo,
		training: ours['training'],
		vocab_size: ours['vocab_size'],
	};
	return JSON.stringify(meta, null, 2) + '\n';
}

/** A weights field as the series writes it: 4 decimals, and 0 for zero. */
const seriesNumber = (field: string) => (Number(field) === 0 ? '0' : Number(field).toFixed(4));

/** Train on the cat/dog corpus with our engine, then rewrite the set in the series' layout. */
function seriesSet(context: 0 | 1 | 2 | 3, lineEnd = '\n'): {dir: string; ours: string} {
	const base = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-series-'));
	const corpus = corpusFromBytes(join(base, 'corpus', '000_cat_dog.txt'), Buffer.from(CAT_DOG));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, context, 0.1);
	for (let e = 0; e < 50; e++) run.epoch();
	const ours = join(base, 'ours');
	writeArtifacts({artifactsDir: ours, outputsDir: join(base, 'outputs'), model: run.model, corpus, settings: {learningRate: 0.1, epochs: 50}, pairCount: run.pairCount, log: run.log});
	const dir = join(base, 'artifacts');
	cpSync(ours, dir, {recursive: true});
	writeFileSync(join(dir, '00_meta.json'), seriesMeta(JSON.parse(readFileSync(join(ours, '00_meta.json'), 'utf8')), `train-${context}00-series`));
	const weights = readFileSync(join(ours, '02_model_weights.csv'), 'utf8').trimEnd().split('\n');
	const rewritten = [weights[0], ...weights.slice(1).map((line) => line.split(',').map((field, i) => (i === 0 ? field : seriesNumber(field))).join(','))];
	writeFileSync(join(dir, '02_model_weights.csv'), rewritten.join(lineEnd) + lineEnd);
	writeFileSync(join(dir, '01_vocabulary.csv'), readFileSync(join(ours, '01_vocabulary.csv'), 'utf8').replaceAll('\n', lineEnd));
	return {dir, ours};
}

function capture() {
	let out = '';
	let err = '';
	return {io: {stdout: {write: (t: string) => void (out += t)}, stderr: {write: (t: string) => void (err += t)}, cwd: process.cwd()}, out: () => out, err: () => err};
}

describe("a set in the series' layout", () => {
	for (const context of [0, 1, 2, 3] as const) {
		for (const [ends, lineEnd] of [['LF', '\n'], ['CRLF', '\r\n']] as const) {
			it(`context ${context}, ${ends}: loads, with the series' top tokens and probabilities to the 4 decimals it writes`, () => {
				const {dir, ours} = seriesSet(context, lineEnd);
				const theirs = loadArtifacts(dir);
				const mine = loadArtifacts(ours);
				expect(theirs.meta.ours).toBe(false);
				expect(mine.meta.ours).toBe(true);
				expect(theirs.meta.corpusPath).toBe('corpus/000_cat_dog.txt');
				for (const prompt of [[], ['the'], ['the', 'cat'], ['cat', 'sat', 'here'], ['the', 'dog', 'sat'], ['zebra']]) {
					const a = predict(theirs.model, prompt).probabilities;
					const b = predict(mine.model, prompt).probabilities;
					for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-3);
				}
			});
		}
	}

	it('is named in one line as read by the series\' rules and not verified; a set we wrote is not', () => {
		const {dir, ours} = seriesSet(2);
		const meta = JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8'));
		expect(unverifiedNote(meta, join(dir, '00_meta.json'))).toBe(
			`${join(dir, '00_meta.json')} (written by train-200-series) lacks toy-gpt-tui's manifest: read by the toy-gpt series' rules, it could not be verified`,
		);
		expect(unverifiedNote(JSON.parse(readFileSync(join(ours, '00_meta.json'), 'utf8')), 'x')).toBeUndefined();
	});

	it('infer says so on stderr in one line, and names the corpus with / separators', async () => {
		const {dir, ours} = seriesSet(2);
		const {io, out, err} = capture();
		expect(await inferCommand({artifacts: dir, prompt: 'The cat', num: 3, topK: 3, topKGiven: false, seed: 0, json: false}, io)).toBe(0);
		expect(err()).toBe(`toy-gpt-tui: note: ${unverifiedNote(JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8')), join(dir, '00_meta.json'))}\n`);
		expect(out()).toContain('corpus    trained on corpus/000_cat_dog.txt (4 lines, sha256 ');
		expect(out()).toContain('->  row the|cat');
		const mine = capture();
		await inferCommand({artifacts: ours, prompt: 'The cat', num: 3, topK: 3, topKGiven: false, seed: 0, json: false}, mine.io);
		expect(mine.err()).toBe('');
	});

	it('whose weights file was too large to commit: one line naming the file and the train command that makes it', async () => {
		const {dir} = seriesSet(3);
		rmSync(join(dir, '02_model_weights.csv'));
		const expected = `${join(dir, '02_model_weights.csv')} is missing (the toy-gpt series does not commit a weights file too large for GitHub); make it with: toy-gpt-tui train --corpus corpus/000_cat_dog.txt --context 3 --epochs 50 --lr 0.1 --artifacts ${dir}`;
		expect(() => loadArtifacts(dir)).toThrow(expected);
		const cwd = makeDir();
		cpSync(dir, join(cwd, 'artifacts'), {recursive: true});
		const before = snapshotTree(cwd);
		const result = await run(['infer', '--prompt', 'the cat sat'], {cwd});
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toHaveLength(1);
		expect(result.stderr).toBe('toy-gpt-tui: artifacts/02_model_weights.csv is missing (the toy-gpt series does not commit a weights file too large for GitHub); make it with: toy-gpt-tui train --corpus corpus/000_cat_dog.txt --context 3 --epochs 50 --lr 0.1 --artifacts artifacts\n');
		expect(snapshotTree(cwd)).toEqual(before);
	});
});

describe('the dense read limit', () => {
	it('a dense set above it is refused before its weights are read', () => {
		const {dir} = seriesSet(3);
		const meta = JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8'));
		const tokens = Array.from({length: 80}, (_, i) => `t${String(i).padStart(2, '0')}`);
		writeFileSync(join(dir, '00_meta.json'), JSON.stringify({...meta, vocab_size: 80}));
		writeFileSync(join(dir, '01_vocabulary.csv'), ['token_id,token,frequency', ...tokens.map((t, i) => `${i},${t},1`)].join('\n') + '\n');
		expect(() => loadArtifacts(dir)).toThrow(`${join(dir, '02_model_weights.csv')}: a dense table of 80^4 = 40,960,000 weights is more than toy-gpt-tui reads (40,000,000); toy-gpt-tui train --corpus corpus/000_cat_dog.txt --context 3 --epochs 50 --lr 0.1 --artifacts ${dir} writes it in the sparse form`);
	});

	it('train --weights-format dense is refused up front above it, with the size it would write, and writes nothing', async () => {
		const words = Array.from({length: 350}, (_, i) => `w${i}`);
		const cwd = makeDir({'wide.txt': words.join(' ') + '\n'});
		const result = await run(['train', '--corpus', 'wide.txt', '--weights-format', 'dense'], {cwd});
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			'toy-gpt-tui: --weights-format dense would write 350^3 = 42,875,000 weights (about 473 MB), more than toy-gpt-tui reads back (40,000,000); use --weights-format auto or sparse\n',
		);
		expect(existsSync(join(cwd, 'artifacts'))).toBe(false);
		const auto = await run(['train', '--corpus', 'wide.txt', '--epochs', '1'], {cwd});
		expect(auto.code).toBe(0);
		expect(auto.stdout).toContain("note: the toy-gpt series' client and e_infer.py cannot load this model: its weights are in the sparse form, too large to write whole (350^3 = 42,875,000 weights, about 473 MB)\n");
	});
});

describe('an empty prompt is a prompt, as in the series', () => {
	it('a unigram answers it; a context model says it needs n tokens; compare takes it', async () => {
		const cwd = makeDir({'c.txt': CAT_DOG});
		expect((await run(['train', '--corpus', 'c.txt', '--context', '0', '--artifacts', 'uni'], {cwd})).code).toBe(0);
		expect((await run(['train', '--corpus', 'c.txt', '--context', '2', '--artifacts', 'ctx2'], {cwd})).code).toBe(0);
		const [uni, ctx2, compare] = await Promise.all([
			run(['infer', '--artifacts', 'uni', '--prompt', '', '--num', '2'], {cwd}),
			run(['infer', '--artifacts', 'ctx2', '--prompt=', '--num', '2'], {cwd}),
			run(['compare', '--corpus', 'c.txt', '--prompt', '', '--topk', '1', '--epochs', '5'], {cwd}),
		]);
		expect([uni.code, ctx2.code, compare.code]).toEqual([0, 0, 0]);
		expect(lines(uni.stdout)[2]).toBe('prompt    (empty)');
		expect(lines(uni.stdout)[3]).toBe('context   (none: a unigram model uses one row for everything)  ->  row (no context)');
		expect(lines(ctx2.stdout)[3]).toBe('context   (none)  ->  no row: the prompt has 0 tokens; this model reads the previous 2, so every next token is equally likely');
		expect(lines(compare.stdout)[0]).toBe('prompt    (empty)');
	});
});
