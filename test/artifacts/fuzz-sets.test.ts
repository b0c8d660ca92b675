/**
 * Seeded fuzzing of whole artifact sets: a few hundred mutations of a dense
 * and a sparse set (truncate a file, flip a byte, drop or repeat a line, edit
 * a meta value or its type, swap in a file of another run of the same
 * corpus, drop the manifest). Each must be refused with one line naming a
 * file of the set, or load as the unchanged model; none may load as another
 * model (silently wrong).
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {corpusFromBytes} from '../../source/text/corpus.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {writeArtifacts, type WeightsFormat} from '../../source/artifacts/write.js';
import {loadArtifacts} from '../../source/artifacts/read.js';
import {isUserError} from '../../source/runtime/errors.js';
import type {Model} from '../../source/models/table/model.js';

const TEXT = 'the cat sat on the mat\nthe dog sat on the rug\nthe cat saw the dog\n';
const FILES = ['00_meta.json', '01_vocabulary.csv', '02_model_weights.csv', '03_token_embeddings.csv'] as const;
const base = mkdtempSync(join(tmpdir(), 'fuzz-sets-'));
afterAll(() => rmSync(base, {recursive: true, force: true}));

/** A set written by writeArtifacts, as file name -> bytes. */
function makeSet(name: string, format: WeightsFormat, epochs: number): Record<string, Buffer> {
	const dir = join(base, name);
	mkdirSync(dir, {recursive: true});
	const corpus = corpusFromBytes(join(base, 'corpus.txt'), Buffer.from(TEXT));
	const run = new TrainingRun(corpus.vocabulary, corpus.ids, 2, 0.5);
	for (let e = 0; e < epochs; e++) run.epoch();
	writeArtifacts({artifactsDir: dir, outputsDir: dir, model: run.model, corpus, settings: {learningRate: 0.5, epochs}, pairCount: run.pairCount, log: run.log, format});
	return Object.fromEntries(FILES.map((file) => [file, readFileSync(join(dir, file))]));
}

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function sameModel(a: Model, b: Model): boolean {
	if (a.n !== b.n || a.V !== b.V || a.vocabulary.tokens.join('\n') !== b.vocabulary.tokens.join('\n')) return false;
	const bytes = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
	const keys = ['contexts', 'colStart', 'cols', 'weights', 'shared'] as const;
	return keys.every((key) => bytes(a.rows[key]).equals(bytes(b.rows[key])));
}

const META_EDITS: ReadonlyArray<readonly [key: string, values: readonly string[]]> = [
	['num_seen_contexts', ['0', '1', '16', '"17"', 'null', '17.5', '-1', '[17]']],
	['context_size', ['1', '3', '"2"', 'null']],
	['vocab_size', ['1', '9', '"10"', '0']],
	['num_tokens', ['0', '20', '"21"']],
	['num_training_pairs', ['0', '18', '20']],
	['model_kind', ['"bigram"', '"context3"', '"unigram"', '2']],
	['weights_format', ['"dense"', '"sparse"', '"packed"', 'true']],
	['learning_rate', ['0.25', '1', '"0.5"']],
	['epochs', ['1', '99']],
];

type Outcome = 'refused' | 'unchanged' | 'silently wrong' | 'refused unclearly';

function mutate(set: Record<string, Buffer>, other: Record<string, Buffer>, rand: () => number): {files: Record<string, Buffer>; what: string} {
	const files = {...set};
	const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
	const file = pick(FILES);
	const bytes = files[file]!;
	const kind = Math.floor(rand() * 7);
	const linesOf = (buffer: Buffer) => buffer.toString('utf8').split('\n');
	switch (kind) {
		case 0: {
			const at = Math.floor(rand() * bytes.length);
			files[file] = bytes.subarray(0, at);
			return {files, what: `truncate ${file} at ${at}`};
		}
		case 1: {
			const at = Math.floor(rand() * bytes.length);
			const copy = Buffer.from(bytes);
			copy[at] = copy[at]! ^ (1 + Math.floor(rand() * 255));
			files[file] = copy;
			return {files, what: `flip byte ${at} of ${file}`};
		}
		case 2:
		case 3: {
			const list = linesOf(bytes);
			const at = Math.floor(rand() * (list.length - 1));
			if (kind === 2) list.splice(at, 1);
			else list.splice(at, 0, list[at]!);
			files[file] = Buffer.from(list.join('\n'));
			return {files, what: `${kind === 2 ? 'drop' : 'repeat'} line ${at + 1} of ${file}`};
		}
		case 4: {
			const [key, values] = pick(META_EDITS);
			const value = pick(values);
			const text = files['00_meta.json']!.toString('utf8');
			files['00_meta.json'] = Buffer.from(text.replace(new RegExp(`("${key}": )([^\\n,]*)`), `$1${value}`));
			return {files, what: `meta ${key} = ${value}`};
		}
		case 5: {
			const swapped = pick(FILES.slice(1));
			files[swapped] = other[swapped]!;
			return {files, what: `${swapped} of another run`};
		}
		default: {
			const text = files['00_meta.json']!.toString('utf8');
			files['00_meta.json'] = Buffer.from(text.replace(/ {2}"manifest": \{\n[\s\S]*?\n {2}\},\n/, ''));
			return {files, what: 'no manifest'};
		}
	}
}

describe('seeded fuzzing of artifact sets', () => {
	it('refuses every mutation with one line naming a file, or loads the unchanged model; never a wrong model', () => {
		const counts: Record<Outcome, number> = {refused: 0, unchanged: 0, 'silently wrong': 0, 'refused unclearly': 0};
		const problems: string[] = [];
		let tried = 0;
		const dir = join(base, 'trial');
		mkdirSync(dir, {recursive: true});
		for (const format of ['dense', 'sparse'] as const) {
			const set = makeSet(`${format}-a`, format, 5);
			const other = makeSet(`${format}-b`, format, 6);
			for (const name of FILES) writeFileSync(join(dir, name), set[name]!);
			const original = (loadArtifacts(dir).model as Model);
			const rand = random(format === 'dense' ? 15 : 16);
			for (let trial = 0; trial < 200; trial++) {
				const {files, what} = mutate(set, other, rand);
				for (const name of FILES) writeFileSync(join(dir, name), files[name]!);
				tried++;
				let outcome: Outcome;
				try {
					outcome = sameModel((loadArtifacts(dir).model as Model), original) ? 'unchanged' : 'silently wrong';
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					const clear = isUserError(error) && !/[\r\n]/.test(message) && FILES.some((name) => message.includes(join(dir, name)));
					outcome = clear ? 'refused' : 'refused unclearly';
					if (!clear) problems.push(`${format}: ${what}: ${message}`);
				}
				if (outcome === 'silently wrong') problems.push(`${format}: ${what}: loaded another model`);
				counts[outcome]++;
			}
		}
		console.log(`fuzzed sets: ${tried} tried, ${counts.refused} refused clearly, ${counts.unchanged} loaded unchanged, ${counts['silently wrong']} silently wrong, ${counts['refused unclearly']} refused unclearly`);
		expect(problems).toEqual([]);
		expect(counts['silently wrong']).toBe(0);
		expect(tried).toBe(400);
		expect(counts.refused + counts.unchanged).toBe(tried);
	});
});
