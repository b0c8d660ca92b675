/** What the explorer shows when it cannot open: the message, in its own frame. */
import React from 'react';
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {theme} from '../theme.js';
import {fit, visible} from '../text.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';

export function ErrorScreen({message, onLeave}: {message: string; onLeave?: () => void}) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {columns} = useTerminalSize();
	useInput(
		() => {
			onLeave?.();
			exit();
		},
		{isActive: isRawModeSupported === true},
	);
	const words = visible(message).split(' ');
	const lines: string[] = [];
	let line = '';
	for (const word of words) {
		if (line && (line + ' ' + word).length > columns - 2) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return (
		<Box flexDirection="column">
			<Text bold color={theme.bad}>
				{fit('toy-gpt-tui cannot open the explorer', columns)}
			</Text>
			<Text> </Text>
			{lines.map((l, i) => (
				<Text key={i} wrap="truncate">
					{l}
				</Text>
			))}
			<Text> </Text>
			<Text color={theme.muted}>{fit('Press any key to leave (the message stays on the screen).', columns)}</Text>
		</Box>
	);
}
