/**
 * Milliseconds on a monotonic clock, for timing and throttling in the
 * headless commands: performance.now() would load perf_hooks, about 1 ms of
 * a short command's start.
 */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The size of the next stretch of pairs trained without a pause: doubled
 * while a stretch takes under 50 ms, halved above 200 ms, so a stretch takes
 * about a tenth of a second whatever a pair costs (a pair of a row with
 * millions of weights of its own takes a fraction of a millisecond). The
 * pause between stretches lets a signal's handler and progress reports run;
 * the weights do not depend on the stretches.
 */
export class Stretches {
	size = 256;
	private started = 0;

	start(): void {
		this.started = nowMs();
	}

	async pause(): Promise<void> {
		const took = nowMs() - this.started;
		if (took < 50 && this.size < 1 << 20) this.size *= 2;
		else if (took > 200 && this.size > 1) this.size >>= 1;
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/** A progress callback that passes at most one call a second (`everyMs`) on to `report`. */
export function throttle(report: (done: number) => void, everyMs = 1000): (done: number) => void {
	let last = nowMs();
	return (done) => {
		const now = nowMs();
		if (now - last < everyMs) return;
		last = now;
		report(done);
	};
}
