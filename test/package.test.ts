/**
 * package-lock.json describes package.json as it is: otherwise `npm ci`
 * refuses or `npm install` rewrites the lock on a learner's machine.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), 'utf8'));

describe('package-lock.json', () => {
	it("records package.json's name, version, bin, engines and dependencies", () => {
		const pkg = read('package.json');
		const lock = read('package-lock.json');
		const root = lock.packages[''];
		expect(lock.name).toBe(pkg.name);
		expect(lock.version).toBe(pkg.version);
		for (const field of ['name', 'version', 'license', 'bin', 'engines', 'dependencies', 'devDependencies']) {
			expect({field, value: root[field]}).toEqual({field, value: pkg[field]});
		}
	});
});
