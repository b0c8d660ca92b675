/**
 * Has a training run settled? A model read before its loss has stopped
 * falling shows distributions that more epochs would still change, so
 * comparing it with another says little about the models and much about
 * where training was stopped.
 */

/** The share of the loss the last stretch of epochs may still remove for a run to count as settled. */
export const SETTLED_DROP = 0.01;
/** The last stretch: this share of the epochs run (at least one epoch). */
export const SETTLED_STRETCH = 0.1;

export interface Convergence {
	/** True: settled; false: still training; undefined: too few epochs to tell. */
	readonly settled: boolean | undefined;
	/** How much the last stretch lowered the average loss, relative to where it began (0.05 = 5%). */
	readonly drop: number;
	/** Epochs in the last stretch. */
	readonly over: number;
}

/**
 * A run has converged when the last tenth of its epochs (at least one)
 * lowered its average loss by at most 1% of the loss where that stretch began:
 *
 *   k = max(1, ceil(E / 10)),  drop = (loss[E-k] - loss[E]) / loss[E-k],  settled ⇔ drop ≤ 1%
 *
 * with loss[e] the average loss of epoch e (1-based) and E the epochs run. A
 * loss that rose counts as settled (falling further is not what is happening).
 * With fewer than two epochs there is nothing to compare: unknown.
 */
export function convergence(losses: readonly number[]): Convergence {
	const epochs = losses.length;
	if (epochs < 2) return {settled: undefined, drop: 0, over: 0};
	const over = Math.min(epochs - 1, Math.max(1, Math.ceil(epochs * SETTLED_STRETCH)));
	const from = losses[epochs - 1 - over]!;
	const to = losses[epochs - 1]!;
	const drop = from > 0 ? (from - to) / from : 0;
	return {settled: drop <= SETTLED_DROP, drop, over};
}
