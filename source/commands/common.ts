/** What every headless command is given: where to print, and the current folder. */

export interface Output {
	write(text: string): void;
}

export interface CommandIo {
	readonly stdout: Output;
	readonly stderr: Output;
	readonly cwd: string;
}
