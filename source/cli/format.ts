/** Figures as the command line and the explorer print them: padded text, percentages, bars. */

/** Pad `text` on the right to `width` display columns (`measured` is its width). */
export function padEnd(text: string, width: number, measured: number): string {
	return measured >= width ? text : text + ' '.repeat(width - measured);
}

/** 43.42%, 0.53%, 0.0046% (two significant digits below 0.01%). */
export function percent(p: number): string {
	if (p === 0 || p * 100 >= 0.01) return `${(p * 100).toFixed(2)}%`;
	const digits = Math.min(12, 1 - Math.floor(Math.log10(p * 100)));
	return `${(p * 100).toFixed(digits)}%`;
}

/** A bar of eighth-blocks, `width` cells for a share of 1. */
export function bar(share: number, width: number): string {
	const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
	const full = Math.floor(eighths / 8);
	const rest = eighths % 8;
	return '█'.repeat(full) + (rest ? ' ▏▎▍▌▋▊▉'[rest] : '');
}
