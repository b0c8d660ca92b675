/**
 * The toy-gpt series' web client (toy-gpt-chat) loads what `train` writes.
 *
 * `clientLoad` and `clientPredict` below are a minimal reader written here
 * from the client's documented rules, independent of our reader: each file's
 * lines split at `\r?\n`, trimmed, blank ones dropped, each split at every
 * comma (no CSV quoting) and each cell trimmed; the weights file's first
 * column must be `input_token`, its other header cells the tokens; the row
 * labels `(no context)`, `a`, `a|b`, `a|b|c`; numbers by parseFloat; the
 * prompt `trim().toLowerCase()` split at whitespace; the last n tokens joined
 * by `|` pick the row (none: uniform); softmax by subtracting the maximum,
 * `Math.exp` and a plain running sum; the top token the first of the highest.
 *
 * On every dense set trained here (contexts 0 to 3, and corpora of the shape
 * of the series' glossary and repo-tour corpora at context 2) it must give
 * the same top token as `infer`, and every probability within 1e-12.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it, vi} from 'vitest';
import {trainCommand} from '../../source/commands/train.js';
import {inferCommand} from '../../source/commands/infer.js';
import {DENSE_WEIGHTS_LIMIT, weightsFormatFor} from '../../source/artifacts/write.js';
import type {ContextSize} from '../../source/models/table/model.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {readPrompt} from '../../source/models/prompt.js';
import {argmax, predict} from '../../source/models/sample.js';

vi.setConfig({testTimeout: 120_000});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPORA = {
	catDog: join(ROOT, 'corpus', '000_cat_dog.txt'),
	animals: join(ROOT, 'corpus', '001_animals.txt'),
	glossary: join(ROOT, 'test', 'fixtures', 'corpora', 'glossary.txt'),
	repoTour: join(ROOT, 'test', 'fixtures', 'corpora', 'repo-tour.txt'),
};

// ---- the client's rules, written down independently ----

interface ClientModel {
	readonly tokenToId: Map<string, number>;
	readonly idToToken: Map<number, string>;
	readonly stateToId: Map<string, number>;
	readonly weights: number[][];
	readonly contextWindow: number;
}

function clientCsv(text: string): string[][] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line.length > 0)
		.map((line) => line.split(',').map((cell) => cell.trim()));
}

function clientLoad(dir: string): ClientModel {
	const meta = JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8'));
	const vocabTable = clientCsv(readFileSync(join(dir, meta.artifacts['01_vocabulary.csv']), 'utf8'));
	const vocabHeader = vocabTable[0]!.map((h) => h.toLowerCase());
	const [idAt, tokenAt] = [vocabHeader.indexOf('token_id'), vocabHeader.indexOf('token')];
	if (idAt < 0 || tokenAt < 0 || vocabHeader.indexOf('frequency') < 0) throw new Error('Vocabulary CSV must have header: token_id,token,frequency');
	const tokenToId = new Map<string, number>();
	const idToToken = new Map<number, string>();
	for (const row of vocabTable.slice(1)) {
		const id = Number.parseInt(row[idAt]!, 10);
		tokenToId.set(row[tokenAt]!, id);
		idToToken.set(id, row[tokenAt]!);
	}
	const table = clientCsv(readFileSync(join(dir, meta.artifacts['02_model_weights.csv']), 'utf8'));
	const header = table[0]!;
	if ((header[0] ?? '').toLowerCase() !== 'input_token') throw new Error(`Weights CSV first column must be 'input_token' (got: ${header[0]})`);
	const outputIds = header.slice(1).map((token) => {
		const id = tokenToId.get(token);
		if (id === undefined) throw new Error(`Weights CSV output token not in vocabulary: ${token}`);
		return id;
	});
	const stateToId = new Map<string, number>();
	for (const row of table.slice(1)) if (row[0] && !stateToId.has(row[0])) stateToId.set(row[0], stateToId.size);
	const weights = Array.from({length: stateToId.size}, () => new Array<number>(idToToken.size).fill(0));
	for (const row of table.slice(1)) {
		const state = stateToId.get(row[0]!)!;
		row.slice(1).forEach((value, j) => {
			const number = Number.parseFloat(value);
			if (!Number.isFinite(number)) throw new Error(`Expected float, got: ${value}`);
			weights[state]![outputIds[j]!] = number;
		});
	}
	const contextWindow = {unigram: 0, bigram: 1, context2: 2, context3: 3}[meta.model_kind as string];
	if (contextWindow === undefined) throw new Error(`unknown model_kind ${meta.model_kind}`);
	return {tokenToId, idToToken, stateToId, weights, contextWindow};
}

function clientPredict(model: ClientModel, prompt: string): {top: string; probabilities: number[]} {
	const text = prompt.trim().toLowerCase();
	const tokens = text.length === 0 ? [] : text.split(/\s+/);
	const n = model.contextWindow;
	let state: number | null;
	if (n === 0) state = model.stateToId.get('(no context)') ?? 0;
	else state = tokens.length < n ? null : (model.stateToId.get(tokens.slice(-n).join('|')) ?? null);
	const V = model.idToToken.size;
	let probabilities: number[];
	if (state === null) probabilities = new Array<number>(V).fill(1 / V);
	else {
		const logits = model.weights[state]!;
		let max = logits[0]!;
		for (const l of logits) if (l > max) max = l;
		const exps = logits.map((l) => Math.exp(l - max));
		let sum = 0;
		for (const e of exps) sum += e;
		probabilities = exps.map((e) => e / sum);
	}
	let best = 0;
	for (let id = 1; id < V; id++) if (probabilities[id]! > probabilities[best]!) best = id;
	return {top: model.idToToken.get(best)!, probabilities};
}

// ---- our side: train and infer, in process ----

function capture() {
	let out = '';
	let err = '';
	return {io: {stdout: {write: (t: string) => void (out += t)}, stderr: {write: (t: string) => void (err += t)}, cwd: process.cwd()}, out: () => out, err: () => err};
}

async function train(corpus: string, context: ContextSize): Promise<{dir: string; stdout: string}> {
	const base = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-client-'));
	const {io, out} = capture();
	const code = await trainCommand({corpus, context, epochs: 50, learningRate: 0.1, artifacts: join(base, 'artifacts'), outputs: join(base, 'outputs'), json: false}, io);
	expect(code).toBe(0);
	return {dir: join(base, 'artifacts'), stdout: out()};
}

async function infer(dir: string, prompt: string, V: number): Promise<{top: string; probabilities: Map<string, number>}> {
	const {io, out} = capture();
	await inferCommand({artifacts: dir, prompt, num: 0, topK: V, topKGiven: false, seed: 0, json: true}, io);
	const result = JSON.parse(out());
	return {top: result.top[0].token, probabilities: new Map(result.top.map((t: {token: string; probability: number}) => [t.token, t.probability]))};
}

/** Prompts: windows of the corpus (some capitalised, as a learner types), an unknown word, and the empty prompt. */
function promptsOf(corpus: string, n: number): string[] {
	const words = readFileSync(corpus, 'utf8').split(/\s+/).filter(Boolean);
	const prompts = ['', 'zebra-unknown', 'The owl'];
	for (let i = 0; i + n < words.length && prompts.length < 40; i += 29) {
		const window = words.slice(i, i + Math.max(1, n));
		prompts.push(prompts.length % 2 ? window.join(' ') : `  ${window.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ')} `);
	}
	return prompts;
}

const SETS: Array<[string, string, ContextSize]> = [
	['cat_dog, unigram', CORPORA.catDog, 0],
	['cat_dog, bigram', CORPORA.catDog, 1],
	['cat_dog, context 2', CORPORA.catDog, 2],
	['cat_dog, context 3', CORPORA.catDog, 3],
	['animals, unigram', CORPORA.animals, 0],
	['animals, bigram', CORPORA.animals, 1],
	['animals, context 2', CORPORA.animals, 2],
	['a glossary-shaped corpus (V 117), context 2', CORPORA.glossary, 2],
	['a repo-tour-shaped corpus (V 108), context 2', CORPORA.repoTour, 2],
];

describe("the series' client loads every dense set train writes", () => {
	for (const [name, corpus, context] of SETS) {
		it(`${name}: the client's top token is infer's, every probability within 1e-12`, async () => {
			const {dir, stdout} = await train(corpus, context);
			expect(stdout).not.toContain('cannot load');
			const meta = JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8'));
			expect(meta.weights_format).toBe('dense');
			const client = clientLoad(dir);
			const V = client.idToToken.size;
			expect(client.stateToId.size).toBe(V ** context);
			// infer itself on a few prompts (each loads the set again), and on
			// all of them what it computes: the set loaded once, the prompt read
			// and the row looked up as infer does.
			const {model} = loadArtifacts(dir);
			const prompts = promptsOf(corpus, context);
			for (const [k, prompt] of prompts.entries()) {
				const theirs = clientPredict(client, prompt);
				const prediction = predict(model, readPrompt(model.vocabulary, prompt).tokens);
				const ours =
					k < 2
						? await infer(dir, prompt, V)
						: {top: model.vocabulary.tokens[argmax(prediction.probabilities)]!, probabilities: new Map(model.vocabulary.tokens.map((t, id) => [t, prediction.probabilities[id]!]))};
				expect(ours.top, JSON.stringify(prompt)).toBe(theirs.top);
				theirs.probabilities.forEach((p, id) => {
					expect(Math.abs(ours.probabilities.get(client.idToToken.get(id)!)! - p), `${JSON.stringify(prompt)} ${client.idToToken.get(id)}`).toBeLessThan(1e-12);
				});
			}
		});
	}

	it('The owl on the animals model: the same answer as the owl, and infer says why', async () => {
		const {dir} = await train(CORPORA.animals, 2);
		const upper = await infer(dir, 'The owl', 47);
		const lower = await infer(dir, 'the owl', 47);
		expect(upper).toEqual(lower);
		expect(upper.top).toBe('hunts');
		const {io, out} = capture();
		await inferCommand({artifacts: dir, prompt: 'The owl', num: 0, topK: 3, topKGiven: false, seed: 0, json: false}, io);
		expect(out()).toContain('prompt    the owl\n          read in lower case ("The" as "the"), as the toy-gpt series reads a prompt: every token of this vocabulary is lower case\n');
		expect(out()).toContain('->  row the|owl');
	});

	it("a token holding a comma is quoted as CSV requires; the client's comma split cannot read it, and train says so in one line", async () => {
		const base = mkdtempSync(join(tmpdir(), 'toy-gpt-tui-client-'));
		const corpus = join(base, 'commas.txt');
		writeFileSync(corpus, 'the cat, the dog and the "bird" sat\n');
		const {io, out} = capture();
		await trainCommand({corpus, context: 1, epochs: 5, learningRate: 0.1, artifacts: join(base, 'artifacts'), outputs: join(base, 'outputs'), json: false}, io);
		const notes = out().split('\n').filter((line) => line.startsWith('note: '));
		expect(notes).toEqual([
			`note: the toy-gpt series' client cannot load this vocabulary: the token "\\"bird\\"" holds a quote, quoted as CSV requires, which the client's plain comma split cannot read (the series' e_infer.py can)`,
		]);
		expect(() => clientLoad(join(base, 'artifacts'))).toThrow(/not in vocabulary/);
	});
});

describe('the sparse form is never written where the series would write dense', () => {
	it('auto is dense up to 4,000,000 weights: V = 158 at context 2, V = 2000 at context 1, V = 44 at context 3', () => {
		expect(DENSE_WEIGHTS_LIMIT).toBe(4_000_000);
		for (const [V, n] of [[158, 2], [2000, 1], [44, 3], [4_000_000, 0], [119, 2], [108, 2], [47, 2]] as const) {
			expect(weightsFormatFor({V, n}), `V ${V} n ${n}`).toBe('dense');
		}
		for (const [V, n] of [[159, 2], [2001, 1], [45, 3]] as const) expect(weightsFormatFor({V, n}), `V ${V} n ${n}`).toBe('sparse');
	});

	it('the glossary- and repo-tour-shaped corpora train at context 2 into dense files, with no note', async () => {
		for (const corpus of [CORPORA.glossary, CORPORA.repoTour]) {
			const {dir, stdout} = await train(corpus, 2);
			expect(stdout).not.toContain('note:');
			expect(readFileSync(join(dir, '02_model_weights.csv'), 'utf8').slice(0, 12)).toBe('input_token,');
		}
	});
});
