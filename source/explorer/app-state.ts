/**
 * The explorer's whole UI state and its key reducer. Keys are reduced one at
 * a time against the latest state (never a value captured by a render), so a
 * burst of keys in one frame, or a paste, lands exactly as typed. What a key
 * must do outside the state (quit, drive the training) comes back as effects.
 */
import {trainFamilyView} from './stages/train/family.js';
import type {Key} from 'ink';
import {COMPARE, COMPARE_TYPING, CONFIRM, GLOBAL, PROMPT, STAGES, TRAIN, type StageId} from './keymap.js';
import {hasTrained} from './train-controller.js';
import {NO_KEY, type StageContext} from './stages/types.js';
import {editText} from './input.js';
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
	/** typing: the prompt is being edited; columns: the per-model columns instead of one model a row (below 100 columns). */
	readonly compare: {readonly typing: boolean; readonly columns?: boolean};
	readonly train: TrainViewState;
}

export interface TrainViewState {
	/** What the train stage shows under its status lines. */
	readonly view: 'chart' | 'step' | 'heatmap';
	/** First context row shown in the heatmap. */
	readonly heatTop: number;
	/** Asking whether to throw the trained model away for a new run. */
	readonly confirmReset?: boolean;
	/** The heatmap's cursor column (0: the most frequent token). */
	readonly heatColumn: number;
}

export type Effect =
	| 'quit'
	| 'interrupt'
	| 'train.toggle'
	| 'train.epoch'
	| 'train.reset'
	| 'train.faster'
	| 'train.slower'
	| 'train.step'
	| 'train.epochs.more'
	| 'train.epochs.fewer'
	| 'train.lr.higher'
	| 'train.lr.lower'
	| 'model.other'
	| 'compare.start'
	| 'compare.embeddings';

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
	return {...state, stage: next, help: false, train: {...state.train, confirmReset: false}};
}

export function appKey(state: AppState, input: string, key: Key, ctx: StageContext): {state: AppState; effects: Effect[]} {
	const result = reduceKey(state, input, key, ctx);
	if (result.state.stage !== state.stage) {
		// Opening the compare stage starts its models training (once).
		if (result.state.stage === 'compare') result.effects.push('compare.start');
		// A stage opens with its keys doing what its footer says: text entry
		// starts again only when asked for (Enter or i), never by arriving.
		result.state = stopTyping(result.state);
	}
	return result;
}

/** Every text field closed (what was typed stays). */
function stopTyping(state: AppState): AppState {
	const prompt = state.prompt.typing ? {...state.prompt, typing: false, selected: -1} : state.prompt;
	const compare = state.compare.typing ? {...state.compare, typing: false} : state.compare;
	const vocab = state.vocab.filtering ? {...state.vocab, filtering: false} : state.vocab;
	return prompt === state.prompt && compare === state.compare && vocab === state.vocab ? state : {...state, prompt, compare, vocab};
}

/**
 * Pasted text: into the text field that is open, or else into the stage's
 * own (the prompt, the compare stage's prompt, the vocabulary filter), which
 * it opens. A stage without one ignores it: a paste is text, never keys.
 */
export function appPaste(state: AppState, text: string, ctx: StageContext): {state: AppState; effects: Effect[]} {
	if (state.help) return {state, effects: []};
	let open = state;
	if (!isTyping(state)) {
		if (state.stage === 'prompt') open = {...state, prompt: {...state.prompt, typing: true}};
		else if (state.stage === 'compare') open = {...state, compare: {...state.compare, typing: true}};
		else if (state.stage === 'vocab') open = {...state, vocab: {...state.vocab, filtering: true}};
		else return {state, effects: []};
	}
	return appKey(open, text, NO_KEY, ctx);
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
		if (GLOBAL.jump.match(input, key)) return none({...state, stage: STAGES[Number(input) - 1]!.id, train: {...state.train, confirmReset: false}});
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
			// Only by the learner's choice: the model of another corpus, when there is none of this one.
			if (!isTyping(state) && PROMPT.otherModel.match(input, key)) return {state, effects: ['model.other']};
			return none({...state, prompt: promptKey(state.prompt, input, key, ctx)});
		case 'compare': {
			// The compare stage edits the prompt stage's text: one prompt, two views of it.
			if (!state.compare.typing) {
				if (COMPARE.view.match(input, key)) return none({...state, compare: {...state.compare, columns: !state.compare.columns}});
				if (COMPARE.train.match(input, key)) return {state, effects: ['compare.embeddings']};
				return none(COMPARE.edit.match(input, key) ? {...state, compare: {...state.compare, typing: true}} : state);
			}
			if (COMPARE_TYPING.leave.match(input, key)) return none({...state, compare: {...state.compare, typing: false}});
			const text = editText(state.prompt.text, input, key);
			return none(text === undefined ? state : {...state, prompt: {...state.prompt, text, appended: [], selected: -1}});
		}
		case 'train': {
			const effects: Effect[] = [];
			let train = state.train;
			// The answer to "discard the trained model?": y discards, any other key keeps it.
			if (train.confirmReset) {
				return {state: {...state, train: {...train, confirmReset: false}}, effects: CONFIRM.yes.match(input, key) ? ['train.reset'] : []};
			}
			if (TRAIN.toggle.match(input, key)) effects.push('train.toggle');
			else if (TRAIN.epoch.match(input, key)) effects.push('train.epoch');
			else if (TRAIN.reset.match(input, key)) {
				// A run that trained anything is only thrown away once the learner confirms.
				if (hasTrained(ctx.train)) train = {...train, confirmReset: true};
				else effects.push('train.reset');
			} else if (TRAIN.epochs.match(input, key)) effects.push(input === 'E' ? 'train.epochs.more' : 'train.epochs.fewer');
			else if (TRAIN.learningRate.match(input, key)) effects.push(input === 'L' ? 'train.lr.higher' : 'train.lr.lower');
			else if (TRAIN.faster.match(input, key)) effects.push('train.faster');
			else if (TRAIN.slower.match(input, key)) effects.push('train.slower');
			else if (TRAIN.step.match(input, key)) {
				effects.push('train.step');
				train = {...train, view: 'step'};
			} else if (TRAIN.heatmap.match(input, key)) train = {...train, view: 'heatmap'};
			else if (TRAIN.chart.match(input, key)) train = {...train, view: 'chart'};
			else if (TRAIN.scroll.match(input, key) && train.view === 'heatmap') {
				const rows = trainFamilyView(ctx.session.controller.run.model, ctx.session.controller.run).heatmapRows;
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
