/**
 * What the train stage shows that belongs to one model family: its name and
 * size in the header, the single-step view, the heatmap and what the series'
 * client can open. The stage asks this; it does not branch on the family.
 */
import type {AnyModel} from '../../../models/families.js';
import {Model} from '../../../models/table/model.js';
import {EmbeddingsModel} from '../../../models/embeddings/model.js';
import type {AttentionRun} from '../../../models/attention/run.js';
import type {AnyStep} from '../../train-controller.js';
import {ATTENTION_CLIENT_NOTE, EMBEDDINGS_CLIENT_NOTE, seriesClientNote} from '../../../artifacts/series.js';
import {weightsFormatFor} from '../../../artifacts/write.js';
import {formatCount} from '../../text.js';
import {heatmapLines, stepLines} from './panels.js';
import {embeddingsHeatmapLines, embeddingsStepLines} from './embeddings-panels.js';
import {attentionHeatmapLines, attentionStepLines} from './attention-panels.js';

export interface TrainFamilyView {
	/** "context2", "embeddings (context 2, d 16)". */
	readonly name: string;
	/** "150 contexts", "2,303 parameters". */
	readonly size: string;
	/** Lines the heatmap scrolls through (a table's seen contexts, the embeddings model's tokens). */
	readonly heatmapRows: number;
	stepLines(step: AnyStep | undefined, touchedRows: number, pairCount: number, columns: number, rows: number): string[];
	heatmapLines(top: number, columns: number, rows: number, column: number): string[];
	/** What the series' web client cannot open of this run's files, if anything. */
	clientNote(): string | undefined;
}

/** `run`: the session's run, when it trains this model (the attention model's watched contexts are the run's). */
export function trainFamilyView(model: AnyModel, run?: {readonly model: unknown}): TrainFamilyView {
	if (model instanceof Model) {
		return {
			name: model.kind,
			size: `${formatCount(model.rowCount)} contexts`,
			heatmapRows: model.rowCount,
			stepLines: (step, touchedRows, pairCount, columns, rows) => stepLines(step?.family === 'table' ? step : undefined, model, touchedRows, pairCount, columns, rows),
			heatmapLines: (top, columns, rows, column) => heatmapLines(model, top, columns, rows, column),
			clientNote: () => seriesClientNote(model.vocabulary.tokens, model.n, weightsFormatFor(model)),
		};
	}
	if (!(model instanceof EmbeddingsModel)) {
		const own = run && run.model === model ? (run as AttentionRun) : undefined;
		return {
			name: `attention (context ${model.n}, d ${model.d}, h ${model.h})`,
			size: `${formatCount(model.parameterCount)} parameters`,
			heatmapRows: own ? own.history.contexts.length / model.n : 0,
			stepLines: (step, _touchedRows, pairCount, columns, rows) => attentionStepLines(step?.family === 'attention' ? step : undefined, model, pairCount, columns, rows, own?.settings),
			heatmapLines: (top, columns, rows) => attentionHeatmapLines(own, model, top, columns, rows),
			clientNote: () => ATTENTION_CLIENT_NOTE,
		};
	}
	return {
		name: `embeddings (context ${model.n}, d ${model.d})`,
		size: `${formatCount(model.parameterCount)} parameters`,
		heatmapRows: model.V,
		stepLines: (step, _touchedRows, pairCount, columns, rows) => embeddingsStepLines(step?.family === 'embeddings' ? step : undefined, model, pairCount, columns, rows),
		heatmapLines: (top, columns, rows) => embeddingsHeatmapLines(model, top, columns, rows),
		clientNote: () => EMBEDDINGS_CLIENT_NOTE,
	};
}
