/**
 * The model stage on an attention model (the family's own view): the path
 * of one prediction for a context picked from the training contexts (e = E +
 * P, Q, K, V, the scores and weights, ctx, the output), or (m) the context's
 * attention weights as a matrix, and how the last row moved while training.
 */
import React from 'react';
import {Text} from 'ink';
import type {StageContext} from '../types.js';
import type {ModelState} from './state.js';
import type {AttentionModel} from '../../../models/attention/model.js';
import {AttentionRun} from '../../../models/attention/run.js';
import {ATTENTION_STEPS, ATTENTION_TEXT, attentionHistoryLines, attentionMatrixLines, attentionPath, attentionSummaryBlock} from './attention-lines.js';
import {VectorModelView} from './vector-view.js';
import {fit, joinWhole} from '../../text.js';
import {theme} from '../../theme.js';
import {visible} from '../../../text/escape.js';

export function AttentionModelView({state, ctx, model, label}: {state: ModelState; ctx: StageContext; model: AttentionModel; label: string}) {
	const {columns, rows} = ctx;
	const second = (context: readonly number[], columns: number, bodyRows: number) => {
		if (context.length === 0) return {body: [<Text key="none">{fit('no contexts: the corpus has no training pair', columns)}</Text>], status: visible(label)};
		const name = context.map((id) => visible(model.vocabulary.tokens[id]!));
		const body: React.ReactNode[] = [
			<Text key="caption" color={theme.accent} wrap="truncate">
				{fit(`attention weights of "${name.join(' ')}": softmax over keys of Q_i·K_j/√${model.h}`, columns)}
			</Text>,
		];
		attentionMatrixLines(model, context, columns, Math.max(2, bodyRows - 1)).forEach((line, i) =>
			body.push(
				<Text key={`a${i}`} bold={line.bold} wrap="truncate">
					{fit(line.text, columns)}
				</Text>,
			),
		);
		// The run this session trains records its watched contexts' weights after each epoch.
		const run = ctx.session.controller.run;
		if (run instanceof AttentionRun && run.model === model) {
			const history = attentionHistoryLines(run.history, run.watchedIndex(context), model.n, name.map((t, i) => `${i} ${t}`), columns);
			if (body.length + 1 + history.length <= bodyRows) {
				body.push(<Text key="gap"> </Text>);
				history.forEach((line, i) =>
					body.push(
						<Text key={`h${i}`} dimColor={i === 0} wrap="truncate">
							{fit(line, columns)}
						</Text>,
					),
				);
			}
		}
		return {body, status: joinWhole([visible(label), '↑↓ context · m the path of a prediction'], columns)};
	};
	return (
		<VectorModelView
			state={state}
			ctx={ctx}
			family={{
				model,
				label,
				summary: attentionSummaryBlock(model, rows, columns),
				steps: ATTENTION_STEPS,
				stepText: ATTENTION_TEXT,
				path: (context, step, width, lines) => attentionPath(model, context, step, width, lines),
				second,
				secondName: 'm the attention weights',
			}}
		/>
	);
}
