/**
 * Terminal safety: a corpus holding escape sequences, BEL, C1 controls and
 * bidirectional overrides never reaches the terminal raw in text mode (they
 * are shown escaped, \x1b, \u202e), while --json keeps the raw tokens,
 * every control and bidi character written as a JSON escape (\u001b,
 * \u009b, \u202e).
 */
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {lines, run, tempDirs, type RunResult} from './helpers.js';
import {jsonText} from '../../source/cli/format.js';

// Spawning is slow on a loaded machine: allow for it.
vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000});

const makeDir = tempDirs();

// "red" + SGR red, an OSC set-title ended by BEL, RIGHT-TO-LEFT OVERRIDE,
// the C1 CSI (U+009B) and LEFT-TO-RIGHT ISOLATE.
const CORPUS = 'red\x1b[31m text \x1b]0;title\x07 \u202e evil csi\u009b2J \u2066iso red\x1b[31m text\n';
const RAW_TOKENS = ['red\x1b[31m', 'text', '\x1b]0;title\x07', '\u202e', 'evil', 'csi\u009b2J', '\u2066iso', 'red\x1b[31m', 'text'];
const SHOWN: Record<string, string> = {
	'red\x1b[31m': 'red\\x1b[31m',
	text: 'text',
	'\x1b]0;title\x07': '\\x1b]0;title\\x07',
	'\u202e': '\\u202e',
	evil: 'evil',
	'csi\u009b2J': 'csi\\x9b2J',
	'\u2066iso': '\\u2066iso',
};
const FORBIDDEN: Array<[string, Buffer]> = [
	['ESC', Buffer.from([0x1b])],
	['BEL', Buffer.from([0x07])],
	['U+202E', Buffer.from('\u202e', 'utf8')],
	['U+009B', Buffer.from('\u009b', 'utf8')],
	['U+2066', Buffer.from('\u2066', 'utf8')],
];

function expectSafe(r: RunResult): void {
	expect(r.code, r.stderr).toBe(0);
	for (const [name, bytes] of FORBIDDEN) {
		expect(r.stdoutBytes.includes(bytes), `${name} in stdout of ${r.args.join(' ')}`).toBe(false);
		expect(r.stderrBytes.includes(bytes), `${name} in stderr of ${r.args.join(' ')}`).toBe(false);
	}
}

describe('escape sequences in the corpus', () => {
	let dir: string;
	let tokenize: RunResult, vocab: RunResult, train: RunResult, infer: RunResult, inferUnknown: RunResult;
	let tokenizeJson: RunResult, vocabJson: RunResult, inferJson: RunResult;

	beforeAll(async () => {
		dir = makeDir({'esc.txt': CORPUS});
		[tokenize, vocab, train, tokenizeJson, vocabJson] = await Promise.all([
			run(['tokenize', '--corpus', 'esc.txt'], {cwd: dir}),
			run(['vocab', '--corpus', 'esc.txt'], {cwd: dir}),
			run(['train', '--corpus', 'esc.txt', '--context', '1', '--epochs', '5'], {cwd: dir}),
			run(['tokenize', '--corpus', 'esc.txt', '--json'], {cwd: dir}),
			run(['vocab', '--corpus', 'esc.txt', '--json'], {cwd: dir}),
		]);
		[infer, inferUnknown, inferJson] = await Promise.all([
			run(['infer', '--prompt', 'red\x1b[31m', '--topk', '7', '--num', '4'], {cwd: dir}),
			run(['infer', '--prompt', 'x \x1b[2J\u202e', '--num', '1'], {cwd: dir}),
			run(['infer', '--prompt', 'red\x1b[31m', '--topk', '7', '--num', '4', '--json'], {cwd: dir}),
		]);
	});

	it('tokenize shows each token escaped, one a line', () => {
		expectSafe(tokenize);
		expect(lines(tokenize.stdout)).toEqual(RAW_TOKENS.map((t) => SHOWN[t]));
	});

	it('vocab shows the tokens escaped', () => {
		expectSafe(vocab);
		const rows = lines(vocab.stdout).slice(1).map((line) => line.trim().split(/ {2,}/));
		// Ids follow the tokens sorted by code point: "\x1b]..." (U+001B) first, then c, e, r, t, U+202E, U+2066.
		expect(rows).toEqual([
			['0', '\\x1b]0;title\\x07', '1'],
			['1', 'csi\\x9b2J', '1'],
			['2', 'evil', '1'],
			['3', 'red\\x1b[31m', '2'],
			['4', 'text', '2'],
			['5', '\\u202e', '1'],
			['6', '\\u2066iso', '1'],
		]);
	});

	it('train prints nothing raw', () => {
		expectSafe(train);
	});

	it('infer shows the prompt, context, candidates and continuation escaped', () => {
		expectSafe(infer);
		const out = lines(infer.stdout);
		expect(out[2]).toBe('prompt    red\\x1b[31m');
		expect(out[3]).toBe('context   red\\x1b[31m  ->  row red\\x1b[31m');
		const candidates = out.slice(5, 12).map((line) => line.trim().split(/ {2,}/)[0]);
		expect([...candidates].sort()).toEqual(Object.values(SHOWN).sort());
		expect(out.at(-1)).toMatch(/^generated (\S+ ){4} \[greedy\]$/);
		for (const token of out.at(-1)!.split(' ').slice(1, 5)) expect(Object.values(SHOWN)).toContain(token);
	});

	it('infer escapes an unknown word in its explanation', () => {
		expectSafe(inferUnknown);
		expect(lines(inferUnknown.stdout)[3]).toBe(
			'context   \\x1b[2J\\u202e  ->  no row: "\\x1b[2J\\u202e" is not in the vocabulary, so every next token is equally likely',
		);
	});

	it('--json keeps the raw tokens (JSON escapes the controls)', () => {
		for (const r of [tokenizeJson, vocabJson, inferJson]) {
			expect(r.code).toBe(0);
			expect(r.stdoutBytes.includes(0x1b)).toBe(false);
			expect(r.stdoutBytes.includes(0x07)).toBe(false);
		}
		expect(JSON.parse(tokenizeJson.stdout).tokens).toEqual(RAW_TOKENS);
		const vocabTokens = JSON.parse(vocabJson.stdout).tokens.map((t: {token: string}) => t.token);
		expect(vocabTokens).toEqual([...new Set(RAW_TOKENS)].sort());
		const parsed = JSON.parse(inferJson.stdout);
		expect(parsed.prompt).toBe('red\x1b[31m');
		expect(parsed.context).toEqual(['red\x1b[31m']);
		expect(parsed.row).toBe('red\x1b[31m');
		expect(parsed.top.map((t: {token: string}) => t.token).sort()).toEqual([...new Set(RAW_TOKENS)].sort());
		expect(parsed.generated).toHaveLength(4);
		for (const token of parsed.generated) expect(RAW_TOKENS).toContain(token);
		// The text run's continuation is the JSON one, escaped.
		expect(lines(infer.stdout).at(-1)).toBe(`generated ${parsed.generated.map((t: string) => SHOWN[t]).join(' ')}  [greedy]`);
	});
});

describe('compare\'s reading', () => {
	it('names the tokens escaped', async () => {
		// The unigram's best is q; after b, the bigram's is the red token.
		const dir = makeDir({'c.txt': 'b \x1b[31mred q q q \u202eq\n'.repeat(4)});
		const r = await run(['compare', '--corpus', 'c.txt', '--prompt', 'b', '--epochs', '1', '--lr', '1'], {cwd: dir});
		expectSafe(r);
		expect(lines(r.stdout).at(-1)).toContain('the most likely token moves from "q" (the unigram) to "\\x1b[31mred" (the bigram)');
	});
});

describe('escape sequences in arguments', () => {
	// Command names, flag names and paths are echoed into messages: an argument
	// holding ESC must not reach the terminal raw either.
	it('are shown escaped in error messages and headers', async () => {
		const dir = makeDir({'e\x1b[31m.txt': 'a b c\n'});
		const results = await Promise.all([
			run(['bad\x1b]0;x\x07'], {cwd: dir}),
			run(['tokenize', '--corpus', 'missing\x1b[31m.txt'], {cwd: dir}),
			run(['train', '--corpus', 'e\x1b[31m.txt', '--epochs', '1', '--artifacts', 'm\x1b[1m'], {cwd: dir}),
		]);
		results.push(await run(['infer', '--artifacts', 'm\x1b[1m', '--num', '1'], {cwd: dir}));
		expect(results.map((r) => r.code)).toEqual([2, 1, 0, 0]);
		for (const r of results) {
			expect(r.stderrBytes.includes(0x1b), r.stderr).toBe(false);
			expect(r.stdoutBytes.includes(0x1b), r.stdout).toBe(false);
		}
	});
});

describe('--json writes every control and bidi character as a \\u escape', () => {
	// Each one JSON.stringify leaves raw: DEL, C1 (U+0080-009F), the Arabic
	// letter mark, LRM/RLM, the embeddings and overrides, the isolates.
	const UNSAFE = [0x7f, ...Array.from({length: 0x20}, (_, i) => 0x80 + i), 0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
	const RAW_BYTES: Array<[string, Buffer]> = [
		['U+009B', Buffer.from('\u009b', 'utf8')],
		['U+202E', Buffer.from('\u202e', 'utf8')],
		['U+2066', Buffer.from('\u2066', 'utf8')],
		['U+0085', Buffer.from('\u0085', 'utf8')],
		['ESC', Buffer.from([0x1b])],
	];

	it('jsonText: \\u escapes for each, parsing back to the same value', () => {
		const all = String.fromCharCode(...UNSAFE);
		const text = jsonText({all, [all]: [all, 'plain é 😀']});
		expect(text).toBe(`{"all":"${UNSAFE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}","${UNSAFE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}":["${UNSAFE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}","plain é 😀"]}`);
		expect(JSON.parse(text)).toEqual({all, [all]: [all, 'plain é 😀']});
		expect(jsonText({csi: '\u009b2J', c0: '\x1b[31m'})).toBe('{"csi":"\\u009b2J","c0":"\\u001b[31m"}');
	});

	it('tokenize, vocab, train, infer and compare write none of them raw, and parse to the raw tokens', async () => {
		const dir = makeDir({'esc.txt': CORPUS});
		const [tokenize, vocab, train, compare] = await Promise.all([
			run(['tokenize', '--corpus', 'esc.txt', '--json'], {cwd: dir}),
			run(['vocab', '--corpus', 'esc.txt', '--json'], {cwd: dir}),
			run(['train', '--corpus', 'esc.txt', '--context', '1', '--epochs', '3', '--artifacts', 'm\u202e\u0085', '--json'], {cwd: dir}),
			run(['compare', '--corpus', 'esc.txt', '--prompt', 'csi\u009b2J \u2066iso', '--epochs', '3', '--json'], {cwd: dir}),
		]);
		const infer = await run(['infer', '--artifacts', 'm\u202e\u0085', '--prompt', 'evil csi\u009b2J', '--json'], {cwd: dir});
		for (const r of [tokenize, vocab, train, compare, infer]) {
			expect(r.code, r.stderr).toBe(0);
			for (const [name, bytes] of RAW_BYTES) expect(r.stdoutBytes.includes(bytes), `${name} in stdout of ${r.args.join(' ')}`).toBe(false);
		}
		expect(tokenize.stdout).toContain('"csi\\u009b2J","\\u2066iso"');
		expect(JSON.parse(tokenize.stdout).tokens).toEqual(RAW_TOKENS);
		expect(JSON.parse(vocab.stdout).tokens.map((t: {token: string}) => t.token)).toEqual([...new Set(RAW_TOKENS)].sort());
		const done = JSON.parse(lines(train.stdout).at(-1)!);
		expect(done.files[0]).toMatch(/^m\u202e\u0085[\\/]/);
		expect(train.stdout).toContain('m\\u202e\\u0085');
		const compared = JSON.parse(compare.stdout);
		expect(compared.prompt).toBe('csi\u009b2J \u2066iso');
		expect(compared.prompt_tokens).toEqual(['csi\u009b2J', '\u2066iso']);
		const inferred = JSON.parse(infer.stdout);
		expect(inferred.context).toEqual(['csi\u009b2J']);
		expect(infer.stdout).toContain('"row":"csi\\u009b2J"');
	});
});
