/**
 * Milliseconds on a monotonic clock, for timing and throttling in the
 * headless commands: performance.now() would load perf_hooks, about 1 ms of
 * a short command's start.
 */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}
