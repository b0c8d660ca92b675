import React from 'react';
import {Box, Text} from 'ink';
import type {StageViewProps} from '../types.js';
import type {VocabState} from './state.js';

export function VocabStage({state, ctx}: StageViewProps<VocabState>) {
	return (
		<Box flexDirection="column" height={ctx.rows}>
			<Text wrap="truncate">{`Vocabulary: ${ctx.session.corpus.vocabulary.tokens.length} tokens; filter "${state.filter}"`}</Text>
		</Box>
	);
}
