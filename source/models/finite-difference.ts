/**
 * Checking a gradient by finite differences, for any model: the loss of one
 * pair is L(θ), and its derivative along one parameter θ_k is, to second
 * order in a small step h,
 *
 *   ∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h
 *
 * (the central difference: its error is h²/6 · ∂³L/∂θ_k³, plus the rounding
 * error of L divided by 2h). Each family's gradient-check.ts says how to
 * read and write one of its parameters and how to take its loss.
 */

/**
 * The central difference along one parameter: set to θ + h, then θ − h, then
 * back to θ exactly (the value saved before, not θ − h + h, which may round).
 */
export function centralDifference(parameter: {read(): number; write(value: number): void}, loss: () => number, h = 1e-6): number {
	const theta = parameter.read();
	parameter.write(theta + h);
	const above = loss();
	parameter.write(theta - h);
	const below = loss();
	parameter.write(theta);
	return (above - below) / (2 * h);
}

/** The agreement rule: |fd − g| ≤ 1e-6 · max(|g|, |fd|) + 1e-9. */
export function agrees(analytic: number, numeric: number): boolean {
	return Math.abs(numeric - analytic) <= 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-9;
}
