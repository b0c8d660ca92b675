/**
 * Two ways to look at an embedding table (V rows of d numbers, row-major:
 * row i is data[i·d .. i·d + d), as EmbeddingsModel.E holds it):
 *
 * - pca2: the flat picture that keeps the most of the rows' spread, their
 *   coordinates along the first two principal components (the top two
 *   eigenvectors of the columns' covariance matrix);
 * - nearestByCosine: the rows that point most nearly the same way as one
 *   row, by the cosine of the angle between them.
 *
 * Plain loops over flat arrays, no dependencies. PCA costs V·d² for the
 * covariance and about 10·d³ for its eigenvectors, nothing for d ≤ 64.
 */

/** Each row's place along the first two principal components, and each component's share of the spread. */
export interface Projection2 {
	/** x[i]: row i's coordinate along the first component (centred: the mean row is at 0). */
	readonly x: Float64Array;
	/** y[i]: row i's coordinate along the second component. */
	readonly y: Float64Array;
	/** Each component's variance over the total variance (0..1); [0, 0] when the rows do not spread at all. */
	readonly explained: [number, number];
}

/** A row and its cosine similarity with the row asked about. */
export interface Neighbour {
	readonly id: number;
	readonly similarity: number;
}

/** The eigenvalues of a symmetric n×n matrix and their unit eigenvectors. */
export interface Eigen {
	/** values[k]: the k-th eigenvalue, in no particular order. */
	readonly values: Float64Array;
	/** vectors[i·n + k]: component i of the k-th eigenvector (the eigenvectors are the columns). */
	readonly vectors: Float64Array;
}

/**
 * A component whose variance is at most this share of the total is taken as
 * none at all: what is left there is rounding (about 1e-16 of the total), and
 * drawn to fill a box it would be noise.
 */
const NEGLIGIBLE_SHARE = 1e-12;

/**
 * PCA to two dimensions. Centre each column on its mean, form the d×d
 * covariance C = (1/V) Σ over the rows of (row − mean)(row − mean)ᵀ, take its
 * two largest eigenvalues λ1 ≥ λ2 and their eigenvectors u1, u2, and give
 * each row's coordinates x = (row − mean)·u1, y = (row − mean)·u2, with
 * explained = [λ1, λ2] / trace(C) (the trace is the total variance).
 *
 * Each eigenvector's sign is fixed (fixSign), so the picture does not flip
 * between two frames of a table that hardly changed. A component with
 * (almost) no variance, as the second one of points on a line, or of d = 1,
 * is all zeros with a share of 0; so are both when there are fewer than two
 * distinct rows.
 */
export function pca2(data: ArrayLike<number>, rows: number, cols: number): Projection2 {
	checkTable(data, rows, cols);
	const x = new Float64Array(rows);
	const y = new Float64Array(rows);
	if (rows === 0 || cols === 0) return {x, y, explained: [0, 0]};
	const means = columnMeans(data, rows, cols);
	const covariance = covarianceMatrix(data, rows, cols, means);
	let total = 0;
	for (let j = 0; j < cols; j++) total += covariance[j * cols + j]!;
	if (!(total > 0)) return {x, y, explained: [0, 0]};
	const {values, vectors} = symmetricEigen(covariance, cols);
	const order = largestFirst(values);
	const explained: [number, number] = [0, 0];
	const coordinates = [x, y];
	for (let c = 0; c < 2 && c < cols; c++) {
		const k = order[c]!;
		const share = values[k]! / total;
		if (share <= NEGLIGIBLE_SHARE) break;
		explained[c] = Math.min(1, share);
		const direction = fixSign(eigenvector(vectors, cols, k));
		projectOnto(data, rows, cols, means, direction, coordinates[c]!);
	}
	return {x, y, explained};
}

/** The mean of each column: mean[j] = (1/V) Σ over the rows of row[j]. */
export function columnMeans(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
	const means = new Float64Array(cols);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) means[j] += data[i * cols + j]!;
	for (let j = 0; j < cols; j++) means[j] /= rows;
	return means;
}

/** The d×d covariance of the columns, row-major: C[j·d + k] = (1/V) Σ over the rows of (row[j] − mean[j])(row[k] − mean[k]). */
export function covarianceMatrix(data: ArrayLike<number>, rows: number, cols: number, means: Float64Array): Float64Array {
	const covariance = new Float64Array(cols * cols);
	const centred = new Float64Array(cols);
	for (let i = 0; i < rows; i++) {
		for (let j = 0; j < cols; j++) centred[j] = data[i * cols + j]! - means[j]!;
		for (let j = 0; j < cols; j++) for (let k = j; k < cols; k++) covariance[j * cols + k] += centred[j]! * centred[k]!;
	}
	for (let j = 0; j < cols; j++) {
		for (let k = j; k < cols; k++) {
			covariance[j * cols + k] /= rows;
			covariance[k * cols + j] = covariance[j * cols + k]!;
		}
	}
	return covariance;
}

/** Sweeps enough for any matrix met here: Jacobi's error squares with each sweep once it is small. */
const MAX_SWEEPS = 100;

/**
 * The eigenvalues and eigenvectors of a symmetric n×n matrix (row-major), by
 * Jacobi's method: rotate in one plane (p, q) at a time by the angle that
 * makes A[p][q] zero, A ← JᵀAJ, and gather the rotations, V ← VJ, until
 * what is left off the diagonal is rounding. Then A's diagonal holds the
 * eigenvalues and V's columns the eigenvectors. Every step is a fixed
 * sequence of arithmetic, so the same matrix gives the same bits.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): Eigen {
	const a = Float64Array.from(matrix);
	const vectors = new Float64Array(n * n);
	for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
	let scale = 0;
	for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!;
	for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
		if (offDiagonalSquares(a, n) <= 1e-30 * scale) break;
		for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotateAway(a, vectors, n, p, q);
	}
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
	return {values, vectors};
}

/** Σ over i ≠ j of A[i][j]²: how far A is from diagonal. */
function offDiagonalSquares(a: Float64Array, n: number): number {
	let sum = 0;
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) sum += a[i * n + j]! * a[i * n + j]!;
	return sum;
}

/**
 * One Jacobi rotation: with θ = (A[q][q] − A[p][p]) / (2·A[p][q]), the
 * smaller root t = tan φ of t² + 2θt − 1 = 0, c = cos φ and s = sin φ, the
 * rotation J (J[p][p] = J[q][q] = c, J[p][q] = s, J[q][p] = −s) makes
 * (JᵀAJ)[p][q] zero. Only rows and columns p and q change.
 */
function rotateAway(a: Float64Array, vectors: Float64Array, n: number, p: number, q: number): void {
	const apq = a[p * n + q]!;
	if (apq === 0) return;
	const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
	const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
	const c = 1 / Math.hypot(t, 1);
	const s = t * c;
	for (let r = 0; r < n; r++) {
		if (r === p || r === q) continue;
		const arp = a[r * n + p]!;
		const arq = a[r * n + q]!;
		a[r * n + p] = a[p * n + r] = c * arp - s * arq;
		a[r * n + q] = a[q * n + r] = s * arp + c * arq;
	}
	a[p * n + p] -= t * apq;
	a[q * n + q] += t * apq;
	a[p * n + q] = a[q * n + p] = 0;
	for (let r = 0; r < n; r++) {
		const vrp = vectors[r * n + p]!;
		const vrq = vectors[r * n + q]!;
		vectors[r * n + p] = c * vrp - s * vrq;
		vectors[r * n + q] = s * vrp + c * vrq;
	}
}

/** The indices of `values`, largest value first; equal values keep the lower index first. */
function largestFirst(values: Float64Array): number[] {
	return Array.from(values.keys()).sort((i, j) => values[j]! - values[i]! || i - j);
}

/** The k-th eigenvector: column k of the n×n `vectors`. */
function eigenvector(vectors: Float64Array, n: number, k: number): Float64Array {
	const vector = new Float64Array(n);
	for (let i = 0; i < n; i++) vector[i] = vectors[i * n + k]!;
	return vector;
}

/**
 * An eigenvector's sign is arbitrary (−u is one too); this picks the one
 * whose largest component, by absolute value, is positive. Components equal
 * in size up to rounding (within 1e-9 of the largest) count as tied, and the
 * first of them decides. Changes `vector` and returns it.
 */
export function fixSign(vector: Float64Array): Float64Array {
	let largest = 0;
	for (const v of vector) largest = Math.max(largest, Math.abs(v));
	const decider = vector.findIndex((v) => Math.abs(v) >= largest * (1 - 1e-9));
	if (decider >= 0 && vector[decider]! < 0) for (let i = 0; i < vector.length; i++) vector[i] = -vector[i]!;
	return vector;
}

/** out[i] = (row i − mean)·direction: each row's coordinate along a unit direction through the mean. */
function projectOnto(data: ArrayLike<number>, rows: number, cols: number, means: Float64Array, direction: Float64Array, out: Float64Array): void {
	for (let i = 0; i < rows; i++) {
		let sum = 0;
		for (let j = 0; j < cols; j++) sum += (data[i * cols + j]! - means[j]!) * direction[j]!;
		out[i] = sum;
	}
}

/**
 * cos θ = a·b / (|a|·|b|), with |a|·|b| = √((a·a)(b·b)): 1 for the same
 * direction, 0 at right angles, −1 opposite. A zero vector has no direction, and so similarity 0 with every
 * vector. Clamped to [−1, 1], which rounding can step past.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) throw new RangeError(`cosineSimilarity: vectors of ${a.length} and ${b.length} numbers`);
	const lengths = Math.sqrt(dot(a, a) * dot(b, b));
	if (lengths === 0) return 0;
	return Math.max(-1, Math.min(1, dot(a, b) / lengths));
}

/** a·b = Σ a[i]·b[i]. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
	return sum;
}

/**
 * The k rows most similar to row `id` by cosine similarity, most similar
 * first, equal similarities in the order of their ids; row `id` itself is
 * left out. Fewer than k when the table has fewer other rows; none for k ≤ 0.
 */
export function nearestByCosine(data: ArrayLike<number>, rows: number, cols: number, id: number, k: number): Neighbour[] {
	checkTable(data, rows, cols);
	if (!Number.isInteger(id) || id < 0 || id >= rows) throw new RangeError(`nearestByCosine: no row ${id} in a table of ${rows}`);
	const target = rowOf(data, cols, id);
	const others: Neighbour[] = [];
	for (let other = 0; other < rows; other++) {
		if (other !== id) others.push({id: other, similarity: cosineSimilarity(target, rowOf(data, cols, other))});
	}
	others.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
	return others.slice(0, Math.max(0, k));
}

/** Row i of the table, copied out. */
function rowOf(data: ArrayLike<number>, cols: number, i: number): Float64Array {
	const row = new Float64Array(cols);
	for (let j = 0; j < cols; j++) row[j] = data[i * cols + j]!;
	return row;
}

/** Throws unless `data` holds exactly rows × cols numbers, both counts whole and not negative. */
function checkTable(data: ArrayLike<number>, rows: number, cols: number): void {
	if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
		throw new RangeError(`a table of ${rows} × ${cols} numbers cannot hold ${data.length}`);
	}
}
