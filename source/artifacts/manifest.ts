/**
 * The manifest of a set: `00_meta.json` holds, under the added key
 * `manifest`, each other file of the run (`01_vocabulary.csv`,
 * `02_model_weights.csv`, `03_token_embeddings.csv` beside it, and
 * `train_log.csv` in the outputs folder) with its size in bytes and its
 * SHA-256, and a run id derived from the content alone: the SHA-256 of
 * those files' lines (`NAME BYTES SHA256\n`, in name order, as the manifest
 * lists them) and of
 * a last line `00_meta.json SHA256\n` hashing the meta file's own text
 * without the manifest's lines. The same run writes the same bytes, and an
 * edit of any file, the meta file's values included, no longer matches.
 *
 * The series' own readers ignore keys they do not know (the client reads
 * the keys it needs; e_infer.py reads `model_kind`, `vocab_size` and the
 * `artifacts` names), so the added key changes nothing for them.
 */
import {createHash} from 'node:crypto';
import {FileFormatError} from '../runtime/errors.js';
import type {PyJson} from './pyformat.js';

export const MANIFEST_KEY = 'manifest';
/** The name the meta file goes by in the run id. */
const META_NAME = '00_meta.json';

export interface ManifestEntry {
	readonly name: string;
	readonly bytes: number;
	readonly sha256: string;
}

export interface Manifest {
	readonly files: readonly ManifestEntry[];
	readonly runId: string;
	/** Whether the meta file's own text is what the run id was made from (checkMetaIntact). */
	readonly metaIntact: boolean;
}

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The run id of these files and a meta file whose text, without its manifest, is `metaBase`. */
export function runId(files: readonly ManifestEntry[], metaBase: string): string {
	// In name order, as the meta file lists them (Python's sort_keys).
	const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const lines = sorted.map((file) => `${file.name} ${file.bytes} ${file.sha256}\n`).join('') + `${META_NAME} ${sha256Hex(metaBase)}\n`;
	return sha256Hex(lines);
}

/** The manifest's value in the meta file (keys sorted as Python's json.dump writes them). */
export function makeManifest(files: readonly ManifestEntry[], metaBase: string): PyJson {
	const entries: {[name: string]: PyJson} = {};
	for (const file of files) entries[file.name] = {bytes: file.bytes, sha256: file.sha256};
	return {files: entries, run_id: runId(files, metaBase)};
}

/**
 * The meta file's text without the manifest's lines (from `  "manifest": {`
 * to its closing `  },`), as it was before the manifest was added; undefined
 * when the manifest is not written as toy-gpt-tui writes it.
 */
export function textWithoutManifest(text: string): string | undefined {
	const lines = text.split('\n');
	const start = lines.indexOf(`  "${MANIFEST_KEY}": {`);
	if (start < 0) return undefined;
	const end = lines.findIndex((line, k) => k > start && (line === '  },' || line === '  }'));
	if (end < 0) return undefined;
	if (lines[end] === '  }') {
		// The last key: the one before it loses its comma.
		if (start < 1 || !lines[start - 1]!.endsWith(',')) return undefined;
		lines[start - 1] = lines[start - 1]!.slice(0, -1);
	}
	lines.splice(start, end - start + 1);
	return lines.join('\n');
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The manifest of a meta file's parsed value, and whether the meta file's
 * own text matches its run id; a FileFormatError naming the meta file when
 * the manifest is malformed.
 */
export function readManifest(value: unknown, metaText: string, metaPath: string, line: number | undefined): Manifest {
	const bad = (problem: string) => new FileFormatError(metaPath, line, `${MANIFEST_KEY}: ${problem}`);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('expected an object with "files" and "run_id"');
	const record = value as Record<string, unknown>;
	const files = record['files'];
	if (typeof files !== 'object' || files === null || Array.isArray(files)) throw bad('"files" is not an object of file names');
	const entries: ManifestEntry[] = [];
	for (const [name, entry] of Object.entries(files as Record<string, unknown>)) {
		const {bytes, sha256} = (typeof entry === 'object' && entry !== null ? entry : {}) as {bytes?: unknown; sha256?: unknown};
		if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw bad(`the size of ${JSON.stringify(name)} is not a whole number of bytes`);
		if (typeof sha256 !== 'string' || !HEX64.test(sha256)) throw bad(`the sha256 of ${JSON.stringify(name)} is not 64 hexadecimal digits`);
		entries.push({name, bytes, sha256});
	}
	const id = record['run_id'];
	if (typeof id !== 'string' || !HEX64.test(id)) throw bad('run_id is not 64 hexadecimal digits');
	const base = textWithoutManifest(metaText);
	return {files: entries, runId: id, metaIntact: base !== undefined && runId(entries, base) === id};
}

/** Refuse a meta file changed after it was written (its text no longer gives its run id). */
export function checkMetaIntact(manifest: Manifest, metaPath: string): void {
	if (!manifest.metaIntact) {
		throw new FileFormatError(metaPath, undefined, `changed after it was written: its content no longer gives its run id ${manifest.runId.slice(0, 12)}, so the set cannot be trusted`);
	}
}

/**
 * Refuse a file that is not the one the manifest names (another run's, a
 * copy cut short, an edit), naming it; `name` missing from the manifest is
 * refused too.
 */
export function checkManifestEntry(manifest: Manifest, name: string, path: string, bytes: number, sha256: () => string): void {
	const entry = manifest.files.find((file) => file.name === name);
	const run = `run ${manifest.runId.slice(0, 12)}`;
	if (entry === undefined) throw new FileFormatError(path, undefined, `${META_NAME} of ${run} does not list this file, so it cannot be checked`);
	if (entry.bytes !== bytes) {
		throw new FileFormatError(path, undefined, `does not belong to this set: ${bytes} bytes, but ${META_NAME} (${run}) records ${entry.bytes} (another run's file, or one cut short)`);
	}
	if (entry.sha256 !== sha256()) {
		throw new FileFormatError(path, undefined, `does not belong to this set: its SHA-256 differs from the one ${META_NAME} (${run}) records (another run's file, or an edited one)`);
	}
}
