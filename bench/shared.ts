/**
 * What the embeddings and attention benchmarks share: medians, number
 * formats, a Markdown table, the wall clock of a whole process, and the
 * mid-size corpus both train on.
 */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {readCorpusFile} from '../source/text/corpus.js';
import {compareCodePoints} from '../source/text/vocabulary.js';

/** The mid-size corpus: the first MID_TOKENS tokens of Brown, the MID_KEEP most frequent kept. */
export const MID_TOKENS = 100_000;
export const MID_KEEP = 2_000;

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (x: number, digits = 3) => x.toFixed(digits);
export const count = (x: number) => x.toLocaleString('en-US');

export function table(header: string[], rows: string[][]): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((l) => l[i]!.length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
	return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** Seconds of one whole process, and its standard output; throws if it fails or passes `timeoutMs`. */
export function wallClock(command: string, args: string[], cwd: string, timeoutMs = 600_000): {seconds: number; stdout: string} {
	const start = performance.now();
	const result = spawnSync(command, args, {cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26});
	const seconds = (performance.now() - start) / 1000;
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	return {seconds, stdout: result.stdout};
}

/**
 * The mid-size corpus: the first MID_TOKENS tokens of Brown (as the engine
 * tokenizes it), the MID_KEEP most frequent kept (ties by code point order),
 * every other token `<unk>`, the lines kept. Returns the file's path.
 */
export function writeMidCorpus(brownPath: string, dir: string): string {
	const brown = readCorpusFile(brownPath);
	const length = Math.min(MID_TOKENS, brown.ids.length);
	const {tokens} = brown.vocabulary;
	const counts = new Map<number, number>();
	for (let k = 0; k < length; k++) counts.set(brown.ids[k]!, (counts.get(brown.ids[k]!) ?? 0) + 1);
	const ranked = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || compareCodePoints(tokens[a]!, tokens[b]!));
	const kept = new Set(ranked.slice(0, MID_KEEP));
	const parts: string[] = [];
	for (let k = 0; k < length; k++) {
		if (k > 0) parts.push(brown.text.slice(brown.tokenEnd[k - 1]!, brown.tokenStart[k]!).includes('\n') ? '\n' : ' ');
		parts.push(kept.has(brown.ids[k]!) ? tokens[brown.ids[k]!]! : '<unk>');
	}
	const path = join(dir, 'brown-100k-2000.txt');
	writeFileSync(path, parts.join('') + '\n');
	return path;
}
