/**
 * Reading a whole file, bounded: a regular file only, and never more than the
 * limit, whatever the file's size says.
 */
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readRegularFile} from '../../source/runtime/read-file.js';
import {UserError} from '../../source/runtime/errors.js';

const bounded = (limit: number) => ({what: 'the file', limit, tooLarge: (size: number | undefined) => `too large: ${size ?? 'grew'}`});

describe('readRegularFile', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'read-file-test-'));
	});
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('reads a file of exactly the limit, and refuses one byte more by its size', () => {
		const path = join(dir, 'ten.txt');
		writeFileSync(path, '0123456789');
		expect(readRegularFile(path, bounded(10)).toString()).toBe('0123456789');
		expect(() => readRegularFile(path, bounded(9))).toThrow(new UserError('too large: 10'));
	});

	it('reads an empty file', () => {
		const path = join(dir, 'empty.txt');
		writeFileSync(path, '');
		expect(readRegularFile(path, bounded(10)).length).toBe(0);
	});

	it('stops one byte past the limit in a file whose size says 0 (/proc/self/maps)', () => {
		if (!existsSync('/proc/self/maps')) return;
		expect(() => readRegularFile('/proc/self/maps', bounded(16))).toThrow(new UserError('too large: grew'));
	});

	it('refuses a directory and a device by what they are', () => {
		expect(() => readRegularFile(dir, bounded(10))).toThrow(new UserError(`the file ${dir} is a directory, not a text file`));
		if (existsSync('/dev/null')) expect(() => readRegularFile('/dev/null', bounded(10))).toThrow(new UserError('the file /dev/null is a character device, not a text file'));
	});

	it('names a missing file', () => {
		const path = join(dir, 'missing.txt');
		expect(() => readRegularFile(path, bounded(10))).toThrow(new UserError(`cannot read the file ${path}: no such file`));
	});
});
