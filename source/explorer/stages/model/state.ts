/**
 * The model stage's state and keys: which seen context (stored row) is
 * picked, the first context listed, and how far its forward pass is shown.
 */
import type {KeyReducer} from '../types.js';
import type {ExplorerSession} from '../../session.js';
import {left, MODEL} from '../../keymap.js';
import {stageModel} from '../../session.js';
import {STEP_COUNT} from './row.js';
import {summaryBlock} from './summary.js';
import {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {embeddingsSummaryBlock, listedContexts, PATH_STEPS} from './embeddings-lines.js';
import {AttentionModel} from '../../../models/attention/model.js';
import {ATTENTION_STEPS, attentionSummaryBlock} from './attention-lines.js';

export interface ModelState {
	/** The stored row (seen context) picked; for the embeddings model, the context in its list. */
	readonly row: number;
	/** The embeddings model's second view: the map of its token vectors, with the token picked. */
	readonly map?: boolean;
	readonly token?: number;
	/** How far the forward pass is shown: 0 scores .. 4 chosen token. */
	readonly step: number;
	/** The row listed first in the context list. */
	readonly top: number;
}

export function initialModelState(_session: ExplorerSession): ModelState {
	return {row: 0, step: 0, top: 0};
}

/** How the stage's lines and columns are spent (shared by the keys and the view). */
export interface ModelGeometry {
	/** Lines of the summary at the top. */
	readonly summaryRows: number;
	/** Lines below the summary (list and steps side by side). */
	readonly bodyRows: number;
	/** Contexts listed at once. */
	readonly listRows: number;
	readonly listWidth: number;
	readonly panelWidth: number;
}

/**
 * The geometry for a summary of `summaryRows` lines. Below 72 columns the
 * context list gives its columns to the row's panel (↑↓ still pick a context;
 * the panel names it).
 */
export function modelGeometry(rows: number, columns: number, summaryRows = 4): ModelGeometry {
	const bodyRows = Math.max(2, rows - summaryRows - 1);
	const listWidth = columns < 72 ? 0 : Math.max(16, Math.min(36, Math.floor(columns * 0.25)));
	return {summaryRows, bodyRows, listRows: Math.max(1, bodyRows - 1), listWidth, panelWidth: Math.max(10, columns - listWidth - (listWidth ? 1 : 0))};
}

/** The first row to list so that `row` is visible, moving `top` as little as needed. */
export function listTop(top: number, row: number, height: number, count: number): number {
	let t = Math.max(0, Math.min(top, Math.max(0, count - height)));
	if (row < t) t = row;
	else if (row >= t + height) t = row - height + 1;
	return Math.max(0, t);
}

export const modelKey: KeyReducer<ModelState> = (state, input, key, ctx) => {
	const shown = stageModel(ctx.session, ctx.train).model;
	if (shown instanceof EmbeddingsModel || shown instanceof AttentionModel) return vectorKey(shown, state, input, key, ctx);
	const count = shown.rowCount;
	const {listRows} = modelGeometry(ctx.rows, ctx.columns, summaryBlock(shown, ctx.rows, ctx.columns).length);
	const pickRow = (row: number): ModelState => {
		const r = Math.max(0, Math.min(count - 1, row));
		return {...state, row: r, top: listTop(state.top, r, listRows, count)};
	};
	if (MODEL.pick.match(input, key)) return pickRow(state.row + (key.upArrow ? -1 : 1));
	if (MODEL.page.match(input, key)) return pickRow(state.row + (key.pageUp ? -listRows : listRows));
	if (MODEL.step.match(input, key)) return {...state, step: Math.max(0, Math.min(STEP_COUNT - 1, state.step + (left(input, key) ? -1 : 1)))};
	return state;
};

/**
 * The keys on an embeddings or attention model: ↑↓ pick a context (on the
 * embeddings model's map, a token), ←→ step the path, m the second view.
 */
function vectorKey(model: EmbeddingsModel | AttentionModel, state: ModelState, input: string, key: Parameters<KeyReducer<ModelState>>[2], ctx: Parameters<KeyReducer<ModelState>>[3]): ModelState {
	if (MODEL.map.match(input, key)) return {...state, map: !state.map};
	const {corpus} = ctx.session;
	const tokenMap = state.map && model instanceof EmbeddingsModel;
	const count = tokenMap ? model.V : listedContexts(model, ctx.session.heldOut ? corpus.ids.subarray(0, ctx.session.heldOut.trainTokens) : corpus.ids, corpus.vocabulary.tokens).length / model.n;
	const summary = model instanceof EmbeddingsModel ? embeddingsSummaryBlock(model, ctx.rows, ctx.columns) : attentionSummaryBlock(model, ctx.rows, ctx.columns);
	const {listRows} = modelGeometry(ctx.rows, ctx.columns, summary.length);
	const current = tokenMap ? (state.token ?? 0) : state.row;
	const pick = (to: number): ModelState => {
		const r = Math.max(0, Math.min(count - 1, to));
		return tokenMap ? {...state, token: r} : {...state, row: r, top: listTop(state.top, r, listRows, count)};
	};
	const steps = model instanceof EmbeddingsModel ? PATH_STEPS.length : ATTENTION_STEPS.length;
	if (MODEL.pick.match(input, key)) return pick(current + (key.upArrow ? -1 : 1));
	if (MODEL.page.match(input, key)) return pick(current + (key.pageUp ? -listRows : listRows));
	if (MODEL.step.match(input, key)) return {...state, step: Math.max(0, Math.min(steps - 1, state.step + (left(input, key) ? -1 : 1)))};
	return state;
}
