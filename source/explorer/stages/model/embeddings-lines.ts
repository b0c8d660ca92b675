/**
 * The model stage for the embeddings model, as plain lines (the view colours
 * them): what the model is and holds, the path of one prediction, and the
 * map of its token vectors.
 */
import type {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {seriesSoftmaxInPlace} from '../../../models/embeddings/model.js';
import {nearestByCosine, pca2} from '../../../models/embeddings/projection.js';
import {scatterLines, type ScatterFrame} from '../../components/scatter.js';
import {rankTokens} from '../../../models/sample.js';
import {formatCount, wrapText} from '../../text.js';
import {visible} from '../../../text/escape.js';
import {formatBig} from './row.js';
import {distinctContexts} from '../../../models/pair-run.js';

/** The summary: the kind of model, and its parameters beside a table's of the same context. */
export function embeddingsSummary(model: EmbeddingsModel): string[] {
	const {V, d, n} = model;
	const table = BigInt(V) ** BigInt(n) * BigInt(V);
	return [
		`embeddings model, n = ${n}, d = ${d}: each token has a learned vector of ${d} numbers; the ${n === 1 ? 'previous token\'s vector' : `previous ${n} tokens' vectors, side by side (${n * d} numbers),`} go through a linear layer to a score for each of the ${formatCount(V)} tokens, then softmax`,
		`parameters: E ${formatCount(V)}×${d} + W ${n * d}×${formatCount(V)} + b ${formatCount(V)} = ${formatCount(model.parameterCount)}; a context-${n} table: ${formatCount(V)}^${n}×${formatCount(V)} = ${formatBig(table)} weights`,
	];
}

/** The summary wrapped, in at most `budget` lines (the parameter line first kept). */
export function embeddingsSummaryBlock(model: EmbeddingsModel, rows: number, columns: number): string[] {
	const [kind, counts] = embeddingsSummary(model).map((line) => wrapText(line, columns)) as [string[], string[]];
	const budget = Math.max(2, Math.floor(rows / 4));
	if (kind.length + counts.length <= budget) return [...kind, ...counts];
	return counts.slice(0, budget);
}

/**
 * A vector as cells, two a number: its sign (+ or −) and a shade of its size
 * against `scale` (the largest size shown with it): ' ░▒▓█'. No colour is
 * needed to read it.
 */
export function vectorCells(v: ArrayLike<number>, scale: number, count = v.length): string {
	const shades = ' ░▒▓█';
	let out = '';
	for (let k = 0; k < Math.min(count, v.length); k++) {
		const x = v[k]!;
		const level = scale > 0 ? Math.min(4, Math.round((Math.abs(x) / scale) * 4)) : 0;
		out += (x < 0 ? '−' : '+') + shades[level];
	}
	return out;
}

/** The largest |value| of a Float64Array. */
export function largest(values: ArrayLike<number>): number {
	let m = 0;
	for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
	return m;
}

/** The distinct contexts of the pairs of `ids` at context n, in id order (flat, n ids each). */
export function sortedContexts(ids: ArrayLike<number>, n: number): Int32Array {
	return distinctContexts(ids, n, Infinity);
}

export const PATH_STEPS = ['vectors', 'h', 'scores', 'softmax', 'chosen'] as const;
export const PATH_TEXT = [
	"each context token's row of E, its learned vector",
	'h: the vectors side by side, the input of the linear layer',
	's = b + h·W: a score for every token (the top ones shown)',
	'p = softmax(s): exp(s − max s) / Σ exp(s − max s)',
	'the most probable token (ties: lowest id)',
];

export interface PathLine {
	readonly text: string;
	readonly bold?: boolean;
	readonly chosen?: boolean;
}

/**
 * The path of one prediction for `context`, up to `step`, in `rows` lines
 * of `columns`.
 */
export function predictionPath(model: EmbeddingsModel, context: readonly number[], step: number, columns: number, rows: number): PathLine[] {
	const {d, n, V, E} = model;
	const tokens = model.vocabulary.tokens;
	const lines: PathLine[] = [];
	const name = (id: number) => visible(tokens[id]!);
	const labelWidth = Math.min(16, Math.max(...context.map((id) => name(id).length)) + 4);
	const scale = largest(E);
	// How many numbers of a vector fit: two cells each.
	const fits = Math.max(1, Math.floor((columns - labelWidth - 2) / 2));
	lines.push({text: `context ${context.map(name).join(' ')}  →  ${n} vector${n === 1 ? '' : 's'} of ${d}`, bold: true});
	context.forEach((id) => {
		const row = E.subarray(id * d, id * d + d);
		lines.push({text: `${`E[${name(id)}]`.padEnd(labelWidth)}${vectorCells(row, scale, fits)}${d > fits ? '…' : ''}`});
	});
	if (step >= 1) {
		const h = model.concatenate(context);
		const norm = Math.sqrt(h.reduce((a, x) => a + x * x, 0));
		lines.push({text: `h = concat: ${n * d} numbers, |h| = ${norm.toPrecision(3)}; █ = ${scale.toPrecision(2)}`});
	}
	if (step >= 2) {
		const scores = model.scoresOf(model.concatenate(context));
		const p = scores.slice();
		seriesSoftmaxInPlace(p);
		const shown = Math.max(1, rows - lines.length - 2);
		const order = step >= 3 ? rankTokens(p, shown) : rankTokens(scores, shown);
		const tokenWidth = Math.min(20, Math.max(6, ...order.map((id) => name(id).length)) + 1);
		lines.push({text: `${'token'.padEnd(tokenWidth)}${'score'.padStart(10)}${step >= 3 ? 'p'.padStart(10) : ''}`});
		const best = rankTokens(p, 1)[0]!;
		for (const id of order) {
			const chosen = step >= 4 && id === best;
			lines.push({text: `${name(id).padEnd(tokenWidth)}${scores[id]!.toFixed(4).padStart(10)}${step >= 3 ? p[id]!.toFixed(4).padStart(10) : ''}${chosen ? ' ◀' : ''}`, chosen});
		}
		if (step >= 3) lines.push({text: step >= 4 ? `chosen: "${name(best)}" (id ${best}), p = ${p[best]!.toFixed(4)}` : `Σ p over all ${formatCount(V)} tokens = 1`, bold: true});
	}
	return lines.slice(0, rows);
}

export interface MapView {
	readonly frame: ScatterFrame;
	readonly caption: string;
	/** The caption for a narrow screen. */
	readonly shortCaption: string;
	readonly nearest: string[];
}

/**
 * The token vectors projected to 2-D (the first two principal components of
 * E, computed here), drawn in `width`×`height` cells with the chosen token
 * highlighted, and its nearest tokens by cosine similarity.
 */
export function tokenMap(model: EmbeddingsModel, token: number, width: number, height: number, nearestCount: number): MapView {
	const {V, d, E} = model;
	const projection = pca2(E, V, d);
	const points = Array.from({length: V}, (_, t) => ({x: projection.x[t]!, y: projection.y[t]!, label: t === token ? `[${visible(model.vocabulary.tokens[t]!)}]` : visible(model.vocabulary.tokens[t]!), highlight: t === token}));
	// The chosen token and its nearest first, so their labels win the space.
	const nearest = nearestByCosine(E, V, d, token, nearestCount);
	const order = [token, ...nearest.map((x) => x.id)];
	const rest = points.map((_, t) => t).filter((t) => !order.includes(t));
	const ordered = [...order, ...rest];
	const frame = scatterLines(
		ordered.map((t) => points[t]!),
		width,
		height,
	);
	// The chosen token's cell is a ● (its label may find no room among the others).
	const dot = frame.dots[0];
	if (dot) {
		const line = [...frame.lines[dot.line]!];
		line[dot.column] = '●';
		frame.lines[dot.line] = line.join('');
	}
	const share = (x: number) => `${Math.round(x * 100)}%`;
	return {
		frame,
		caption: `E on its first two principal components (x ${share(projection.explained[0])}, y ${share(projection.explained[1])} of the variance); ● ${visible(model.vocabulary.tokens[token]!)}`,
		shortCaption: `E on 2 principal components (${share(projection.explained[0])}, ${share(projection.explained[1])}); ● ${visible(model.vocabulary.tokens[token]!)}`,
		nearest: nearest.map((x) => `${visible(model.vocabulary.tokens[x.id]!)} ${x.similarity.toFixed(2)}`),
	};
}

const contextCache = new WeakMap<object, {ids: ArrayLike<number>; contexts: Int32Array}>();

/**
 * The contexts the model stage lists for an embeddings model: the distinct
 * contexts of the training tokens (`ids`: the corpus before a held-out part), in id order, read with the model's own
 * vocabulary (a model of another corpus lists those of this corpus's windows
 * whose tokens it knows).
 */
export function listedContexts(model: {readonly n: number; readonly V: number; readonly vocabulary: EmbeddingsModel['vocabulary']}, ids: ArrayLike<number>, tokens: readonly string[]): Int32Array {
	const cached = contextCache.get(model);
	// The same tokens: the same array, or the same prefix of one (the training part of a held-out split).
	const sameIds = (a: ArrayLike<number>, b: ArrayLike<number>) => a === b || (a instanceof Int32Array && b instanceof Int32Array && a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length);
	if (cached && sameIds(cached.ids, ids)) return cached.contexts;
	const same = tokens === model.vocabulary.tokens || (tokens.length === model.V && tokens.every((t, i) => t === model.vocabulary.tokens[i]));
	let mapped: ArrayLike<number> = ids;
	if (!same) {
		const idOf = tokens.map((t) => model.vocabulary.ids.get(t) ?? -1);
		mapped = Int32Array.from(ids as ArrayLike<number>, (k) => idOf[k]!);
	}
	const contexts = sortedContexts(mapped, model.n);
	const clean: number[] = [];
	for (let r = 0; r < contexts.length / model.n; r++) {
		const window = contexts.subarray(r * model.n, r * model.n + model.n);
		if (window.every((k) => k >= 0)) clean.push(...window);
	}
	const result = Int32Array.from(clean);
	contextCache.set(model, {ids, contexts: result});
	return result;
}
