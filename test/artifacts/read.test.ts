/**
 * Loading artifacts back: a model written by writeArtifacts loads to the same
 * probabilities (weights are written with 8 decimals), and every kind of
 * damaged file is refused with a message naming the file and, where there is
 * one, the line.
 *
 * The trained corpus is "the cat sat on the mat / the dog sat on the rug":
 * vocabulary cat=0 dog=1 mat=2 on=3 rug=4 sat=5 the=6 (V = 7), a context-2
 * model, so the weights file has a header and 7^2 = 49 rows (lines 2..50):
 * row r is line r + 2, e.g. line 7 is "cat|sat", line 29 is "on|the".
 */
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {writeArtifacts} from '../../source/artifacts/write.js';
import {loadArtifacts, loadMeta, loadTrainLog, loadVocabulary, parseWeight} from '../../source/artifacts/read.js';
import {FileFormatError} from '../../source/runtime/errors.js';
import {reseal} from '../support/reseal.js';
import type {ContextSize, Model} from '../../source/models/table/model.js';

const TEXT = 'the cat sat on the mat\nthe dog sat on the rug\n';

let base: string;
let counter = 0;

function trainAndWrite(text: string, n: ContextSize, epochs: number, learningRate = 0.5) {
	const dir = join(base, `run-${counter++}`);
	const artifactsDir = join(dir, 'artifacts');
	const outputsDir = join(dir, 'outputs');
	mkdirSync(artifactsDir, {recursive: true});
	mkdirSync(outputsDir, {recursive: true});
	const corpus = corpusFromBytes(join(dir, 'corpus.txt'), Buffer.from(text));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, n, learningRate);
	for (let e = 0; e < epochs; e++) run.epoch();
	writeArtifacts({
		artifactsDir,
		outputsDir,
		model: run.model,
		corpus,
		settings: {learningRate, epochs},
		pairCount: run.pairCount,
		log: run.log,
	});
	return {run, artifactsDir, outputsDir};
}

/** Every context of the full table, as token ids, in row order. */
function allContexts(V: number, n: number): number[][] {
	const contexts: number[][] = [];
	for (let row = 0; row < V ** n; row++) {
		const context: number[] = [];
		for (let t = n - 1, r = row; t >= 0; t--, r = Math.floor(r / V)) context[t] = r % V;
		contexts.push(context);
	}
	return contexts;
}

function maxProbabilityDifference(a: Model, b: Model): number {
	let worst = 0;
	for (const context of allContexts(a.V, a.n)) {
		const p = a.probabilities(a.slotOf(context));
		const q = b.probabilities(b.slotOf(context));
		for (let j = 0; j < a.V; j++) worst = Math.max(worst, Math.abs(p[j]! - q[j]!));
	}
	return worst;
}

let trained: ReturnType<typeof trainAndWrite>;

beforeAll(() => {
	base = mkdtempSync(join(tmpdir(), 'load-artifacts-test-'));
	trained = trainAndWrite(TEXT, 2, 20);
});

afterAll(() => {
	rmSync(base, {recursive: true, force: true});
});

describe('loadArtifacts on freshly written artifacts', () => {
	it('reads the meta file', () => {
		const {meta} = loadArtifacts(trained.artifactsDir);
		expect(meta.modelKind).toBe('context2');
		expect(meta.n).toBe(2);
		expect(meta.vocabSize).toBe(7);
		expect(meta.weightsFormat).toBe('dense');
		expect(meta.learningRate).toBe(0.5);
		expect(meta.epochs).toBe(20);
		expect(meta.corpusPath?.endsWith('/corpus.txt')).toBe(true);
		expect(meta.raw['num_training_pairs']).toBe(10);
	});

	it('reads the vocabulary with ids and frequencies', () => {
		const model = loadArtifacts(trained.artifactsDir).model as Model;
		expect(model.vocabulary.tokens).toEqual(['cat', 'dog', 'mat', 'on', 'rug', 'sat', 'the']);
		expect(Array.from(model.vocabulary.frequencies)).toEqual([1, 1, 1, 2, 1, 2, 4]);
		expect(model.vocabulary.ids.get('the')).toBe(6);
	});

	it('gives the trained probabilities within 1e-8 for every one of the 49 contexts', () => {
		const model = loadArtifacts(trained.artifactsDir).model as Model;
		expect(model.kind).toBe('context2');
		expect(model.fullRowCount).toBe(49);
		expect(maxProbabilityDifference(model, trained.run.model)).toBeLessThan(1e-8);
	});

	it('stores only the 8 rows training touched', () => {
		const model = loadArtifacts(trained.artifactsDir).model as Model;
		expect(model.rowCount).toBe(8);
		expect(model.rowCount).toBe(trained.run.model.rowCount);
		expect(model.slotOf([3, 6])).toBeGreaterThanOrEqual(0); // on|the
		expect(model.slotOf([0, 0])).toBe(-1); // cat|cat never occurs
	});

	it('reads weights to 8 decimals', () => {
		const model = loadArtifacts(trained.artifactsDir).model as Model;
		const loaded = model.scores(model.slotOf([3, 6]));
		const original = trained.run.model.scores(trained.run.model.slotOf([3, 6]));
		for (let j = 0; j < 7; j++) expect(Math.abs(loaded[j]! - original[j]!)).toBeLessThanOrEqual(5e-9);
	});

	it('round-trips tokens with commas and quotes, and a bigram model', () => {
		const tricky = trainAndWrite('he said, "hi" and she said, "bye" and he said, "hi"\n', 1, 15);
		const {model: loaded, meta} = loadArtifacts(tricky.artifactsDir);
		const model = loaded as Model;
		expect(meta.modelKind).toBe('bigram');
		expect(model.vocabulary.tokens).toEqual(['"bye"', '"hi"', 'and', 'he', 'said,', 'she']);
		expect(maxProbabilityDifference(model, tricky.run.model)).toBeLessThan(1e-8);
	});

	it('round-trips a unigram model', () => {
		const unigram = trainAndWrite(TEXT, 0, 10);
		const {model: loaded, meta} = loadArtifacts(unigram.artifactsDir);
		const model = loaded as Model;
		expect(meta.modelKind).toBe('unigram');
		expect(model.rowCount).toBe(1);
		expect(model.label(0)).toBe('(no context)');
		expect(maxProbabilityDifference(model, unigram.run.model)).toBeLessThan(1e-8);
	});
});

describe('loadTrainLog on a freshly written log', () => {
	it('reads every epoch within the written precision', () => {
		const log = loadTrainLog(trained.outputsDir);
		expect(log).toHaveLength(20);
		expect(log.map((e) => e.epoch)).toEqual(Array.from({length: 20}, (_, i) => i + 1));
		log.forEach((entry, i) => {
			expect(Math.abs(entry.avgLoss - trained.run.log[i]!.avgLoss)).toBeLessThanOrEqual(5e-9);
			expect(Math.abs(entry.accuracy - trained.run.log[i]!.accuracy)).toBeLessThanOrEqual(5e-7);
		});
		// 10 pairs: the first epoch gets 1 right, later epochs 8
		expect(log[0]!.accuracy).toBe(0.1);
		expect(log[19]!.accuracy).toBe(0.8);
	});
});

/** A copy of the trained artifacts with `file` rewritten by `edit`; returns the copy's folder. */
function corrupt(file: string, edit: (text: string) => string, from = trained.artifactsDir): {dir: string; path: string} {
	const dir = join(base, `corrupt-${counter++}`);
	cpSync(from, dir, {recursive: true});
	const path = join(dir, file);
	writeFileSync(path, edit(readFileSync(path, 'utf8')));
	reseal(dir);
	return {dir, path};
}


/** Replace line `line` (1-based) of a text. */
const editLine = (line: number, edit: (text: string) => string) => (text: string) =>
	text
		.split('\n')
		.map((l, i) => (i === line - 1 ? edit(l) : l))
		.join('\n');

/** Replace field `field` (0-based) of line `line`. */
const editField = (line: number, field: number, value: string) =>
	editLine(line, (l) => {
		const fields = l.split(',');
		fields[field] = value;
		return fields.join(',');
	});

function expectRefusal(load: () => unknown, message: string, file: string, line: number | undefined): void {
	try {
		load();
	} catch (error) {
		expect(error).toBeInstanceOf(FileFormatError);
		expect((error as Error).message).toBe(message);
		expect((error as FileFormatError).file).toBe(file);
		expect((error as FileFormatError).line).toBe(line);
		return;
	}
	expect.fail(`expected the refusal "${message}"`);
}

describe('the meta file is checked', () => {
	it('refuses a missing meta file, naming it', () => {
		const dir = join(base, `corrupt-${counter++}`);
		cpSync(trained.artifactsDir, dir, {recursive: true});
		rmSync(join(dir, '00_meta.json'));
		const path = join(dir, '00_meta.json');
		expect(() => loadArtifacts(dir)).toThrow(`cannot read the meta file ${path}: no such file`);
	});

	it('refuses invalid JSON, naming the file', () => {
		const {dir, path} = corrupt('00_meta.json', (t) => t.replace('"vocab_size": 7,', '"vocab_size": 7,,'));
		expect(() => loadArtifacts(dir)).toThrow(`${path}: not valid JSON (`);
		expect(() => loadArtifacts(dir)).toThrow(FileFormatError);
	});

	it('refuses JSON that is not an object', () => {
		const {dir, path} = corrupt('00_meta.json', () => '[1, 2]\n');
		expectRefusal(() => loadMeta(dir), `${path}: expected a JSON object`, path, undefined);
	});

	it('refuses a bad model_kind at its line (46, after the manifest)', () => {
		const {dir, path} = corrupt('00_meta.json', (t) => t.replace('"model_kind": "context2"', '"model_kind": "context9"'));
		expectRefusal(
			() => loadArtifacts(dir),
			`${path}:46: model_kind "context9" is not one of unigram, bigram, context2, context3, embeddings, attention`,
			path,
			46,
		);
	});

	it('refuses a missing model_kind without a line', () => {
		const {dir, path} = corrupt('00_meta.json', (t) => t.replace('  "model_kind": "context2",\n', ''));
		expectRefusal(() => loadMeta(dir), `${path}: model_kind undefined is not one of unigram, bigram, context2, context3, embeddings, attention`, path, undefined);
	});

	it('refuses a vocab_size that is not a positive integer at its line (62)', () => {
		const {dir, path} = corrupt('00_meta.json', (t) => t.replace('"vocab_size": 7', '"vocab_size": 0'));
		expectRefusal(() => loadMeta(dir), `${path}:62: vocab_size 0 is not a positive integer`, path, 62);
		const half = corrupt('00_meta.json', (t) => t.replace('"vocab_size": 7', '"vocab_size": 7.5'));
		expectRefusal(() => loadMeta(half.dir), `${half.path}:62: vocab_size 7.5 is not a positive integer`, half.path, 62);
	});

	it('refuses an unknown weights_format at its line (63)', () => {
		const {dir, path} = corrupt('00_meta.json', (t) => t.replace('"weights_format": "dense"', '"weights_format": "packed"'));
		expectRefusal(() => loadMeta(dir), `${path}:63: weights_format "packed" is not "dense" or "sparse"`, path, 63);
	});

	it('refuses a vocab_size that does not match the vocabulary, naming the vocabulary file', () => {
		const {dir} = corrupt('00_meta.json', (t) => t.replace('"vocab_size": 7', '"vocab_size": 8'));
		const vocabularyPath = join(dir, '01_vocabulary.csv');
		expectRefusal(
			() => loadArtifacts(dir),
			`${vocabularyPath}: 7 tokens, but 00_meta.json says vocab_size 8`,
			vocabularyPath,
			undefined,
		);
	});
});

describe('the vocabulary file is checked', () => {
	const file = '01_vocabulary.csv';

	it('refuses a wrong header at line 1', () => {
		const {dir, path} = corrupt(file, editLine(1, () => 'token_id,token,count'));
		expectRefusal(() => loadArtifacts(dir), `${path}:1: wrong header "token_id,token,count"; expected token_id,token,frequency`, path, 1);
	});

	it('refuses an empty file', () => {
		const {dir, path} = corrupt(file, () => '');
		expectRefusal(() => loadArtifacts(dir), `${path}:1: the file is empty; expected the header token_id,token,frequency`, path, 1);
	});

	it('refuses a header with no tokens', () => {
		const {dir, path} = corrupt(file, () => 'token_id,token,frequency\n');
		expectRefusal(() => loadArtifacts(dir), `${path}:2: no tokens`, path, 2);
	});

	it('refuses ids that do not run 0..V-1 in order', () => {
		const {dir, path} = corrupt(file, editField(3, 0, '5'));
		expectRefusal(() => loadArtifacts(dir), `${path}:3: token_id "5" should be 1: ids must run 0, 1, 2, ... in order`, path, 3);
	});

	it('refuses ids that start at 1', () => {
		const {dir, path} = corrupt(file, editField(2, 0, '1'));
		expectRefusal(() => loadArtifacts(dir), `${path}:2: token_id "1" should be 0: ids must run 0, 1, 2, ... in order`, path, 2);
	});

	it('refuses a repeated token, naming the earlier line', () => {
		// line 4 is "2,mat,1": make it "2,cat,1", repeating line 2
		const {dir, path} = corrupt(file, editField(4, 1, 'cat'));
		expectRefusal(() => loadArtifacts(dir), `${path}:4: token "cat" repeats the token of line 2`, path, 4);
	});

	it('refuses an empty token', () => {
		const {dir, path} = corrupt(file, editField(3, 1, '""'));
		expectRefusal(() => loadArtifacts(dir), `${path}:3: an empty token`, path, 3);
	});

	it('refuses a non-integer frequency', () => {
		const {dir, path} = corrupt(file, editField(5, 2, '2.5'));
		expectRefusal(() => loadArtifacts(dir), `${path}:5: frequency "2.5" is not a whole number`, path, 5);
		const negative = corrupt(file, editField(6, 2, '-1'));
		expectRefusal(() => loadArtifacts(negative.dir), `${negative.path}:6: frequency "-1" is not a whole number`, negative.path, 6);
	});

	it('refuses a row with a missing field', () => {
		const {dir, path} = corrupt(file, editLine(3, () => '1,dog'));
		expectRefusal(() => loadArtifacts(dir), `${path}:3: 2 fields, expected 3`, path, 3);
	});

	it('counts lines of a multi-line quoted field when naming a later line', () => {
		// line 3 becomes a two-line record, so the next record ("2,mat,1") starts on line 5
		const {dir, path} = corrupt(file, (t) => t.replace('1,dog,1\n', '1,"do\ng",1\n').replace('2,mat,1\n', '7,mat,1\n'));
		expectRefusal(() => loadVocabulary(dir), `${path}:5: token_id "7" should be 2: ids must run 0, 1, 2, ... in order`, path, 5);
	});

	it('refuses CSV damage with the file and line', () => {
		const {dir, path} = corrupt(file, editLine(4, () => '2,m"at,1'));
		expectRefusal(() => loadArtifacts(dir), `${path}:4: a quote inside an unquoted field`, path, 4);
	});
});

describe('the weights file is checked', () => {
	const file = '02_model_weights.csv';

	it('refuses a header that does not match the vocabulary', () => {
		const {dir, path} = corrupt(file, editLine(1, () => 'input_token,dog,cat,mat,on,rug,sat,the'));
		expectRefusal(
			() => loadArtifacts(dir),
			`${path}:1: wrong header "input_token,dog,cat,mat,on,rug,sat,the"; expected input_token,cat,dog,mat,on,rug,sat,the`,
			path,
			1,
		);
	});

	it('refuses a row with too few fields', () => {
		const {dir, path} = corrupt(file, editLine(7, (l) => l.slice(0, l.lastIndexOf(','))));
		expectRefusal(() => loadArtifacts(dir), `${path}:7: 7 fields, expected 8`, path, 7);
	});

	it('refuses a row with too many fields', () => {
		const {dir, path} = corrupt(file, editLine(29, (l) => l + ',0.00000000'));
		expectRefusal(() => loadArtifacts(dir), `${path}:29: 9 fields, expected 8`, path, 29);
	});

	it('refuses a non-numeric weight, naming line and column', () => {
		// field 4 of line 7 ("cat|sat") is the weight of column "on"
		const {dir, path} = corrupt(file, editField(7, 4, 'abc'));
		expectRefusal(() => loadArtifacts(dir), `${path}:7: column on: "abc" is not a finite number`, path, 7);
	});

	it('refuses nan, inf and an overflowing weight', () => {
		for (const [value, line, field, column] of [
			['nan', 2, 1, 'cat'],
			['NaN', 3, 2, 'dog'],
			['inf', 29, 7, 'the'],
			['-Infinity', 50, 6, 'sat'],
			['1e999', 44, 5, 'rug'],
		] as const) {
			const {dir, path} = corrupt(file, editField(line, field, value));
			expectRefusal(() => loadArtifacts(dir), `${path}:${line}: column ${column}: "${value}" is not a finite number`, path, line);
		}
	});

	it('refuses an empty weight', () => {
		const {dir, path} = corrupt(file, editField(10, 3, ''));
		expectRefusal(() => loadArtifacts(dir), `${path}:10: column mat: "" is not a finite number`, path, 10);
	});

	it('refuses a wrong row label, naming the expected one', () => {
		const {dir, path} = corrupt(file, editField(7, 0, 'cat|sit'));
		expectRefusal(() => loadArtifacts(dir), `${path}:7: row label "cat|sit" should be "cat|sat" (row 5)`, path, 7);
	});

	it('refuses two rows in the wrong order', () => {
		const {dir, path} = corrupt(file, (t) => {
			const lines = t.split('\n');
			[lines[2], lines[3]] = [lines[3]!, lines[2]!];
			return lines.join('\n');
		});
		expectRefusal(() => loadArtifacts(dir), `${path}:3: row label "cat|mat" should be "cat|dog" (row 1)`, path, 3);
	});

	it('refuses a missing row', () => {
		const {dir, path} = corrupt(file, (t) => t.replace(/the\|the,[^\n]*\n/, ''));
		expectRefusal(() => loadArtifacts(dir), `${path}: 48 rows, but a 2-token context over 7 tokens needs 49 (V^2)`, path, undefined);
	});

	it('refuses an extra row', () => {
		const {dir, path} = corrupt(file, (t) => t + 'the|the' + ',0.00000000'.repeat(7) + '\n');
		expectRefusal(() => loadArtifacts(dir), `${path}: 50 rows, but a 2-token context over 7 tokens needs 49 (V^2)`, path, undefined);
	});

	it('refuses a missing weights file, saying how train makes it again', () => {
		const dir = join(base, `corrupt-${counter++}`);
		cpSync(trained.artifactsDir, dir, {recursive: true});
		const path = join(dir, '02_model_weights.csv');
		rmSync(path);
		expect(() => loadArtifacts(dir)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is missing; make it with: toy-gpt-tui train --corpus \\S+ --context 2 --epochs \\d+ --lr [\\d.]+ --artifacts \\S+$`));
	});
});

describe('the train log is checked', () => {
	const file = 'train_log.csv';
	const fromOutputs = (edit: (text: string) => string) => corrupt(file, edit, trained.outputsDir);

	it('refuses a gap in the epochs', () => {
		const {dir, path} = fromOutputs(editField(3, 0, '3'));
		expectRefusal(() => loadTrainLog(dir), `${path}:3: epoch "3" should be 2: epochs must run 1, 2, 3, ... without gaps`, path, 3);
	});

	it('refuses a log that starts at epoch 0', () => {
		const {dir, path} = fromOutputs(editField(2, 0, '0'));
		expectRefusal(() => loadTrainLog(dir), `${path}:2: epoch "0" should be 1: epochs must run 1, 2, 3, ... without gaps`, path, 2);
	});

	it('refuses a non-numeric loss', () => {
		const {dir, path} = fromOutputs(editField(5, 1, 'lots'));
		expectRefusal(() => loadTrainLog(dir), `${path}:5: avg_loss: "lots" is not a finite number`, path, 5);
	});

	it('refuses a negative loss and an accuracy outside 0..1', () => {
		const negative = fromOutputs(editField(4, 1, '-0.5'));
		expectRefusal(() => loadTrainLog(negative.dir), `${negative.path}:4: avg_loss -0.5 is negative`, negative.path, 4);
		const tooHigh = fromOutputs(editField(6, 2, '1.5'));
		expectRefusal(() => loadTrainLog(tooHigh.dir), `${tooHigh.path}:6: accuracy 1.5 is outside 0..1`, tooHigh.path, 6);
	});

	it('refuses a wrong header and a short row', () => {
		const header = fromOutputs(editLine(1, () => 'epoch,loss,accuracy'));
		expectRefusal(() => loadTrainLog(header.dir), `${header.path}:1: wrong header "epoch,loss,accuracy"; expected epoch,avg_loss,accuracy`, header.path, 1);
		const short = fromOutputs(editLine(8, () => '7,0.5'));
		expectRefusal(() => loadTrainLog(short.dir), `${short.path}:8: 2 fields, expected 3`, short.path, 8);
	});

	it('reads a header-only log as no epochs', () => {
		const {dir} = fromOutputs(() => 'epoch,avg_loss,accuracy\n');
		expect(loadTrainLog(dir)).toEqual([]);
	});
});

describe('parseWeight', () => {
	it('reads plain decimal forms', () => {
		expect(parseWeight('w.csv', 2, 'column a', '0.5')).toBe(0.5);
		expect(parseWeight('w.csv', 2, 'column a', '-1.25e-3')).toBe(-0.00125);
		expect(parseWeight('w.csv', 2, 'column a', '+2')).toBe(2);
		expect(parseWeight('w.csv', 2, 'column a', '.5')).toBe(0.5);
		expect(parseWeight('w.csv', 2, 'column a', '5.')).toBe(5);
		expect(parseWeight('w.csv', 2, 'column a', '-0.00000000')).toBe(-0);
	});

	it('refuses forms Number() would accept but Python never writes', () => {
		for (const field of ['', ' 1', '1 ', '0x10', '1_0', 'Infinity', '0b1', '.', '1e', '--1']) {
			expect(() => parseWeight('w.csv', 9, 'column a', field), JSON.stringify(field)).toThrow(
				`w.csv:9: column a: "${field}" is not a finite number`,
			);
		}
	});
});

const reference = fileURLToPath(new URL('../../../shared/reference/train-300-context-2-animals/artifacts', import.meta.url));

describe.skipIf(!existsSync(reference))('the reference artifacts', () => {
	it('load as a context2 model over 14 tokens', () => {
		const {meta, model} = loadArtifacts(reference);
		expect(meta.modelKind).toBe('context2');
		expect(meta.vocabSize).toBe(14);
		expect(model.kind).toBe('context2');
		expect(model.V).toBe(14);
		expect((model as Model).fullRowCount).toBe(196);
		expect(model.vocabulary.tokens[0]).toBe('big');
		expect(model.vocabulary.tokens[13]).toBe('the');
		// "big big" never occurs: its row is all zeros, so not stored
		expect((model as Model).slotOf([0, 0])).toBe(-1);
	});
});

describe('what the meta file claims is checked (the manifest resealed to agree, so the claim\'s own check answers)', () => {
	const metaPath = (dir: string) => join(dir, '00_meta.json');

	it('num_seen_contexts that is not the weights file\'s count of seen contexts', () => {
		const {dir} = corrupt('00_meta.json', (t) => t.replace(/"num_seen_contexts": (\d+)/, (_, k) => `"num_seen_contexts": ${Number(k) + 1}`));
		const seen = trained.run.model.rowCount;
		expectRefusal(() => loadArtifacts(dir), `${metaPath(dir)}: num_seen_contexts ${seen + 1}, but 02_model_weights.csv holds ${seen} contexts with weights`, metaPath(dir), undefined);
	});

	it('num_seen_contexts of the wrong type, or missing', () => {
		const text = corrupt('00_meta.json', (t) => t.replace(/"num_seen_contexts": (\d+)/, '"num_seen_contexts": "$1"'));
		expect(() => loadArtifacts(text.dir)).toThrow(/: num_seen_contexts "\d+" is not a whole number$/);
		const missing = corrupt('00_meta.json', (t) => t.replace(/ {2}"num_seen_contexts": \d+,\n/, ''));
		expectRefusal(() => loadArtifacts(missing.dir), `${metaPath(missing.dir)}: has toy-gpt-tui's manifest but not its keys num_seen_contexts`, metaPath(missing.dir), undefined);
	});

	it('context_size contradicting model_kind', () => {
		const {dir} = corrupt('00_meta.json', (t) => t.replace('"context_size": 2', '"context_size": 3'));
		expect(() => loadArtifacts(dir)).toThrow(`${metaPath(dir)}:`);
		expect(() => loadArtifacts(dir)).toThrow(/: context_size 3 contradicts model_kind "context2" \(context 2\)$/);
	});

	it('num_training_pairs that is not num_tokens less the context size', () => {
		const {dir} = corrupt('00_meta.json', (t) => t.replace(/"num_training_pairs": (\d+)/, (_, k) => `"num_training_pairs": ${Number(k) - 1}`));
		expect(() => loadArtifacts(dir)).toThrow(/: num_training_pairs \d+ should be \d+: num_tokens \d+ less the context size 2$/);
	});

	it('a meta file nested 100,000 levels deep is refused in one line, before anything walks it', () => {
		const {dir} = corrupt('00_meta.json', (t) => t.replace('"notes": [', `"deep": ${'['.repeat(100_000)}${']'.repeat(100_000)},\n  "notes": [`));
		expectRefusal(() => loadArtifacts(dir), `${metaPath(dir)}: nested more than 32 levels deep: not a meta file`, metaPath(dir), undefined);
	});
});

describe('a set that is not one run\'s is refused, naming the file that does not belong', () => {
	it('a sparse weights file cut short (whole rows missing) is refused, not read as contexts never seen', () => {
		// Written sparse, then cut after its 5th line (whole rows missing).
		const dir = join(base, `sparse-${counter++}`);
		mkdirSync(dir, {recursive: true});
		const corpus = corpusFromBytes(join(dir, 'corpus.txt'), Buffer.from('a b c d e f a c e b d f a d\n'));
		const run = new TrainingRun(corpus.vocabulary, corpus.ids, 1, 0.5);
		for (let e = 0; e < 3; e++) run.epoch();
		writeArtifacts({artifactsDir: dir, outputsDir: dir, model: run.model, corpus, settings: {learningRate: 0.5, epochs: 3}, pairCount: run.pairCount, log: run.log, format: 'sparse'});
		const path = join(dir, '02_model_weights.csv');
		const whole = readFileSync(path, 'utf8');
		const cut = whole.split('\n').slice(0, 5).join('\n') + '\n';
		writeFileSync(path, cut);
		expectRefusal(
			() => loadArtifacts(dir),
			`${path}: does not belong to this set: ${Buffer.byteLength(cut)} bytes, but 00_meta.json (run ${JSON.parse(readFileSync(join(dir, '00_meta.json'), 'utf8')).manifest.run_id.slice(0, 12)}) records ${Buffer.byteLength(whole)} (another run's file, or one cut short)`,
			path,
			undefined,
		);
		// With the manifest resealed to the cut file, the count of seen contexts still tells.
		reseal(dir);
		expect(() => loadArtifacts(dir)).toThrow(/00_meta\.json: num_seen_contexts 6, but 02_model_weights\.csv holds 1 context with weights$/);
	});

	it('a weights file from another run of the same corpus (one more epoch) is refused', () => {
		const other = trainAndWrite(TEXT, 2, 21);
		const {dir} = corrupt('00_meta.json', (t) => t);
		cpSync(join(other.artifactsDir, '02_model_weights.csv'), join(dir, '02_model_weights.csv'));
		expect(() => loadArtifacts(dir)).toThrow(/02_model_weights\.csv: does not belong to this set: its SHA-256 differs from the one 00_meta\.json \(run [0-9a-f]{12}\) records \(another run's file, or an edited one\)$/);
	});

	it('a train log from another run is refused with the set\'s manifest', () => {
		const other = trainAndWrite(TEXT, 2, 21);
		const {manifest} = loadMeta(trained.artifactsDir);
		expect(() => loadTrainLog(other.outputsDir, manifest)).toThrow(/train_log\.csv: does not belong to this set: \d+ bytes, but 00_meta\.json \(run [0-9a-f]{12}\) records \d+/);
		expect(loadTrainLog(trained.outputsDir, manifest)).toHaveLength(20);
	});
});
