import React from 'react';
import {Box, Text} from 'ink';
import type {StageViewProps} from '../types.js';
import type {CorpusState} from './state.js';

export function CorpusStage({state, ctx}: StageViewProps<CorpusState>) {
	return (
		<Box flexDirection="column" height={ctx.rows}>
			<Text wrap="truncate">{`Corpus ${ctx.session.settings.corpusPath}: ${ctx.session.corpus.ids.length} tokens; cursor ${state.cursor}`}</Text>
		</Box>
	);
}
