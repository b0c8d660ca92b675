/**
 * The model stage's summary: the kind of model, the full table, what the
 * corpus fills of it, and what is held; wrapped, never cut, and shortened by
 * whole sentences when the screen is short.
 */
import type {Model} from '../../../models/table/model.js';
import {formatCount, wrapText} from '../../text.js';
import {formatBig, formatShare, fullRows} from './row.js';

/** The summary lines: the kind of model, the full table, what the corpus fills of it. */
export function summaryLines(model: Model): [string, string, string, string] {
	const {n, V} = model;
	const example = ['a', 'b', 'c'].slice(0, n).join('|');
	const kind =
		n === 0
			? `${model.kind} model, n = 0: one row, (no context); columns = next tokens`
			: `${model.kind} model, n = ${n}: rows = ${n === 1 ? 'previous tokens' : `${n}-token contexts`} like ${example}, columns = next tokens`;
	const rows = fullRows(V, n);
	const weights = rows * BigInt(V);
	// "= 2,209" exactly, or "≈ 1.30×10^19" when the exact count is too long to read.
	const equals = (x: bigint) => {
		const text = formatBig(x);
		return text.startsWith('≈') ? `≈ ${text.slice(1)}` : `= ${text}`;
	};
	const table = `full table: ${formatCount(V)}^${n} ${equals(rows)} rows × ${formatCount(V)} columns ${equals(weights)} weights`;
	const seen = `seen in the corpus: ${formatCount(model.rowCount)} context${model.rowCount === 1 ? '' : 's'}, ${formatShare(model.rowCount, rows)}; the other rows stay 0`;
	const heldCount = model.explicitCount + model.rowCount;
	const held = `held: ${formatCount(model.explicitCount)} weights + 1 shared per row = ${formatCount(heldCount)}, ${formatShare(heldCount, weights, 'weights')}`;
	return [kind, table, seen, held];
}

/** Which summary sentences are kept when lines are short: the table first, then what the corpus fills, the kind, what is held. */
const PRIORITY = [1, 2, 0, 3];

/**
 * The summary wrapped to `columns`, in at most a third of `rows` (4 lines at
 * least): whole sentences only, in their order, the most telling kept first.
 */
export function summaryBlock(model: Model, rows: number, columns: number): Array<{text: string; first: boolean; sentence: number}> {
	const wrapped = summaryLines(model).map((line) => wrapText(line, columns));
	const budget = Math.max(Math.min(4, rows - 9), Math.floor(rows / 3));
	const kept = new Set<number>();
	let used = 0;
	for (const i of PRIORITY) {
		if (used + wrapped[i]!.length > budget) continue;
		kept.add(i);
		used += wrapped[i]!.length;
	}
	return wrapped.flatMap((lines, i) => (kept.has(i) ? lines.map((text, k) => ({text, first: k === 0, sentence: i})) : []));
}
