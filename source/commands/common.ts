/** What the headless commands share: where the defaults live, and output. */
import {existsSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {META_FILE} from '../artifacts/write.js';

export const DEFAULT_CORPUS = 'corpus/001_animals.txt';
export const DEFAULT_ARTIFACTS = 'artifacts';
export const DEFAULT_OUTPUTS = 'outputs';

export interface Output {
	write(text: string): void;
}

export interface CommandIo {
	readonly stdout: Output;
	readonly stderr: Output;
	readonly cwd: string;
}

let root: string | undefined;

/** The folder of the installed package (where its corpus and artifacts ship). */
export function packageRoot(): string {
	if (root) return root;
	let dir = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
	root = dir;
	return dir;
}

/** The corpus to read: the flag, else the current folder's default corpus, else the one that ships. */
export function resolveCorpus(flag: string | undefined, cwd: string): string {
	if (flag !== undefined) return flag;
	if (existsSync(join(cwd, DEFAULT_CORPUS))) return DEFAULT_CORPUS;
	return relativeOrAbsolute(cwd, join(packageRoot(), DEFAULT_CORPUS));
}

/** The artifacts to read: the flag, else ./artifacts when it holds a model, else the ones that ship. */
export function resolveArtifactsToRead(flag: string | undefined, cwd: string): string {
	if (flag !== undefined) return flag;
	if (existsSync(join(cwd, DEFAULT_ARTIFACTS, META_FILE))) return DEFAULT_ARTIFACTS;
	return relativeOrAbsolute(cwd, join(packageRoot(), DEFAULT_ARTIFACTS));
}

function relativeOrAbsolute(cwd: string, path: string): string {
	const rel = relative(cwd, path);
	return rel.startsWith('..') ? path : rel;
}

/** Pad `text` on the right to `width` display columns (`measured` is its width). */
export function padEnd(text: string, width: number, measured: number): string {
	return measured >= width ? text : text + ' '.repeat(width - measured);
}

/** 43.42%, 0.53%, 0.0046% (two significant digits below 0.01%). */
export function percent(p: number): string {
	if (p === 0 || p * 100 >= 0.01) return `${(p * 100).toFixed(2)}%`;
	const digits = Math.min(12, 1 - Math.floor(Math.log10(p * 100)));
	return `${(p * 100).toFixed(digits)}%`;
}

/** A bar of eighth-blocks, `width` cells for a share of 1. */
export function bar(share: number, width: number): string {
	const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
	const full = Math.floor(eighths / 8);
	const rest = eighths % 8;
	return '█'.repeat(full) + (rest ? ' ▏▎▍▌▋▊▉'[rest] : '');
}
