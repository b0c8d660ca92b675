/** The frame around every stage: the stage bar on top, the keys at the bottom, help, too-small. */
import React from 'react';
import {Box, Text} from 'ink';
import {footerBindings, HELP_GROUPS, STAGES, type Binding, type StageId} from '../keymap.js';
import {theme} from '../theme.js';
import {cell, fit, width} from '../text.js';

export function Header({stage, columns, note}: {stage: StageId; columns: number; note?: string}) {
	const parts = STAGES.map((s, i) => ({id: s.id, text: ` ${i + 1} ${s.title} `}));
	const stagesWidth = parts.reduce((sum, p) => sum + width(p.text) + 2, 0);
	// The app's name goes first when space is short, then the stage names.
	const title = width(' toy-gpt-tui ') + stagesWidth <= columns ? ' toy-gpt-tui ' : '';
	const compact = stagesWidth > columns;
	return (
		<Box width={columns}>
			<Text bold color={theme.accent} wrap="truncate">
				{compact ? '' : title}
			</Text>
			{parts.map((p, i) => {
				const current = p.id === stage;
				const text = compact ? (current ? ` ${i + 1} ${STAGES[i]!.title} ` : ` ${i + 1} `) : p.text;
				return (
					<Text key={p.id} inverse={current} bold={current} wrap="truncate">
						{current ? `[${text.trim()}]` : text}
					</Text>
				);
			})}
			{note ? (
				<Text color={theme.muted} wrap="truncate">
					{'  ' + note}
				</Text>
			) : null}
		</Box>
	);
}

/** The keys of the current stage and mode, on one line; minor ones go first when space is short. */
export function Footer({bindings, columns, typing}: {bindings: Record<string, Binding>; columns: number; typing: boolean}) {
	const all = footerBindings(bindings, typing);
	const render = (list: Binding[]) => list.map((b) => `${b.keys} ${b.label}`).join('  ');
	let shown = all;
	if (width(render(shown)) > columns) shown = all.filter((b) => !b.minor);
	return (
		<Box width={columns}>
			<Text color={theme.muted} wrap="truncate">
				{fit(render(shown), columns)}
			</Text>
		</Box>
	);
}

export function HelpOverlay({columns, rows}: {columns: number; rows: number}) {
	const lines: Array<{text: string; title?: boolean}> = [];
	const keyWidth = Math.max(...HELP_GROUPS.flatMap((g) => g.bindings.map((b) => width(b.keys))));
	for (const group of HELP_GROUPS) {
		lines.push({text: group.title, title: true});
		for (const b of group.bindings) lines.push({text: ` ${cell(b.keys, keyWidth)} ${b.label}`});
	}
	// Lay the lines out in as many columns as the height needs.
	const height = Math.max(1, rows - 2);
	const columnCount = Math.ceil(lines.length / height);
	const columnWidth = Math.floor((columns - 2) / Math.max(1, columnCount));
	const chunks: (typeof lines)[] = [];
	for (let c = 0; c < columnCount; c++) chunks.push(lines.slice(c * height, (c + 1) * height));
	return (
		<Box flexDirection="column" width={columns} height={rows}>
			<Text bold wrap="truncate">
				{fit('Keys  (Esc or ? closes this help)', columns)}
			</Text>
			<Box>
				{chunks.map((chunk, c) => (
					<Box key={c} flexDirection="column" width={columnWidth}>
						{chunk.map((line, i) => (
							<Text key={i} bold={line.title} color={line.title ? theme.accent : undefined} wrap="truncate">
								{fit(line.text, columnWidth - 1)}
							</Text>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">{fit(`Terminal too small: ${columns}x${rows}.`, columns)}</Text>
			<Text wrap="truncate">{fit(`toy-gpt-tui needs at least ${MIN_COLUMNS}x${MIN_ROWS}; enlarge it, or press q to quit.`, columns)}</Text>
		</Box>
	);
}
