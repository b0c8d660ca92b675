export async function startExplorer(_flags: Record<string, string | boolean | undefined>, _cwd: string): Promise<number> {
	process.stderr.write('toy-gpt-tui: the explorer is not built yet; use the headless commands (see toy-gpt-tui --help)\n');
	return 1;
}
