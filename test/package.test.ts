/**
 * The package as it is published and installed: package-lock.json describes
 * package.json as it is (otherwise `npm ci` refuses or `npm install` rewrites
 * the lock on a learner's machine), and the packed package holds the built
 * command, the corpus and the artifacts, and no script that would run when
 * it is installed. The whole install, checked by hand:
 * docs/commands.md#installing-the-package.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
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

describe('the packed package', () => {
	it('has no script that runs when it is installed, so npm installs it without a warning', () => {
		// npm runs preinstall, install and postinstall wherever the package comes
		// from, and prepare for a tarball, a folder or git (and lists each as an
		// install script to review). The build runs before packing instead.
		const {scripts} = read('package.json');
		for (const event of ['preinstall', 'install', 'postinstall', 'prepare']) expect({event, script: scripts[event]}).toEqual({event, script: undefined});
		expect(scripts.prepack).toBe('npm run build');
		// `npm ci` and `npm install` in a clone still build dist/: npm runs
		// `dependencies` only in the project where it installs.
		expect(scripts.dependencies).toBe('npm run build');
	});

	it('holds the built command, the corpus and the shipped artifacts, and no sources or tests', () => {
		const root = fileURLToPath(new URL('..', import.meta.url));
		// --ignore-scripts: list what is there now, without building (npm test has built).
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
		const files: string[] = JSON.parse(out)[0].files.map((file: {path: string}) => file.path);
		for (const file of ['package.json', 'README.md', 'dist/cli.cjs', 'dist/main.cjs', 'dist/explorer.cjs', 'corpus/001_animals.txt', 'artifacts/00_meta.json', 'artifacts/02_model_weights.csv']) {
			expect(files, file).toContain(file);
		}
		expect(files.filter((file) => /^(source|test|scripts|bench|node_modules)\//.test(file))).toEqual([]);
	}, 30_000);
});
