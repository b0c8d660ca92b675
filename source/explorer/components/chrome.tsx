/** The frame around every stage: the stage bar on top, the keys at the bottom, help, too-small. */
import React from 'react';
import {Box, Text} from 'ink';
import {essentialBindings, footerBindings, HELP_GROUPS, STAGES, type Binding, type StageId} from '../keymap.js';
import {theme} from '../theme.js';
import {cell, fit, width, wrapText} from '../text.js';

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

/**
 * The keys of the current stage and mode, on one line, never cut: the keys to
 * get help and to quit (while typing: to stop typing, and C-c) always stay;
 * when space is short the minor keys go first, then the others from the end.
 */
export function footerLine(bindings: Record<string, Binding>, columns: number, typing: boolean): string {
	const all = footerBindings(bindings, typing);
	const render = (list: Binding[]) => list.map((b) => `${b.keys} ${b.label}`).join('  ');
	const kept = new Set(essentialBindings(bindings, typing));
	let shown = all;
	if (width(render(shown)) > columns) shown = all.filter((b) => !b.minor || kept.has(b));
	while (width(render(shown)) > columns) {
		let index = shown.length - 1;
		while (index >= 0 && kept.has(shown[index]!)) index--;
		if (index < 0) break;
		shown = shown.filter((_, i) => i !== index);
	}
	return fit(render(shown), columns);
}

export function Footer({bindings, columns, typing}: {bindings: Record<string, Binding>; columns: number; typing: boolean}) {
	return (
		<Box width={columns}>
			<Text color={theme.muted} wrap="truncate">
				{footerLine(bindings, columns, typing)}
			</Text>
		</Box>
	);
}

/**
 * The help: every key with its description, never cut. The keys used
 * everywhere and the current stage's come first; the other stages' groups
 * follow while whole groups fit, and a last line says where the rest are.
 */
export function helpColumns(stage: StageId, columns: number, rows: number): {columnWidth: number; chunks: HelpLine[][]; left: string[]} {
	const stageNumber = String(STAGES.findIndex((s) => s.id === stage) + 1);
	const ordered = [
		HELP_GROUPS[0]!,
		...HELP_GROUPS.filter((g) => g.title.startsWith(stageNumber + ' ')),
		...HELP_GROUPS.slice(1).filter((g) => !g.title.startsWith(stageNumber + ' ')),
	];
	const keyWidth = Math.max(...HELP_GROUPS.flatMap((g) => g.bindings.map((b) => width(b.keys))));
	const lineOf = (b: Binding) => ` ${cell(b.keys, keyWidth)} ${b.label}`;
	const widest = Math.max(...HELP_GROUPS.flatMap((g) => [width(g.title), ...g.bindings.map((b) => width(lineOf(b)))]));
	const columnWidth = widest + 2;
	const columnCount = Math.max(1, Math.floor(columns / columnWidth));
	const height = Math.max(1, rows - 2);
	const chunks: HelpLine[][] = [[]];
	const left: string[] = [];
	for (const [g, group] of ordered.entries()) {
		const lines: HelpLine[] = [{text: group.title, title: true}, ...group.bindings.map((b) => ({text: lineOf(b)}))];
		let chunk = chunks[chunks.length - 1]!;
		if (chunk.length > 0 && chunk.length + lines.length > height) {
			if (chunks.length < columnCount) chunks.push((chunk = []));
		}
		// The first two groups (everywhere, this stage) are always shown, split if they must be.
		if (chunk.length + lines.length > height && g >= 2) {
			left.push(group.title);
			continue;
		}
		for (const line of lines) {
			if (chunk.length >= height && chunks.length < columnCount) chunks.push((chunk = []));
			if (chunk.length < height) chunk.push(line);
		}
	}
	return {columnWidth, chunks, left};
}

interface HelpLine {
	readonly text: string;
	readonly title?: boolean;
}

export function HelpOverlay({stage, columns, rows}: {stage: StageId; columns: number; rows: number}) {
	const {columnWidth, chunks, left} = helpColumns(stage, columns, rows);
	const names = left.map((t) => t.replace(/ \(.*\)$/, '')).filter((t, i, all) => all.indexOf(t) === i);
	const long = `More keys in the help of ${names.join(', ')}`;
	const more = left.length === 0 ? '' : width(long) <= columns ? long : 'The other stages\' keys: press ? there';
	return (
		<Box flexDirection="column" width={columns} height={rows}>
			<Text bold wrap="truncate">
				{fit('Keys  (Esc or ? closes this help)', columns)}
			</Text>
			<Box height={Math.max(1, rows - 2)}>
				{chunks.map((chunk, c) => (
					<Box key={c} flexDirection="column" width={columnWidth}>
						{chunk.map((line, i) => (
							<Text key={i} bold={line.title} color={line.title ? theme.accent : undefined} wrap="truncate">
								{line.text}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Text color={theme.muted} wrap="truncate">
				{fit(more, columns)}
			</Text>
		</Box>
	);
}

/** The footer while the help is open: how to close it, and how to quit. */
export function HelpFooter({columns}: {columns: number}) {
	return (
		<Box width={columns}>
			<Text color={theme.muted} wrap="truncate">
				{fit('Esc or ? close the help  q quit', columns)}
			</Text>
		</Box>
	);
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const text = `Terminal too small: ${columns}x${rows}. toy-gpt-tui needs at least ${MIN_COLUMNS}x${MIN_ROWS}: enlarge it, or press q to quit.`;
	return (
		<Box flexDirection="column">
			{wrapText(text, columns)
				.slice(0, Math.max(1, rows - 1))
				.map((line, i) => (
					<Text key={i} wrap="truncate">
						{line}
					</Text>
				))}
		</Box>
	);
}
