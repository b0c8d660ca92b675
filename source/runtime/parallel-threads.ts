import {availableParallelism} from 'node:os';

/** Below this many pairs an epoch takes milliseconds: one thread is faster than starting more. */
export const PARALLEL_MIN_PAIRS = 200_000;

/** Threads for whole epochs: every core (up to 8) for a large corpus, one for a small one. */
export function defaultThreads(pairCount: number): number {
	return pairCount >= PARALLEL_MIN_PAIRS ? Math.max(1, Math.min(availableParallelism(), 8)) : 1;
}
