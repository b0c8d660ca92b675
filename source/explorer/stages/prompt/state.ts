/**
 * The prompt stage: a text being typed, the model's next-token distribution
 * for its last n tokens, and decoding settings. Pure: tested without Ink.
 */
import type {NextTokenModel} from '../../../models/next-token.js';
import {argmax, generateWhileKnown, predict, seededRandom, type DecodeOptions, type Prediction} from '../../../models/sample.js';
import {readPrompt} from '../../../models/prompt.js';
import {PROMPT, PROMPT_TYPING} from '../../keymap.js';
import {promptModel, type ExplorerSession} from '../../session.js';
import type {KeyReducer, StageContext} from '../types.js';
import {editText} from '../../input.js';
import {candidateLines, shortReason, type CandidateLine} from './layout.js';

export const TEMPERATURES = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 1, 1.2, 1.5, 2, 3, 5] as const;
/** 0 stands for all tokens. */
export const TOP_KS = [0, 1, 2, 3, 5, 10, 20, 50, 100] as const;
export const TOP_PS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1] as const;

export interface PromptState {
	readonly text: string;
	/** Keys are text (else they are commands: settings, stages, help, quit). */
	readonly typing: boolean;
	/** Candidate picked with ↑/↓ (an index into the listed tokens), or -1. */
	readonly selected: number;
	readonly decode: DecodeOptions;
	readonly seed: number;
	readonly num: number;
	/** Tokens the last action appended (shown between « »). */
	readonly appended: readonly string[];
	/** What the last action did, when it needs saying (generation stopped, nothing to take). */
	readonly note: string;
}

/** The decoding settings the session starts with (from the flags): what x returns to. */
export function defaultSettings(session: ExplorerSession): Pick<PromptState, 'decode' | 'seed'> {
	const s = session.settings;
	const sampling = s.temperature !== undefined || s.topP !== undefined;
	return {
		decode: {
			mode: sampling ? 'sample' : 'greedy',
			temperature: s.temperature ?? 1,
			topK: s.topK ?? 0,
			topP: s.topP ?? 1,
		},
		seed: s.seed,
	};
}

export function initialPromptState(session: ExplorerSession): PromptState {
	// The stage opens with its keys as commands: typing starts with Enter or i.
	return {text: '', typing: false, selected: -1, ...defaultSettings(session), num: session.settings.num, appended: [], note: ''};
}

export function promptTyping(state: PromptState): boolean {
	return state.typing;
}

/** Lines the stage keeps for everything but the candidates and the prompt (see view.tsx; the model's name may take two). */
export const FIXED_ROWS = 8;
/** Prompt lines kept free before the candidates take the rest. */
export const MIN_PROMPT_ROWS = 3;

/** From this many rows the prompt stage shows an attention model's whole matrix (a row per query position), else one line. */
export const ATTENTION_MATRIX_ROWS = 24;

/** Lines an attention model's weights take above the candidates: the matrix (a header and n rows) on a tall screen, else one. */
export function attentionRows(model: {readonly family: string; readonly n: number}, rows: number): number {
	if (model.family !== 'attention') return 0;
	return rows >= ATTENTION_MATRIX_ROWS ? model.n + 1 : 1;
}

/**
 * How many candidate lines the view lists in `rows` body rows: 3 at the
 * smallest terminal, more as it grows. `extra`: lines a model family adds
 * above the list (the attention model's weights).
 */
export function candidateCount(rows: number, V: number, extra = 0): number {
	return Math.max(1, Math.min(40, V, Math.max(3, rows - FIXED_ROWS - MIN_PROMPT_ROWS - extra)));
}

export function currentModel(ctx: StageContext): ReturnType<typeof promptModel> {
	return promptModel(ctx.session, ctx.train);
}

export interface PromptView {
	/** The prompt's tokens as the model looks them up (models/prompt.ts: the series' case rule). */
	readonly tokens: string[];
	/** What was read differently from what was typed, and why (one line), or undefined. */
	readonly readingNote?: string;
	readonly prediction: Prediction;
	/** The candidate list: tokens, and tied tokens as one line. */
	readonly lines: CandidateLine[];
	/** The listed single tokens, in order: what ↑/↓ pick from. */
	readonly candidates: number[];
}

/** What the model says about the prompt: recomputed per keystroke (one row's softmax). */
export function analyse(model: NextTokenModel, text: string, count: number): PromptView {
	const {tokens, note} = readPrompt(model.vocabulary, text);
	const prediction = predict(model, tokens);
	const lines = candidateLines(prediction.probabilities, count);
	const candidates = lines.flatMap((line) => (line.kind === 'token' ? [line.id] : []));
	return {tokens, readingNote: note, prediction, lines, candidates};
}

function appendTokens(text: string, tokens: readonly string[]): string {
	if (tokens.length === 0) return text;
	const joined = tokens.join(' ');
	return text === '' || /\s$/.test(text) ? text + joined : `${text} ${joined}`;
}

/** The next value of a ladder above (by > 0) or below `current`, staying at the ends. */
export function step(values: readonly number[], current: number, by: number): number {
	if (by > 0) return values.find((v) => v > current + 1e-12) ?? values[values.length - 1]!;
	return [...values].reverse().find((v) => v < current - 1e-12) ?? values[0]!;
}

/** The top-k values for a vocabulary of V tokens: those below V, then all (0). */
export function topKLadder(V: number): number[] {
	return [...TOP_KS.slice(1).filter((k) => k < V), 0];
}

/** One step along the top-k ladder; 0 (all tokens) is its top. */
export function stepTopK(topK: number, by: number, V: number): number {
	const ladder = topKLadder(V).map((k) => (k === 0 ? Infinity : k));
	const next = step(ladder, topK === 0 || topK >= V ? Infinity : topK, by);
	return next === Infinity ? 0 : next;
}

function stoppedNote(model: Pick<NextTokenModel, 'n'>, done: number, wanted: number, at: Prediction): string {
	return `Stopped after ${done} of ${wanted} tokens: ${shortReason(model, at)}; the model has nothing to go on there.`;
}

export const promptKey: KeyReducer<PromptState> = (state, input, key, ctx) => {
	const {model} = currentModel(ctx);
	if (state.typing) {
		if (PROMPT_TYPING.leave.match(input, key)) {
			return state.selected >= 0 ? {...state, selected: -1} : {...state, typing: false};
		}
		if (model) {
			// The distribution only for the keys that use it (typing needs none here).
			const view = () => analyse(model, state.text, candidateCount(ctx.rows, model.V));
			if (PROMPT_TYPING.pick.match(input, key)) {
				const last = view().candidates.length - 1;
				const selected = key.downArrow ? Math.min(last, state.selected + 1) : Math.max(-1, state.selected - 1);
				return {...state, selected};
			}
			if (PROMPT_TYPING.accept.match(input, key)) {
				const {prediction} = view();
				if (prediction.row === null) return {...state, selected: -1, appended: [], note: `No most likely token: ${shortReason(model, prediction)}.`};
				const token = model.vocabulary.tokens[argmax(prediction.probabilities)]!;
				return {...state, text: appendTokens(state.text, [token]), selected: -1, appended: [token], note: ''};
			}
			if (PROMPT_TYPING.generate.match(input, key)) {
				const {candidates, tokens} = view();
				if (state.selected >= 0 && state.selected < candidates.length) {
					const token = model.vocabulary.tokens[candidates[state.selected]!]!;
					return {...state, text: appendTokens(state.text, [token]), selected: -1, appended: [token], note: ''};
				}
				const {tokens: generated, stoppedAt} = generateWhileKnown(model, tokens, state.num, state.decode, seededRandom(state.seed));
				const note = stoppedAt ? stoppedNote(model, generated.length, state.num, stoppedAt) : '';
				return {...state, text: appendTokens(state.text, generated), selected: -1, appended: generated, note};
			}
		} else if (PROMPT_TYPING.pick.match(input, key) || PROMPT_TYPING.accept.match(input, key) || PROMPT_TYPING.generate.match(input, key)) {
			return state;
		}
		const text = editText(state.text, input, key);
		return text === undefined ? state : {...state, text, selected: -1, appended: [], note: ''};
	}
	if (PROMPT.edit.match(input, key)) return {...state, typing: true};
	if (PROMPT.clear.match(input, key)) return {...state, text: '', selected: -1, appended: [], note: ''};
	if (PROMPT.reset.match(input, key)) return {...state, ...defaultSettings(ctx.session)};
	if (PROMPT.mode.match(input, key)) {
		return {...state, decode: {...state.decode, mode: state.decode.mode === 'greedy' ? 'sample' : 'greedy'}};
	}
	const up = input === input.toUpperCase() ? 1 : -1;
	if (PROMPT.temperature.match(input, key)) {
		return {...state, decode: {...state.decode, mode: 'sample', temperature: step(TEMPERATURES, state.decode.temperature, up)}};
	}
	if (PROMPT.topK.match(input, key)) {
		const V = model?.V ?? Infinity;
		return {...state, decode: {...state.decode, mode: 'sample', topK: stepTopK(state.decode.topK, up, V)}};
	}
	if (PROMPT.topP.match(input, key)) {
		return {...state, decode: {...state.decode, mode: 'sample', topP: step(TOP_PS, state.decode.topP, up)}};
	}
	if (PROMPT.seed.match(input, key)) return {...state, seed: Math.max(0, state.seed + up)};
	return state;
};
