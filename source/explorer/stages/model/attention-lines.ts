/**
 * The model stage for the attention model, as plain lines (the view colours
 * them): what the model is and holds, the path of one prediction (e = E + P,
 * Q, K, V, the scores and weights, ctx, the output), and the attention
 * weights of a context as a matrix, with how they moved while training.
 */
import type {AttentionModel} from '../../../models/attention/model.js';
import type {AttentionHistory} from '../../../models/attention/run.js';
import {rankTokens} from '../../../models/sample.js';
import {formatCount, wrapText} from '../../text.js';
import {visible} from '../../../text/escape.js';
import {formatBig} from './row.js';
import {largest, vectorCells, type PathLine} from './embeddings-lines.js';

/** The summary: the kind of model, and its parameters beside the embeddings model's and a table's of the same context. */
export function attentionSummary(model: AttentionModel): string[] {
	const {V, d, h, n} = model;
	const table = BigInt(V) ** BigInt(n) * BigInt(V);
	const embeddings = V * d + n * d * V + V;
	return [
		`attention model, n = ${n}, d = ${d}, h = ${h}: each position's vector (token E + position P) gives a query, a key and a value; the last position's query scores every key, softmax makes the attention weights, and the weighted values (ctx) go through W_out to a score for each of the ${formatCount(V)} tokens`,
		`parameters: E ${formatCount(V)}×${d} + P ${n}×${d} + W_Q,W_K,W_V 3×${d}×${h} + W_out ${h}×${formatCount(V)} + b = ${formatCount(model.parameterCount)}; embeddings model: ${formatCount(embeddings)}; context-${n} table: ${formatBig(table)}`,
	];
}

/** The summary wrapped, in at most `budget` lines (the parameter line first kept). */
export function attentionSummaryBlock(model: AttentionModel, rows: number, columns: number): string[] {
	const [kind, counts] = attentionSummary(model).map((line) => wrapText(line, columns)) as [string[], string[]];
	const budget = Math.max(2, Math.floor(rows / 4));
	if (kind.length + counts.length <= budget) return [...kind, ...counts];
	return counts.slice(0, budget);
}

export const ATTENTION_STEPS = ['e=E+P', 'Q K V', 'weights', 'ctx', 'scores', 'p'] as const;
export const ATTENTION_TEXT = [
	'e_t = E[token] + P[t]: token plus position vector',
	'Q = e·W_Q (last position), K = e·W_K, V = e·W_V',
	's_j = Q_last·K_j/√h, a = softmax(s): where it looks',
	'ctx = Σ_j a_j·V_j: the values mixed by the weights',
	'scores = b + ctx·W_out, one per token (top shown)',
	'p = softmax(scores); ◀ most probable (ties: lowest id)',
];

/** A weight in [0, 1] as a bar of `cells` cells. */
export function weightBar(a: number, cells: number): string {
	const eighths = Math.round(Math.max(0, Math.min(1, a)) * cells * 8);
	const full = Math.floor(eighths / 8);
	const part = eighths % 8;
	return ('█'.repeat(full) + (part ? '▏▎▍▌▋▊▉'[part - 1]! : '')).padEnd(cells, '·');
}

/** A weight in [0, 1] as one shaded cell: ' ░▒▓█' by fifths. */
export function weightShade(a: number): string {
	return ' ░▒▓█'[Math.min(4, Math.floor(Math.max(0, Math.min(1, a)) * 5))]!;
}

/**
 * The path of one prediction for `context`, up to `step`, in `rows` lines
 * of `columns`. Vectors are cells, two a number (sign and a shade of its
 * size against the largest shown with it, █), so a learner sees their shape.
 */
export function attentionPath(model: AttentionModel, context: readonly number[], step: number, columns: number, rows: number): PathLine[] {
	const {d, h, n} = model;
	const tokens = model.vocabulary.tokens;
	const name = (id: number) => visible(tokens[id]!);
	const path = model.path(context);
	const lines: PathLine[] = [];
	const labelWidth = Math.max(12, Math.min(18, Math.max(...context.map((id) => name(id).length)) + 7));
	const label = (text: string) => (text.length > labelWidth - 1 ? text.slice(0, labelWidth - 2) + '…' : text).padEnd(labelWidth);
	const fits = (_size: number) => Math.max(1, Math.floor((columns - labelWidth - 1) / 2));
	const row = (values: Float64Array, t: number, size: number, scale: number) => {
		const v = values.subarray(t * size, t * size + size);
		const shown = fits(size);
		return `${vectorCells(v, scale, shown)}${size > shown ? '…' : ''}`;
	};
	lines.push({text: `context ${context.map(name).join(' ')}  →  ${n} position${n === 1 ? '' : 's'}, d ${d}, h ${h}`, bold: true});
	if (step === 0) {
		const scale = largest(path.e);
		context.forEach((id, t) => lines.push({text: `${label(`e${t} ${name(id)}`)}${row(path.e, t, d, scale)}`}));
		lines.push({text: `█ = ${scale.toPrecision(2)}; |P| against |E|: ${(largest(model.P) / Math.max(1e-300, largest(model.E))).toPrecision(2)}`});
	}
	if (step === 1) {
		// Q and K meet in one dot product: one scale for both; V its own.
		const qk = Math.max(largest(path.K), largest(path.Q.subarray((n - 1) * h)));
		const v = largest(path.V);
		lines.push({text: `${label(`Q${n - 1} (query)`)}${row(path.Q, n - 1, h, qk)}`});
		context.forEach((id, t) => lines.push({text: `${label(`K${t} ${name(id)}`)}${row(path.K, t, h, qk)}`}));
		context.forEach((id, t) => lines.push({text: `${label(`V${t} ${name(id)}`)}${row(path.V, t, h, v)}`}));
		lines.push({text: `█ = ${qk.toPrecision(2)} for Q and K, ${v.toPrecision(2)} for V`});
	}
	if (step === 2) {
		const bar = Math.max(4, Math.min(30, columns - labelWidth - 30));
		lines.push({text: `${label('position')}${'score s'.padStart(12)}  ${'weight a'.padStart(8)}`});
		context.forEach((id, t) => {
			lines.push({text: `${label(`${t} ${name(id)}`)}${path.attentionScores[t]!.toPrecision(3).padStart(12)}  ${path.a[t]!.toFixed(4).padStart(8)} ${weightBar(path.a[t]!, bar)}`});
		});
		const spread = Math.max(...path.attentionScores) - Math.min(...path.attentionScores);
		const most = path.a.indexOf(Math.max(...path.a));
		lines.push({text: spread < 1e-3 ? `scores differ by ${spread.toPrecision(2)}: weights stay uniform (1/${n})` : `scores differ by ${spread.toPrecision(3)}: it looks most at ${most} "${name(context[most]!)}"`, bold: true});
	}
	if (step === 3) {
		const scale = Math.max(largest(path.V), largest(path.ctx));
		context.forEach((id, t) => lines.push({text: `${label(`${path.a[t]!.toFixed(3)}·V${t}`)}${row(path.V, t, h, scale)}`}));
		lines.push({text: `${label('ctx')}${row(path.ctx, 0, h, scale)}`, bold: true});
		lines.push({text: `█ = ${scale.toPrecision(2)}`});
	}
	if (step >= 4) {
		const {scores, p} = path;
		const shown = Math.max(1, rows - lines.length - 2);
		const order = step >= 5 ? rankTokens(p, shown) : rankTokens(scores, shown);
		const tokenWidth = Math.min(20, Math.max(6, ...order.map((id) => name(id).length)) + 1);
		lines.push({text: `${'token'.padEnd(tokenWidth)}${'score'.padStart(10)}${step >= 5 ? 'p'.padStart(10) : ''}`});
		const best = rankTokens(p, 1)[0]!;
		for (const id of order) {
			const chosen = step >= 5 && id === best;
			lines.push({text: `${name(id).padEnd(tokenWidth)}${scores[id]!.toFixed(4).padStart(10)}${step >= 5 ? p[id]!.toFixed(4).padStart(10) : ''}${chosen ? ' ◀' : ''}`, chosen});
		}
		if (step >= 5) lines.push({text: `chosen: "${name(best)}" (id ${best}), p = ${p[best]!.toFixed(4)}`, bold: true});
	}
	return lines.slice(0, rows);
}

/**
 * The attention weights of a context as a matrix: one row per query
 * position, one column per key position, each cell a shade and the weight
 * to 2 decimals. The model predicts from the last row; the others show
 * where each position would look. `columns` wide, at most `rows` lines.
 */
export function attentionMatrixLines(model: AttentionModel, context: readonly number[], columns: number, rows: number): PathLine[] {
	const {n} = model;
	const name = (id: number) => visible(model.vocabulary.tokens[id]!);
	const matrix = model.attentionMatrix(context);
	const labelWidth = Math.max(15, Math.min(18, Math.max(...context.map((id) => name(id).length)) + 4));
	// Each cell: a shade, then the weight ("▓ 0.50 "), as wide as fits.
	const cellWidth = Math.max(4, Math.min(12, Math.floor((columns - labelWidth) / Math.max(1, n))));
	const clip = (text: string, width: number) => (text.length > width ? text.slice(0, Math.max(1, width - 1)) + '…' : text);
	const lines: PathLine[] = [{text: `${'query ↓ key →'.padEnd(labelWidth)}${context.map((id, j) => clip(`${j} ${name(id)}`, cellWidth - 1).padEnd(cellWidth)).join('')}`, bold: true}];
	matrix.forEach((weights, i) => {
		const cells = Array.from(weights, (a) => {
			const shade = weightShade(a).repeat(Math.max(1, cellWidth - 6));
			return `${shade} ${a.toFixed(2)}`.slice(0, cellWidth - 1).padEnd(cellWidth);
		}).join('');
		lines.push({text: `${clip(`${i} ${name(context[i]!)}`, labelWidth - 1).padEnd(labelWidth)}${cells}`, bold: i === n - 1});
	});
	lines.push({text: `the last row (${n - 1}) is the prediction's; shades ░▒▓█ by fifths of 1`});
	return lines.slice(0, rows);
}

/**
 * How the last position's weights on one watched context moved while
 * training: one line per position, a shade per epoch (sampled to fit), then
 * the first and the latest weight.
 */
export function attentionHistoryLines(history: AttentionHistory, index: number, n: number, labels: readonly string[], columns: number): string[] {
	const epochs = history.epochs;
	if (index < 0 || epochs.length === 0) return [];
	const labelWidth = Math.min(16, Math.max(...labels.map((l) => l.length)) + 1);
	const tail = 15;
	const width = Math.max(4, columns - labelWidth - tail);
	const picks = epochs.length <= width ? epochs.map((_, e) => e) : Array.from({length: width}, (_, k) => Math.round((k * (epochs.length - 1)) / (width - 1)));
	const lines = [`while training: epochs 0 to ${epochs.length - 1}, one cell each${epochs.length > width ? ' (sampled)' : ''}`];
	for (let t = 0; t < n; t++) {
		const at = (e: number) => epochs[e]![index * n + t]!;
		const cells = picks.map((e) => weightShade(at(e))).join('');
		lines.push(`${labels[t]!.slice(0, labelWidth - 1).padEnd(labelWidth)}${cells.padEnd(width)} ${at(0).toFixed(2)}→${at(epochs.length - 1).toFixed(2)}`);
	}
	return lines;
}
