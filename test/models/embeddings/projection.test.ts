/**
 * The embedding table's pictures (source/models/embeddings/projection.ts):
 * PCA against directions and shares worked out by hand, the eigenvectors'
 * sign convention, cosine similarity and the nearest rows.
 */
import {describe, expect, it} from 'vitest';
import {cosineSimilarity, covarianceMatrix, columnMeans, fixSign, nearestByCosine, pca2, symmetricEigen} from '../../../source/models/embeddings/projection.js';

/** A row-major table from its rows. */
function table(rows: number[][]): [Float64Array, number, number] {
	const cols = rows[0]?.length ?? 0;
	return [Float64Array.from(rows.flat()), rows.length, cols];
}

/** Each row's coordinates along a unit direction, about the mean row. */
function along(rows: number[][], direction: number[]): number[] {
	const mean = direction.map((_, j) => rows.reduce((sum, row) => sum + row[j]!, 0) / rows.length);
	return rows.map((row) => row.reduce((sum, v, j) => sum + (v - mean[j]!) * direction[j]!, 0));
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 12): void {
	expect(actual.length).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe('PCA to two dimensions', () => {
	it('finds the line the points lie on: (t, 2t, 0) gives (1, 2, 0)/√5, all of the spread, and no second component', () => {
		const rows = [-2, -1, 0, 1, 3].map((t) => [t, 2 * t, 0]);
		const {x, y, explained} = pca2(...table(rows));
		expectClose(x, along(rows, [1 / Math.sqrt(5), 2 / Math.sqrt(5), 0]));
		expect(explained[0]).toBeCloseTo(1, 12);
		expect(explained[1]).toBe(0);
		expect([...y]).toEqual([0, 0, 0, 0, 0]);
	});

	it('a line in awkward numbers: what rounding leaves across it (about 1e-16) is no second component, not noise to draw', () => {
		const rows = [0.1, 1.7, -2.3, 0.45, 3.3].map((t) => [t, 0.3 * t, -0.7 * t]);
		const {x, y, explained} = pca2(...table(rows));
		const length = Math.hypot(1, 0.3, 0.7);
		expectClose(x, along(rows, [1 / length, 0.3 / length, -0.7 / length]));
		expect(explained).toEqual([1, 0]);
		expect([...y]).toEqual([0, 0, 0, 0, 0]);
	});

	it('finds the plane: points on z = 0 spread more along x than y give x first, y second, and nothing for z', () => {
		const rows = [
			[3, 1, 0],
			[-3, 1, 0],
			[3, -1, 0],
			[-3, -1, 0],
		];
		const {x, y, explained} = pca2(...table(rows));
		expectClose(x, [3, -3, 3, -3]);
		expectClose(y, [1, 1, -1, -1]);
		// Variances 9 and 1 of a total of 10.
		expectClose(explained, [0.9, 0.1]);
	});

	it('splits the variance as a hand-computed covariance does', () => {
		// Centred rows (−1, −1), (1, 1), (−1, 1), (1, −1) plus (−2, −2), (2, 2) about the mean (1, 2).
		const centred = [
			[-1, -1],
			[1, 1],
			[-1, 1],
			[1, -1],
			[-2, -2],
			[2, 2],
		];
		const rows = centred.map(([a, b]) => [a! + 1, b! + 2]);
		// C = (1/6)[[12, 8], [8, 12]] = [[2, 4/3], [4/3, 2]]: eigenvalues 2 ± 4/3 along (1, 1)/√2 and (1, −1)/√2.
		const [data, V, d] = table(rows);
		expectClose(columnMeans(data, V, d), [1, 2]);
		expectClose(covarianceMatrix(data, V, d, columnMeans(data, V, d)), [2, 4 / 3, 4 / 3, 2]);
		const {x, y, explained} = pca2(data, V, d);
		expectClose(explained, [(2 + 4 / 3) / 4, (2 - 4 / 3) / 4]);
		expect(explained[0]).toBeCloseTo(5 / 6, 12);
		expectClose(x, along(rows, [Math.SQRT1_2, Math.SQRT1_2]));
		// (1, −1) and (−1, 1) tie for largest: the first decides, so (1, −1)/√2.
		expectClose(y, along(rows, [Math.SQRT1_2, -Math.SQRT1_2]));
	});

	it('keeps the largest component of each direction positive, whichever way the data is mirrored', () => {
		const rows = [-2, -1, 0, 1, 3].map((t) => [t, -3 * t, 0.5 * t * t]);
		const mirrored = rows.map((row) => row.map((v) => -v));
		const a = pca2(...table(rows));
		const b = pca2(...table(mirrored));
		// Mirroring the data mirrors the points, never the axes: the direction is fixed by the data, not by the run.
		expectClose(b.x, [...a.x].map((v) => -v));
		expectClose(b.y, [...a.y].map((v) => -v));
		// The first direction is mostly −y-column here, so its sign makes that column's weight positive: row 0 (t = −2, 6) projects positive.
		expect(a.x[0]).toBeGreaterThan(0);
	});

	it('gives the same bits twice, and again after the rows are shuffled (point for point)', () => {
		const rows = Array.from({length: 12}, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) - 2, i / 7]);
		const first = pca2(...table(rows));
		expect(pca2(...table(rows))).toEqual(first);
		const order = [5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6];
		const shuffled = pca2(...table(order.map((i) => rows[i]!)));
		expectClose(shuffled.x, order.map((i) => first.x[i]!), 10);
		expectClose(shuffled.y, order.map((i) => first.y[i]!), 10);
	});

	it('fixSign: the largest component by size decides, the first of a tie', () => {
		expect([...fixSign(Float64Array.from([0.1, -0.9, 0.3]))]).toEqual([-0.1, 0.9, -0.3]);
		expect([...fixSign(Float64Array.from([-0.5, 0.5]))]).toEqual([0.5, -0.5]);
		expect([...fixSign(Float64Array.from([0.5, -0.5]))]).toEqual([0.5, -0.5]);
		expect([...fixSign(Float64Array.from([0, 0]))]).toEqual([0, 0]);
	});

	it('Jacobi: a symmetric matrix is its eigenvectors scaled by its eigenvalues', () => {
		const n = 5;
		const m = new Float64Array(n * n);
		for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = Math.cos(i + 2 * j) + (i === j ? 3 : 0);
		const {values, vectors} = symmetricEigen(m, n);
		for (let k = 0; k < n; k++) {
			for (let i = 0; i < n; i++) {
				let mu = 0;
				for (let j = 0; j < n; j++) mu += m[i * n + j]! * vectors[j * n + k]!;
				expect(mu).toBeCloseTo(values[k]! * vectors[i * n + k]!, 12);
			}
		}
		// The trace is kept: Σ eigenvalues = Σ diagonal.
		let trace = 0;
		for (let i = 0; i < n; i++) trace += m[i * n + i]!;
		expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 12);
	});

	it('degenerate tables: no rows, one row, all rows equal, one column, no columns', () => {
		expect(pca2(new Float64Array(0), 0, 4)).toEqual({x: new Float64Array(0), y: new Float64Array(0), explained: [0, 0]});
		expect(pca2(Float64Array.from([1, 2, 3]), 1, 3)).toEqual({x: new Float64Array(1), y: new Float64Array(1), explained: [0, 0]});
		expect(pca2(Float64Array.from([1, 2, 1, 2, 1, 2]), 3, 2)).toEqual({x: new Float64Array(3), y: new Float64Array(3), explained: [0, 0]});
		const line = pca2(Float64Array.from([3, -1, 1]), 3, 1);
		expectClose(line.x, [2, -2, 0]);
		expect(line.explained).toEqual([1, 0]);
		expect([...line.y]).toEqual([0, 0, 0]);
		expect(pca2(new Float64Array(0), 3, 0)).toEqual({x: new Float64Array(3), y: new Float64Array(3), explained: [0, 0]});
		expect(() => pca2(new Float64Array(5), 2, 3)).toThrow(RangeError);
	});
});

describe('cosine similarity', () => {
	it('hand examples: same way 1, right angles 0, opposite −1, 45° 1/√2', () => {
		expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBe(1);
		expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
		expect(cosineSimilarity([1, 2], [-3, -6])).toBe(-1);
		expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 15);
		// (1, 2, 2)·(2, 1, −2) = 0; (3, 4)·(4, 3) = 24 over 5·5.
		expect(cosineSimilarity([1, 2, 2], [2, 1, -2])).toBe(0);
		expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(0.96, 15);
	});

	it('a zero vector is 0 with everything, itself included', () => {
		expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
		expect(cosineSimilarity([1, 2], [0, 0])).toBe(0);
		expect(cosineSimilarity([0, 0], [0, 0])).toBe(0);
	});

	it('stays within [−1, 1] where rounding would step past', () => {
		const a = [0.1, 0.2, 0.3, 0.7, 1e-3];
		expect(cosineSimilarity(a, a)).toBeLessThanOrEqual(1);
		expect(cosineSimilarity(a, a.map((v) => -v))).toBeGreaterThanOrEqual(-1);
	});

	it('refuses vectors of different lengths', () => {
		expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(RangeError);
	});
});

describe('nearest rows by cosine', () => {
	const rows = [
		[1, 0], // 0
		[2, 0], // 1: same way as 0
		[1, 1], // 2: 45°
		[0, 3], // 3: right angles
		[-1, 0], // 4: opposite
		[0, 0], // 5: zero
		[1, -1], // 6: 45° the other side, ties with 2
	];

	it('most similar first, ties by lower id, the row itself left out', () => {
		const near = nearestByCosine(...table(rows), 0, 10);
		expect(near.map((n) => n.id)).toEqual([1, 2, 6, 3, 5, 4]);
		expect(near[0]).toEqual({id: 1, similarity: 1});
		expect(near[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 15);
		expect(near[1]!.similarity).toBe(near[2]!.similarity);
		expect(near.at(-1)).toEqual({id: 4, similarity: -1});
	});

	it('takes k of them, none for k ≤ 0', () => {
		expect(nearestByCosine(...table(rows), 0, 2).map((n) => n.id)).toEqual([1, 2]);
		expect(nearestByCosine(...table(rows), 0, 0)).toEqual([]);
		expect(nearestByCosine(...table(rows), 0, -1)).toEqual([]);
	});

	it('a zero row is 0 with every other row, so they come in id order', () => {
		expect(nearestByCosine(...table(rows), 5, 10)).toEqual([0, 1, 2, 3, 4, 6].map((id) => ({id, similarity: 0})));
	});

	it('one row has no neighbours; an id outside the table is refused', () => {
		expect(nearestByCosine(Float64Array.from([1, 2]), 1, 2, 0, 5)).toEqual([]);
		expect(() => nearestByCosine(...table(rows), 7, 1)).toThrow(RangeError);
		expect(() => nearestByCosine(...table(rows), -1, 1)).toThrow(RangeError);
	});
});
