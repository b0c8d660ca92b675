/**
 * Python's `sum()` of floats, as CPython 3.12 and later compute it: a running
 * total f with Neumaier's compensation c, the rounding error of every
 * addition collected apart and added once at the end.
 *
 *   t = f + x
 *   c += |f| ≥ |x| ? (f − t) + x : (x − t) + f      (what the addition lost)
 *   f = t
 *   sum = f + c   (when c is a finite non-zero)
 *
 * It is not the correctly rounded sum (exact-sum.ts, Python's math.fsum) and
 * not a plain loop: the embeddings model sums as the series' Python does, so
 * it uses this one wherever the series calls sum().
 */

/** sum(xs) as CPython 3.12+ computes it for floats. */
export function pythonSum(xs: ArrayLike<number>): number {
	let f = 0.0;
	let c = 0.0;
	for (let i = 0; i < xs.length; i++) {
		const x = xs[i]!;
		const t = f + x;
		if (Math.abs(f) >= Math.abs(x)) c += f - t + x;
		else c += x - t + f;
		f = t;
	}
	return c !== 0 && Number.isFinite(c) ? f + c : f;
}
