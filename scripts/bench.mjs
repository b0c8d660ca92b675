// npm run bench: build what the benchmark needs, then run it.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'esbuild';
import {buildBrown} from './build-brown.mjs';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
buildBrown();
if (!existsSync(join(root, 'dist', 'cli.cjs'))) spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'});
const out = join(root, 'node_modules', '.cache', 'toy-gpt-tui', 'bench.mjs');
mkdirSync(join(out, '..'), {recursive: true});
await build({
	entryPoints: [join(root, 'bench', 'bench.ts')],
	outfile: out,
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	packages: 'external',
	logLevel: 'warning',
});
const result = spawnSync(process.execPath, [out, ...process.argv.slice(2)], {cwd: root, stdio: 'inherit'});
process.exit(result.status ?? 1);
