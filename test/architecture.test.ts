/**
 * The shape of source/: what may import what, and rooms small enough to
 * walk into. Read from the files themselves (every `import` and
 * `export … from`, type-only ones included), so a new file is checked too.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const SOURCE = fileURLToPath(new URL('../source/', import.meta.url));
/** The AssemblyScript kernel is compiled apart and imports nothing of ours. */
const APART = join(SOURCE, 'numerics', 'wasm');

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : [path];
	});
}

const modules = files(SOURCE).filter((file) => /\.tsx?$/.test(file) && !file.startsWith(APART));
const name = (file: string) => relative(SOURCE, file).split(sep).join('/');

/** Every specifier a module imports or re-exports from. */
function specifiers(text: string): string[] {
	const found: string[] = [];
	for (const match of text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
		found.push((match[1] ?? match[2] ?? match[3])!);
	}
	return found;
}

/** The module a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx`). */
function resolveModule(from: string, specifier: string): string {
	const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
	const found = [`${base}.ts`, `${base}.tsx`].find((candidate) => modules.includes(candidate));
	if (!found) throw new Error(`${name(from)} imports ${specifier}, which is not a module of source/`);
	return found;
}

const graph = new Map(
	modules.map((file) => {
		const text = readFileSync(file, 'utf8');
		const all = specifiers(text);
		return [file, {packages: all.filter((s) => !s.startsWith('.')), imports: all.filter((s) => s.startsWith('.')).map((s) => resolveModule(file, s))}];
	}),
);

/** The import cycles (strongly connected components of two or more modules, or a module importing itself). */
function cycles(): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	let next = 0;
	const visit = (file: string): void => {
		index.set(file, next);
		low.set(file, next++);
		stack.push(file);
		onStack.add(file);
		for (const to of graph.get(file)!.imports) {
			if (!index.has(to)) {
				visit(to);
				low.set(file, Math.min(low.get(file)!, low.get(to)!));
			} else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
		}
		if (low.get(file) === index.get(file)) {
			const component: string[] = [];
			let top: string;
			do {
				top = stack.pop()!;
				onStack.delete(top);
				component.push(name(top));
			} while (top !== file);
			if (component.length > 1 || graph.get(file)!.imports.includes(file)) found.push(component.sort());
		}
	};
	for (const file of modules) if (!index.has(file)) visit(file);
	return found;
}

/** Modules of `room` (a folder of source/) that import from a module matching `target`. */
function importsInto(room: string, target: (module: string) => boolean): string[] {
	return modules
		.filter((file) => name(file).startsWith(`${room}/`))
		.flatMap((file) => graph.get(file)!.imports.filter((to) => target(name(to))).map((to) => `${name(file)} -> ${name(to)}`));
}

const ENGINE = ['text', 'models', 'numerics', 'runtime', 'artifacts'];

describe('source/', () => {
	it('finds the imports it checks', () => {
		// The checker itself: a module known to import two others.
		const session = graph.get(join(SOURCE, 'explorer', 'session.ts'))!;
		expect(session.imports.map(name)).toContain('explorer/train-controller.ts');
		expect(session.imports.map(name)).toContain('text/corpus.ts');
		expect(specifiers("import type {A} from './a.js';\nexport {b} from '../b.js';\nimport './c.js';")).toEqual(['./a.js', '../b.js', './c.js']);
	});

	it('has no import cycle, type-only imports included', () => {
		expect(cycles()).toEqual([]);
	});

	it('has no explorer module importing from the headless commands', () => {
		expect(importsInto('explorer', (module) => module.startsWith('commands/'))).toEqual([]);
	});

	it('keeps the engine free of the screen and of the command line', () => {
		for (const room of ENGINE) {
			expect(importsInto(room, (module) => /^(explorer|commands|cli)\//.test(module) || module === 'cli.ts')).toEqual([]);
			const packages = modules.filter((file) => name(file).startsWith(`${room}/`)).flatMap((file) => graph.get(file)!.packages);
			expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
		}
	});

	it('keeps the readable reference free of the fast paths', () => {
		// reference.ts is what the fast paths are held to: it may use the
		// engine's exp and exact sum, and CPython's shuffle (held to Python
		// itself), never the code it checks.
		const reference = graph.get(join(SOURCE, 'reference.ts'))!;
		expect(reference.imports.map(name).sort()).toEqual(['numerics/exact-sum.ts', 'numerics/exp.ts', 'numerics/python-random.ts']);
	});

	it('has no folder of more than 12 files', () => {
		const counts = new Map<string, number>();
		for (const file of files(SOURCE)) counts.set(name(dirname(file)) || '.', (counts.get(name(dirname(file)) || '.') ?? 0) + 1);
		const crowded = [...counts].filter(([, count]) => count > 12);
		expect(crowded).toEqual([]);
	});
});
