/**
 * A test helper: edit a set and its manifest together, as a hand would who
 * knows the manifest's rules.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runId, sha256Hex, textWithoutManifest, type ManifestEntry} from '../../source/artifacts/manifest.js';

/**
 * Make the meta file's manifest agree with the files as they now are (sizes,
 * SHA-256 and run id), as a hand who edits a set and its manifest would: the
 * checks of each file's content must hold without the manifest's help. A
 * meta file whose manifest no longer reads as written is left as it is.
 */
export function reseal(dir: string): void {
	const metaPath = join(dir, '00_meta.json');
	if (!existsSync(metaPath)) return; // an outputs folder: its log is checked against the artifacts' meta file
	let text = readFileSync(metaPath, 'utf8');
	const entries: ManifestEntry[] = [];
	const entry = /^ {6}"([^"]+)": \{\n {8}"bytes": (\d+),\n {8}"sha256": "([0-9a-f]{64})"\n {6}\}/gm;
	text = text.replace(entry, (whole, name: string, bytes: string, sha: string) => {
		const file = join(dir, name);
		if (!existsSync(file)) {
			entries.push({name, bytes: Number(bytes), sha256: sha});
			return whole;
		}
		const data = readFileSync(file);
		entries.push({name, bytes: data.length, sha256: sha256Hex(data)});
		return `      "${name}": {\n        "bytes": ${data.length},\n        "sha256": "${sha256Hex(data)}"\n      }`;
	});
	const base = textWithoutManifest(text);
	if (base === undefined || entries.length === 0) return;
	writeFileSync(metaPath, text.replace(/"run_id": "[0-9a-f]{64}"/, `"run_id": "${runId(entries, base)}"`));
}
