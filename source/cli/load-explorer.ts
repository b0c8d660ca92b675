/**
 * The explorer's module, imported only when the explorer starts. The built
 * command line (dist/main.cjs, see scripts/build.mjs) replaces this file with
 * a call to its launcher, which imports the explorer's own bundle.
 */
export function loadExplorer(): Promise<typeof import('../explorer/start.js')> {
	return import('../explorer/start.js');
}
