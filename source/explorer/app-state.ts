/**
 * The explorer's whole UI state and its key reducer. Keys are reduced one at
 * a time against the latest state (never a value captured by a render), so a
 * burst of keys in one frame, or a paste, lands exactly as typed. What a key
 * must do outside the state (quit, drive the training) comes back as effects.
 */
import type {Key} from 'ink';
import {COMPARE, COMPARE_TYPING, GLOBAL, STAGES, TRAIN, type StageId} from './keymap.js';
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
	readonly compare: {readonly typing: boolean};
	readonly train: TrainViewState;
}

export interface TrainViewState {
	/** What the train stage shows under its status lines. */
	readonly view: 'chart' | 'step' | 'heatmap';
	/** First context row shown in the heatmap. */
	readonly heatTop: number;
	/** The heatmap's cursor column (0: the most frequent token). */
	readonly heatColumn: number;
}

export type Effect = 'quit' | 'interrupt' | 'train.toggle' | 'train.epoch' | 'train.reset' | 'train.faster' | 'train.slower' | 'train.step' | 'compare.start';

export function initialAppState(session: ExplorerSession, stage: StageId = 'corpus'): AppState {
	return {
		stage,
		help: false,
		corpus: initialCorpusState(session),
		vocab: initialVocabState(session),
		model: initialModelState(session),
		prompt: initialPromptState(session),
		compare: {typing: false},
		train: {view: 'chart', heatTop: 0, heatColumn: 0},
	};
}

/** Whether the current stage is taking text (digits, q and ? then type). */
export function isTyping(state: AppState): boolean {
	if (state.stage === 'vocab') return vocabTyping(state.vocab);
	if (state.stage === 'prompt') return promptTyping(state.prompt);
	if (state.stage === 'compare') return state.compare.typing;
	return false;
}

function moveStage(state: AppState, by: number): AppState {
	const i = STAGES.findIndex((s) => s.id === state.stage);
	const next = STAGES[(i + by + STAGES.length) % STAGES.length]!.id;
	return {...state, stage: next, help: false};
}

// Control characters never enter a prompt (a paste may carry them).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function appKey(state: AppState, input: string, key: Key, ctx: StageContext): {state: AppState; effects: Effect[]} {
	const result = reduceKey(state, input, key, ctx);
	// Opening the compare stage starts its models training (once).
	if (result.state.stage === 'compare' && state.stage !== 'compare') result.effects.push('compare.start');
	return result;
}

function reduceKey(state: AppState, input: string, key: Key, ctx: StageContext): {state: AppState; effects: Effect[]} {
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
		case 'compare': {
			// The compare stage edits the prompt stage's text: one prompt, two views of it.
			if (!state.compare.typing) return none(COMPARE.edit.match(input, key) ? {...state, compare: {typing: true}} : state);
			if (COMPARE_TYPING.leave.match(input, key)) return none({...state, compare: {typing: false}});
			const prompt = state.prompt;
			if (COMPARE_TYPING.clear.match(input, key)) return none({...state, prompt: {...prompt, text: '', appended: []}});
			if (key.backspace || key.delete) return none({...state, prompt: {...prompt, text: prompt.text.slice(0, -1), appended: []}});
			const typed = input.replace(CONTROL, '');
			if (typed && !key.ctrl && !key.meta) return none({...state, prompt: {...prompt, text: prompt.text + typed, appended: []}});
			return none(state);
		}
		case 'train': {
			const effects: Effect[] = [];
			let train = state.train;
			if (TRAIN.toggle.match(input, key)) effects.push('train.toggle');
			else if (TRAIN.epoch.match(input, key)) effects.push('train.epoch');
			else if (TRAIN.reset.match(input, key)) effects.push('train.reset');
			else if (TRAIN.faster.match(input, key)) effects.push('train.faster');
			else if (TRAIN.slower.match(input, key)) effects.push('train.slower');
			else if (TRAIN.step.match(input, key)) {
				effects.push('train.step');
				train = {...train, view: 'step'};
			} else if (TRAIN.heatmap.match(input, key)) train = {...train, view: 'heatmap'};
			else if (TRAIN.chart.match(input, key)) train = {...train, view: 'chart'};
			else if (TRAIN.scroll.match(input, key) && train.view === 'heatmap') {
				const rows = ctx.session.controller.run.model.rowCount;
				const page = Math.max(1, ctx.rows - 8);
				const by = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -page : page;
				train = {...train, heatTop: Math.max(0, Math.min(Math.max(0, rows - 1), train.heatTop + by))};
			} else if (TRAIN.column.match(input, key) && train.view === 'heatmap') {
				const last = Math.min(ctx.session.controller.run.model.V, ctx.columns) - 1;
				train = {...train, heatColumn: Math.max(0, Math.min(last, train.heatColumn + (key.leftArrow ? -1 : 1)))};
			}
			return {state: train === state.train ? state : {...state, train}, effects};
		}
	}
}
