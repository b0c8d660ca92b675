/**
 * Helpers of the command-line tests: run the built CLI (dist/cli.cjs) as a
 * child process in a temporary folder, and small tools to compare what it
 * writes (file trees, Python-style JSON).
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll} from 'vitest';

/** The project root (this file is test/cli/helpers.ts). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');
export const CLI = join(ROOT, 'dist', 'cli.cjs');
export const ANIMALS = join(ROOT, 'corpus', '001_animals.txt');
export const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'train-300-context-2-animals');

export interface RunResult {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
	readonly stdoutBytes: Buffer;
	readonly stderrBytes: Buffer;
	readonly args: readonly string[];
}

export interface RunOptions {
	readonly cwd: string;
	/** Extra environment variables (CI=true and NO_COLOR=1 are always set). */
	readonly env?: Record<string, string>;
	readonly timeoutMs?: number;
}

/** Run `node dist/cli.cjs ...args` with piped stdio (so never a TTY) and collect its output. */
export function run(args: readonly string[], options: RunOptions): Promise<RunResult> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
	const env: NodeJS.ProcessEnv = {...process.env, CI: 'true', NO_COLOR: '1', ...options.env};
	delete env['TOY_GPT_DEBUG'];
	delete env['FORCE_COLOR'];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const stdoutBytes = Buffer.concat(out);
			const stderrBytes = Buffer.concat(err);
			resolve({
				code,
				signal,
				stdout: stdoutBytes.toString('utf8'),
				stderr: stderrBytes.toString('utf8'),
				stdoutBytes,
				stderrBytes,
				args,
			});
		});
	});
}

/** The lines of a text that must end in a newline (throws when it does not). */
export function lines(text: string): string[] {
	if (text === '') return [];
	if (!text.endsWith('\n')) throw new Error(`output does not end in a newline: ${JSON.stringify(text.slice(-80))}`);
	return text.slice(0, -1).split('\n');
}

/**
 * A maker of temporary folders, removed after the file's tests. `files`
 * maps relative paths to contents written before returning.
 */
export function tempDirs(): (files?: Record<string, string | Uint8Array>) => string {
	const made: string[] = [];
	afterAll(() => {
		for (const dir of made) rmSync(dir, {recursive: true, force: true});
	});
	return (files = {}) => {
		const dir = mkdtempSync(join(tmpdir(), 'toy-gpt-cli-'));
		made.push(dir);
		for (const [path, content] of Object.entries(files)) {
			const full = join(dir, path);
			mkdirSync(dirname(full), {recursive: true});
			writeFileSync(full, content);
		}
		return dir;
	};
}

/** Every file and folder under `dir`: relative path, then size, mtime and content (files) for comparison. */
export function snapshotTree(dir: string): Record<string, string> {
	const result: Record<string, string> = {};
	const walk = (rel: string) => {
		for (const name of readdirSync(join(dir, rel)).sort()) {
			const path = rel ? `${rel}/${name}` : name;
			const stat = statSync(join(dir, path));
			if (stat.isDirectory()) {
				result[path + '/'] = 'dir';
				walk(path);
			} else if (!stat.isFile()) {
				// a device or a pipe (a test's hostile input): named, never read
				result[path] = 'not a regular file';
			} else {
				result[path] = `${stat.size} ${stat.mtimeMs} ${readFileSync(join(dir, path)).toString('base64')}`;
			}
		}
	};
	walk('');
	return result;
}

/** The paths of the five files `train` writes, relative to its working folder with default flags. */
export const TRAIN_FILES = [
	'artifacts/00_meta.json',
	'artifacts/01_vocabulary.csv',
	'artifacts/02_model_weights.csv',
	'artifacts/03_token_embeddings.csv',
	'outputs/train_log.csv',
] as const;

/**
 * Python's `json.dumps(value, indent=2, sort_keys=True)` (ensure_ascii on)
 * plus a trailing newline, for values read back with JSON.parse. JavaScript
 * cannot tell 1.0 from 1 after parsing, so the dotted key paths in `floats`
 * name the numbers Python holds as floats; their integral values are written
 * `1.0`, and small or large ones in Python's exponent form (`1e-05`).
 */
export function pyJsonDump(value: unknown, floats: ReadonlySet<string> = new Set()): string {
	return dump(value, '', '', floats) + '\n';
}

function dump(value: unknown, indent: string, path: string, floats: ReadonlySet<string>): string {
	if (value === null) return 'null';
	if (typeof value === 'boolean') return String(value);
	if (typeof value === 'string') return pyString(value);
	if (typeof value === 'number') return floats.has(path) ? pyFloat(value) : String(value);
	const inner = indent + '  ';
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map((item, i) => inner + dump(item, inner, `${path}[${i}]`, floats)).join(',\n')}\n${indent}]`;
	}
	if (typeof value === 'object') {
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		if (keys.length === 0) return '{}';
		const item = (key: string) => `${inner}${pyString(key)}: ${dump(record[key], inner, path ? `${path}.${key}` : key, floats)}`;
		return `{\n${keys.map(item).join(',\n')}\n${indent}}`;
	}
	throw new Error(`cannot serialise ${typeof value}`);
}

function pyFloat(x: number): string {
	if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
	const js = String(x);
	// JavaScript writes 1e-7 and 1e+21; Python 1e-07 and 1e+21, and switches to exponents below 1e-4.
	const exp = js.match(/^(-?[\d.]+)e([+-])(\d+)$/);
	if (exp) return `${exp[1]}e${exp[2]}${exp[3]!.padStart(2, '0')}`;
	if (Math.abs(x) < 1e-4 && x !== 0) {
		const [m, e] = x.toExponential().split('e') as [string, string];
		return `${m}e${e[0]}${e.slice(1).padStart(2, '0')}`;
	}
	return js;
}

function pyString(text: string): string {
	const escapes: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		const code = text.charCodeAt(i);
		if (escapes[c]) out += escapes[c];
		else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += c;
	}
	return out + '"';
}

/** Escape a string for use inside a RegExp. */
export function reEscape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
