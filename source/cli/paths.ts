/**
 * Where the command line and the explorer find their defaults: the corpus
 * and the artifacts of the current folder, else the ones the package ships.
 */
import {existsSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {META_FILE} from '../artifacts/write.js';

export const DEFAULT_CORPUS = 'corpus/001_animals.txt';
export const DEFAULT_ARTIFACTS = 'artifacts';
export const DEFAULT_OUTPUTS = 'outputs';

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
