/**
 * The model stage on an embeddings model (the family's own view): the path
 * of one prediction for a context picked from the training contexts, or
 * (m) the map of the token vectors with the nearest tokens of the one
 * picked. Exactly `rows` lines of at most `columns` columns.
 */
import React from 'react';
import {Text} from 'ink';
import type {StageContext} from '../types.js';
import type {ModelState} from './state.js';
import type {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {embeddingsSummaryBlock, PATH_STEPS, PATH_TEXT, predictionPath, tokenMap} from './embeddings-lines.js';
import {VectorModelView} from './vector-view.js';
import {cell, fit, formatCount, joinWhole, width} from '../../text.js';
import {theme} from '../../theme.js';
import {visible} from '../../../text/escape.js';

export function EmbeddingsModelView({state, ctx, model, label}: {state: ModelState; ctx: StageContext; model: EmbeddingsModel; label: string}) {
	const {columns, rows} = ctx;
	const second = (_context: readonly number[], columns: number, bodyRows: number) => {
		const body: React.ReactNode[] = [];
		const token = Math.max(0, Math.min(model.V - 1, state.token ?? 0));
		const nearWidth = columns >= 70 ? Math.min(24, Math.floor(columns / 4)) : 0;
		const mapWidth = columns - nearWidth - (nearWidth ? 1 : 0);
		// Below 70 columns the nearest tokens take a line under the map instead of a column beside it.
		const height = Math.max(2, bodyRows - (nearWidth ? 1 : 2));
		const map = tokenMap(model, token, mapWidth, height, nearWidth ? Math.max(1, height - 2) : 8);
		const highlighted = new Set(map.frame.labels.filter((l) => l.point === 0).map((l) => l.line));
		const name = visible(model.vocabulary.tokens[token]!);
		const near = nearWidth ? [`nearest to "${name}"`, '(cosine similarity)', ...map.nearest] : [];
		body.push(
			<Text key="caption" color={theme.accent} wrap="truncate">
				{fit(width(map.caption) <= columns ? map.caption : map.shortCaption, columns)}
			</Text>,
		);
		map.frame.lines.forEach((line, i) => {
			body.push(
				<Text key={`m${i}`} wrap="truncate">
					<Text bold={highlighted.has(i)}>{line}</Text>
					{nearWidth ? <Text bold={i === 0}>{' ' + cell(near[i] ?? '', nearWidth)}</Text> : null}
				</Text>,
			);
		});
		if (!nearWidth) {
			body.push(
				<Text key="near" wrap="truncate">
					{fit(`nearest to "${name}" (cosine): ${map.nearest.join(' · ')}`, columns)}
				</Text>,
			);
		}
		return {body, status: joinWhole([visible(label), `token ${formatCount(token + 1)} of ${formatCount(model.V)}: "${name}"`, '↑↓ token · m the path of a prediction'], columns)};
	};
	return (
		<VectorModelView
			state={state}
			ctx={ctx}
			family={{
				model,
				label,
				summary: embeddingsSummaryBlock(model, rows, columns),
				steps: PATH_STEPS,
				stepText: PATH_TEXT,
				path: (context, step, width, lines) => predictionPath(model, context, step, width, lines),
				second,
				secondName: 'm the token map',
			}}
		/>
	);
}
