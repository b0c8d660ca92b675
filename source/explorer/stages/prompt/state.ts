/**
 * The prompt stage: a text being typed, the model's next-token distribution
 * for its last n tokens, and decoding settings. Pure: tested without Ink.
 */
import type {Model} from '../../../models/table/model.js';
import {argmax, generate, predict, rankTokens, seededRandom, type DecodeOptions, type Prediction} from '../../../models/sample.js';
import {tokenize} from '../../../text/tokenize.js';
import {PROMPT, PROMPT_TYPING} from '../../keymap.js';
import {promptModel, type ExplorerSession} from '../../session.js';
import type {KeyReducer, StageContext} from '../types.js';

export const TEMPERATURES = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 1, 1.2, 1.5, 2, 3, 5] as const;
/** 0 stands for all tokens. */
export const TOP_KS = [0, 1, 2, 3, 5, 10, 20, 50, 100] as const;
export const TOP_PS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1] as const;

export interface PromptState {
	readonly text: string;
	readonly typing: boolean;
	/** Candidate picked with ↑/↓ (an index into the shown candidates), or -1. */
	readonly selected: number;
	readonly decode: DecodeOptions;
	readonly seed: number;
	readonly num: number;
	/** Tokens the last action appended (shown highlighted). */
	readonly appended: readonly string[];
}

export function initialPromptState(session: ExplorerSession): PromptState {
	const s = session.settings;
	const sampling = s.temperature !== undefined || s.topP !== undefined;
	return {
		text: '',
		typing: true,
		selected: -1,
		decode: {
			mode: sampling ? 'sample' : 'greedy',
			temperature: s.temperature ?? 1,
			topK: s.topK ?? 0,
			topP: s.topP ?? 1,
		},
		seed: s.seed,
		num: s.num,
		appended: [],
	};
}

export function promptTyping(state: PromptState): boolean {
	return state.typing;
}

/** How many candidates the view lists in `rows` body rows. */
export function candidateCount(rows: number, V: number): number {
	return Math.max(1, Math.min(10, V, rows - 8));
}

export function currentModel(ctx: StageContext): {model: Model | null; source: string; error?: string} {
	return promptModel(ctx.session, ctx.train);
}

export interface PromptView {
	readonly tokens: string[];
	readonly prediction: Prediction;
	readonly candidates: number[];
}

/** What the model says about the prompt: recomputed per keystroke (one row's softmax). */
export function analyse(model: Model, text: string, count: number): PromptView {
	const tokens = tokenize(text);
	const prediction = predict(model, tokens);
	return {tokens, prediction, candidates: rankTokens(prediction.probabilities, count)};
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

// Control characters never enter the prompt (a paste may carry them).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export const promptKey: KeyReducer<PromptState> = (state, input, key, ctx) => {
	const {model} = currentModel(ctx);
	if (state.typing) {
		if (PROMPT_TYPING.leave.match(input, key)) {
			return state.selected >= 0 ? {...state, selected: -1} : {...state, typing: false};
		}
		if (PROMPT_TYPING.clear.match(input, key)) return {...state, text: '', selected: -1, appended: []};
		if (!model) {
			if (key.backspace || key.delete) return {...state, text: state.text.slice(0, -1)};
			const typed = input.replace(CONTROL, '');
			return typed && !key.ctrl && !key.meta ? {...state, text: state.text + typed} : state;
		}
		// The distribution only for the keys that use it (typing needs none here).
		const view = () => analyse(model, state.text, candidateCount(ctx.rows, model.V));
		if (PROMPT_TYPING.pick.match(input, key)) {
			const last = view().candidates.length - 1;
			const selected = key.downArrow ? Math.min(last, state.selected + 1) : Math.max(-1, state.selected - 1);
			return {...state, selected};
		}
		if (PROMPT_TYPING.accept.match(input, key)) {
			const token = model.vocabulary.tokens[argmax(view().prediction.probabilities)]!;
			return {...state, text: appendTokens(state.text, [token]), selected: -1, appended: [token]};
		}
		if (PROMPT_TYPING.generate.match(input, key)) {
			const {candidates, tokens} = view();
			if (state.selected >= 0) {
				const token = model.vocabulary.tokens[candidates[state.selected]!]!;
				return {...state, text: appendTokens(state.text, [token]), selected: -1, appended: [token]};
			}
			const generated = generate(model, tokens, state.num, state.decode, seededRandom(state.seed));
			return {...state, text: appendTokens(state.text, generated), appended: generated};
		}
		if (key.backspace || key.delete) return {...state, text: state.text.slice(0, -1), selected: -1, appended: []};
		const typed = input.replace(CONTROL, '');
		if (typed && !key.ctrl && !key.meta) return {...state, text: state.text + typed, selected: -1, appended: []};
		return state;
	}
	if (PROMPT.edit.match(input, key)) return {...state, typing: true};
	if (PROMPT.mode.match(input, key)) {
		return {...state, decode: {...state.decode, mode: state.decode.mode === 'greedy' ? 'sample' : 'greedy'}};
	}
	const up = input === input.toUpperCase() ? 1 : -1;
	if (PROMPT.temperature.match(input, key)) {
		return {...state, decode: {...state.decode, mode: 'sample', temperature: step(TEMPERATURES, state.decode.temperature, up)}};
	}
	if (PROMPT.topK.match(input, key)) {
		// 0 (all tokens) sits above every k.
		const ladder = [...TOP_KS.slice(1), Infinity];
		const next = step(ladder, state.decode.topK === 0 ? Infinity : state.decode.topK, up);
		return {...state, decode: {...state.decode, mode: 'sample', topK: next === Infinity ? 0 : next}};
	}
	if (PROMPT.topP.match(input, key)) {
		return {...state, decode: {...state.decode, mode: 'sample', topP: step(TOP_PS, state.decode.topP, up)}};
	}
	if (PROMPT.seed.match(input, key)) return {...state, seed: Math.max(0, state.seed + up)};
	if (PROMPT.clear.match(input, key)) return {...state, text: '', selected: -1, appended: []};
	return state;
};

