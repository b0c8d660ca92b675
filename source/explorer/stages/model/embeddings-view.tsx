/**
 * The model stage on an embeddings model (the family's own view): the path
 * of one prediction for a context picked from the training contexts, or
 * (m) the map of the token vectors with the nearest tokens of the one
 * picked. Exactly `rows` lines of at most `columns` columns.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {StageContext} from '../types.js';
import type {ModelState} from './state.js';
import {listTop, modelGeometry} from './state.js';
import type {EmbeddingsModel} from '../../../models/embeddings/model.js';
import {embeddingsSummaryBlock, listedContexts, PATH_STEPS, PATH_TEXT, predictionPath, tokenMap} from './embeddings-lines.js';
import {cell, fit, formatCount, joinWhole, width} from '../../text.js';
import {theme} from '../../theme.js';
import {visible} from '../../../text/escape.js';

export function EmbeddingsModelView({state, ctx, model, label}: {state: ModelState; ctx: StageContext; model: EmbeddingsModel; label: string}) {
	const {columns, rows} = ctx;
	const {corpus} = ctx.session;
	const summary = embeddingsSummaryBlock(model, rows, columns);
	const g = modelGeometry(rows, columns, summary.length);
	const body: React.ReactNode[] = [];
	let status: string;
	if (state.map) {
		const token = Math.max(0, Math.min(model.V - 1, state.token ?? 0));
		const nearWidth = columns >= 70 ? Math.min(24, Math.floor(columns / 4)) : 0;
		const mapWidth = columns - nearWidth - (nearWidth ? 1 : 0);
		// Below 70 columns the nearest tokens take a line under the map instead of a column beside it.
		const height = Math.max(2, g.bodyRows - (nearWidth ? 1 : 2));
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
		status = joinWhole([visible(label), `token ${formatCount(token + 1)} of ${formatCount(model.V)}: "${name}"`, '↑↓ token · m the path of a prediction'], columns);
	} else {
		const contexts = listedContexts(model, ctx.session.heldOut ? corpus.ids.subarray(0, ctx.session.heldOut.trainTokens) : corpus.ids, corpus.vocabulary.tokens);
		const count = contexts.length / model.n;
		const row = Math.max(0, Math.min(count - 1, state.row));
		const top = listTop(state.top, row, g.listRows, count);
		const step = Math.max(0, Math.min(PATH_STEPS.length - 1, state.step));
		const context = count > 0 ? Array.from(contexts.subarray(row * model.n, row * model.n + model.n)) : [];
		const list: React.ReactNode[] = [
			<Text key="h" bold wrap="truncate">
				{cell(`contexts (${formatCount(count)})`, g.listWidth)}
			</Text>,
		];
		for (let r = top; r < Math.min(count, top + g.listRows); r++) {
			const name = Array.from(contexts.subarray(r * model.n, r * model.n + model.n), (id) => visible(model.vocabulary.tokens[id]!)).join('|');
			list.push(
				<Text key={r} inverse={r === row} wrap="truncate">
					{cell((r === row ? '› ' : '  ') + name, g.listWidth)}
				</Text>,
			);
		}
		const panel: React.ReactNode[] = [
			<Text key="steps" wrap="truncate">
				{PATH_STEPS.map((name, i) => (
					<Text key={i} inverse={i === step} bold={i === step} dimColor={i > step}>
						{`${i === 0 ? '' : ' › '}${i} ${name}`}
					</Text>
				))}
			</Text>,
			<Text key="what" color={theme.accent} wrap="truncate">
				{fit(`step ${step}: ${PATH_TEXT[step]}`, g.panelWidth)}
			</Text>,
		];
		if (count === 0) {
			panel.push(<Text key="none">{fit('no contexts: the corpus has no training pair', g.panelWidth)}</Text>);
		} else {
			predictionPath(model, context, step, g.panelWidth, g.bodyRows - 2).forEach((line, i) =>
				panel.push(
					<Text key={`l${i}`} bold={line.bold || line.chosen} color={line.chosen ? theme.good : undefined} wrap="truncate">
						{fit(line.text, g.panelWidth)}
					</Text>,
				),
			);
		}
		body.push(
			<Box key="body" height={g.bodyRows} overflow="hidden">
				{g.listWidth ? (
					<Box flexDirection="column" width={g.listWidth}>
						{list}
					</Box>
				) : null}
				<Box flexDirection="column" width={g.panelWidth} marginLeft={g.listWidth ? 1 : 0}>
					{panel.slice(0, g.bodyRows)}
				</Box>
			</Box>,
		);
		status = joinWhole([visible(label), `context ${formatCount(row + 1)} of ${formatCount(count)}`, 'm the token map'], columns);
	}
	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			{summary.map((text, i) => (
				<Text key={`s${i}`} bold={i === 0} wrap="truncate">
					{text}
				</Text>
			))}
			{state.map ? <Box flexDirection="column" height={g.bodyRows} overflow="hidden">{body.slice(0, g.bodyRows)}</Box> : body}
			<Text wrap="truncate">{fit(status, columns)}</Text>
		</Box>
	);
}
