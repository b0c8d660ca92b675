/**
 * The explorer's whole UI state and its key reducer. Keys are reduced one at
 * a time against the latest state (never a value captured by a render), so a
 * burst of keys in one frame, or a paste, lands exactly as typed. What a key
 * must do outside the state (quit, drive the training) comes back as effects.
 */
import type {Key} from 'ink';
import {GLOBAL, STAGES, TRAIN, type StageId} from './keymap.js';
import type {StageContext} from './stages/types.js';
import {corpusKey, initialCorpusState, type CorpusState} from './stages/corpus/state.js';
import {initialVocabState, vocabKey, vocabTyping, type VocabState} from './stages/vocab/state.js';
import {initialModelState, modelKey, type ModelState} from './stages/model/state.js';
import {initialPromptState, promptKey, promptTyping, type PromptState} from './stages/prompt/state.js';
import type {ExplorerSession} from './session.js';

export interface AppState {
	readonly stage: StageId;
	readonly help: boolean;
	readonly corpus: CorpusState;
	readonly vocab: VocabState;
	readonly model: ModelState;
	readonly prompt: PromptState;
}

export type Effect = 'quit' | 'interrupt' | 'train.toggle' | 'train.epoch' | 'train.reset' | 'train.faster' | 'train.slower';

export function initialAppState(session: ExplorerSession, stage: StageId = 'corpus'): AppState {
	return {
		stage,
		help: false,
		corpus: initialCorpusState(session),
		vocab: initialVocabState(session),
		model: initialModelState(session),
		prompt: initialPromptState(session),
	};
}

/** Whether the current stage is taking text (digits, q and ? then type). */
export function isTyping(state: AppState): boolean {
	if (state.stage === 'vocab') return vocabTyping(state.vocab);
	if (state.stage === 'prompt') return promptTyping(state.prompt);
	return false;
}

function moveStage(state: AppState, by: number): AppState {
	const i = STAGES.findIndex((s) => s.id === state.stage);
	const next = STAGES[(i + by + STAGES.length) % STAGES.length]!.id;
	return {...state, stage: next, help: false};
}

export function appKey(state: AppState, input: string, key: Key, ctx: StageContext): {state: AppState; effects: Effect[]} {
	const none = (s: AppState) => ({state: s, effects: [] as Effect[]});
	if (GLOBAL.forceQuit.match(input, key)) return {state, effects: ['interrupt']};
	if (GLOBAL.nextStage.match(input, key)) return none(moveStage(state, 1));
	if (GLOBAL.previousStage.match(input, key)) return none(moveStage(state, -1));
	if (state.help) {
		if (GLOBAL.close.match(input, key) || GLOBAL.help.match(input, key)) return none({...state, help: false});
		if (GLOBAL.quit.match(input, key)) return {state, effects: ['quit']};
		return none(state);
	}
	if (!isTyping(state)) {
		if (GLOBAL.jump.match(input, key)) return none({...state, stage: STAGES[Number(input) - 1]!.id});
		if (GLOBAL.help.match(input, key)) return none({...state, help: true});
		if (GLOBAL.quit.match(input, key)) return {state, effects: ['quit']};
	}
	switch (state.stage) {
		case 'corpus':
			return none({...state, corpus: corpusKey(state.corpus, input, key, ctx)});
		case 'vocab':
			return none({...state, vocab: vocabKey(state.vocab, input, key, ctx)});
		case 'model':
			return none({...state, model: modelKey(state.model, input, key, ctx)});
		case 'prompt':
			return none({...state, prompt: promptKey(state.prompt, input, key, ctx)});
		case 'train': {
			const effects: Effect[] = [];
			if (TRAIN.toggle.match(input, key)) effects.push('train.toggle');
			else if (TRAIN.epoch.match(input, key)) effects.push('train.epoch');
			else if (TRAIN.reset.match(input, key)) effects.push('train.reset');
			else if (TRAIN.faster.match(input, key)) effects.push('train.faster');
			else if (TRAIN.slower.match(input, key)) effects.push('train.slower');
			return {state, effects};
		}
	}
}
