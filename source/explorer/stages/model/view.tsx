import React from 'react';
import {Box, Text} from 'ink';
import type {StageViewProps} from '../types.js';
import type {ModelState} from './state.js';

export function ModelStage({state, ctx}: StageViewProps<ModelState>) {
	const model = ctx.session.controller.run.model;
	return (
		<Box flexDirection="column" height={ctx.rows}>
			<Text wrap="truncate">{`Model ${model.kind}: row ${model.label(state.row)}, step ${state.step}`}</Text>
		</Box>
	);
}
