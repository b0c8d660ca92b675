/**
 * The model stage of a model with learned vectors (embeddings, attention):
 * the summary, then either the list of training contexts beside the path of
 * one prediction, stepped with ←→, or the family's second view (m). Each
 * family gives its summary, its steps and its second view. Exactly `rows`
 * lines of at most `columns` columns.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {StageContext} from '../types.js';
import type {ModelState} from './state.js';
import {listTop, modelGeometry} from './state.js';
import {listedContexts, type PathLine} from './embeddings-lines.js';
import {cell, fit, formatCount, joinWhole} from '../../text.js';
import {theme} from '../../theme.js';
import {visible} from '../../../text/escape.js';
import type {Vocabulary} from '../../../text/vocabulary.js';

export interface VectorFamily {
	readonly model: {readonly n: number; readonly V: number; readonly vocabulary: Vocabulary};
	readonly label: string;
	readonly summary: string[];
	readonly steps: readonly string[];
	readonly stepText: readonly string[];
	path(context: readonly number[], step: number, width: number, rows: number): PathLine[];
	/** The second view (m): its lines (exactly `rows`) and its status line. */
	second(context: readonly number[], columns: number, rows: number): {body: React.ReactNode[]; status: string};
	/** What m shows, for the status line ("m the token map"). */
	readonly secondName: string;
}

/** The training contexts the stage lists for a model, from this session's corpus (before a held-out part). */
export function stageContexts(model: VectorFamily['model'], ctx: StageContext): Int32Array {
	const {corpus} = ctx.session;
	return listedContexts(model, ctx.session.heldOut ? corpus.ids.subarray(0, ctx.session.heldOut.trainTokens) : corpus.ids, corpus.vocabulary.tokens);
}

export function VectorModelView({state, ctx, family}: {state: ModelState; ctx: StageContext; family: VectorFamily}) {
	const {columns, rows} = ctx;
	const {model, summary} = family;
	const g = modelGeometry(rows, columns, summary.length);
	const contexts = stageContexts(model, ctx);
	const count = contexts.length / model.n;
	const row = Math.max(0, Math.min(count - 1, state.row));
	const context = count > 0 ? Array.from(contexts.subarray(row * model.n, row * model.n + model.n)) : [];
	let body: React.ReactNode[];
	let status: string;
	if (state.map) {
		({body, status} = family.second(context, columns, g.bodyRows));
	} else {
		const top = listTop(state.top, row, g.listRows, count);
		const step = Math.max(0, Math.min(family.steps.length - 1, state.step));
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
				{family.steps.map((name, i) => (
					<Text key={i} inverse={i === step} bold={i === step} dimColor={i > step}>
						{`${i === 0 ? '' : ' › '}${i} ${name}`}
					</Text>
				))}
			</Text>,
			<Text key="what" color={theme.accent} wrap="truncate">
				{fit(`step ${step}: ${family.stepText[step]}`, g.panelWidth)}
			</Text>,
		];
		if (count === 0) {
			panel.push(<Text key="none">{fit('no contexts: the corpus has no training pair', g.panelWidth)}</Text>);
		} else {
			family.path(context, step, g.panelWidth, g.bodyRows - 2).forEach((line, i) =>
				panel.push(
					<Text key={`l${i}`} bold={line.bold || line.chosen} color={line.chosen ? theme.good : undefined} wrap="truncate">
						{fit(line.text, g.panelWidth)}
					</Text>,
				),
			);
		}
		body = [
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
		];
		status = joinWhole([family.secondName, visible(family.label), `context ${formatCount(row + 1)} of ${formatCount(count)}`], columns);
	}
	return (
		<Box flexDirection="column" height={rows} width={columns} overflow="hidden">
			{summary.map((text, i) => (
				<Text key={`s${i}`} bold={i === 0} wrap="truncate">
					{text}
				</Text>
			))}
			{state.map ? (
				<Box flexDirection="column" height={g.bodyRows} overflow="hidden">
					{body.slice(0, g.bodyRows)}
				</Box>
			) : (
				body
			)}
			<Text wrap="truncate">{fit(status, columns)}</Text>
		</Box>
	);
}
