/**
 * The artifact readers read only regular files, and none larger than they can
 * take as one string (MAX_ARTIFACT_BYTES): anything else is refused in one
 * line naming the file, before it is read.
 */
import {cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadArtifacts, loadTrainLog} from '../../source/artifacts/read.js';
import {MAX_ARTIFACT_BYTES} from '../../source/artifacts/write.js';
import {UserError} from '../../source/runtime/errors.js';

const SHIPPED = fileURLToPath(new URL('../../artifacts/', import.meta.url));

let base: string;
let counter = 0;
/** A copy of the artifacts that ship (the animals model, context 2). */
function copy(): string {
	const dir = join(base, `set-${counter++}`);
	cpSync(SHIPPED, dir, {recursive: true});
	return dir;
}

beforeAll(() => {
	base = mkdtempSync(join(tmpdir(), 'bounded-read-test-'));
});
afterAll(() => {
	rmSync(base, {recursive: true, force: true});
});

describe('artifact files that are not regular files', () => {
	it('a weights file symlinked to /dev/zero is refused at once, naming the file', () => {
		if (!existsSync('/dev/zero')) return;
		const dir = copy();
		const path = join(dir, '02_model_weights.csv');
		rmSync(path);
		symlinkSync('/dev/zero', path);
		expect(() => loadArtifacts(dir)).toThrow(new UserError(`the weights ${path} is a character device, not a text file`));
	});

	it('a meta file that is a named pipe is refused without waiting for a writer', () => {
		const dir = copy();
		const path = join(dir, '00_meta.json');
		rmSync(path);
		try {
			execFileSync('mkfifo', [path]);
		} catch {
			return; // no mkfifo here
		}
		expect(() => loadArtifacts(dir)).toThrow(new UserError(`the meta file ${path} is a named pipe, not a text file`));
	});

	it('a vocabulary that is a directory is refused', () => {
		const dir = copy();
		const path = join(dir, '01_vocabulary.csv');
		rmSync(path);
		cpSync(SHIPPED, path, {recursive: true});
		expect(() => loadArtifacts(dir)).toThrow(new UserError(`the vocabulary ${path} is a directory, not a text file`));
	});
});

describe('artifact files larger than the readers take', () => {
	it('the limit is the longest string Node holds, 536,870,888 bytes on 64-bit Node', () => {
		expect(MAX_ARTIFACT_BYTES).toBe(536_870_888);
	});

	it('a weights file one byte over the limit is refused by its size, before it is read', () => {
		const dir = copy();
		const path = join(dir, '02_model_weights.csv');
		truncateSync(path, MAX_ARTIFACT_BYTES + 1); // sparse: nothing is written
		expect(() => loadArtifacts(dir)).toThrow(
			new UserError(
				`the weights ${path} is 512.0 MiB, more than toy-gpt-tui reads: an artifact file of at most 536,870,888 bytes (the longest text Node holds)`,
			),
		);
	});

	it('a train log of 1.2 GiB is refused the same way', () => {
		const dir = copy();
		const path = join(dir, 'train_log.csv');
		writeFileSync(path, 'epoch,avg_loss,accuracy\n');
		truncateSync(path, 1_288_490_189); // 1.2 GiB
		expect(() => loadTrainLog(dir)).toThrow(`the train log ${path} is 1.2 GiB, more than toy-gpt-tui reads`);
	});
});
