import {describe, expect, it} from 'vitest';
import {contextOf, sessionOn} from '../helpers.js';
import {initialPromptState, promptKey, step, TEMPERATURES, type PromptState} from '../../../source/explorer/stages/prompt/state.js';
import {keyOf, NO_KEY} from '../../../source/explorer/stages/types.js';

const session = sessionOn(undefined);
const ctx = contextOf(session);

/** The prompt stage with text entry started (Enter or i). */
function typing(): PromptState {
	return promptKey(initialPromptState(session), 'i', NO_KEY, ctx);
}

function typeText(state: PromptState, text: string): PromptState {
	for (const ch of text) state = promptKey(state, ch, NO_KEY, ctx);
	return state;
}

describe('prompt stage state', () => {
	it('starts not typing (keys are commands), with greedy decoding, the seed and --num from the flags', () => {
		const state = initialPromptState(session);
		expect(state.typing).toBe(false);
		expect(state.decode.mode).toBe('greedy');
		expect(state.seed).toBe(0);
		expect(state.num).toBe(10);
	});

	it('types, and Backspace (sent as delete by Ink) removes the last character', () => {
		let state = typeText(typing(), 'the cat');
		expect(state.text).toBe('the cat');
		state = promptKey(state, '', keyOf({delete: true}), ctx);
		expect(state.text).toBe('the ca');
		state = promptKey(state, '', keyOf({backspace: true}), ctx);
		expect(state.text).toBe('the c');
	});

	it('keeps control characters of a paste out of the prompt', () => {
		const state = promptKey(typing(), 'the\u001b[31m owl', NO_KEY, ctx);
		expect(state.text).toBe('the[31m owl');
	});

	it('→ appends the most likely next token', () => {
		// After "the owl" the committed model's most likely token is "hunts".
		const state = promptKey(typeText(typing(), 'the owl'), '', keyOf({rightArrow: true}), ctx);
		expect(state.text).toBe('the owl hunts');
		expect(state.appended).toEqual(['hunts']);
	});

	it('Enter appends --num greedy tokens, the same every time', () => {
		const start = typeText(typing(), 'the owl');
		const a = promptKey(start, '', keyOf({return: true}), ctx);
		const b = promptKey(start, '', keyOf({return: true}), ctx);
		expect(a.appended).toHaveLength(10);
		expect(a.text).toBe(`the owl ${a.appended.join(' ')}`);
		expect(a.appended.slice(0, 4)).toEqual(['hunts', 'the', 'mouse', 'at']);
		expect(b.text).toBe(a.text);
	});

	it('↓ picks the second candidate and Enter appends it', () => {
		let state = typeText(typing(), 'the owl');
		state = promptKey(state, '', keyOf({downArrow: true}), ctx);
		state = promptKey(state, '', keyOf({downArrow: true}), ctx);
		expect(state.selected).toBe(1);
		state = promptKey(state, '', keyOf({return: true}), ctx);
		expect(state.text).toBe('the owl sings');
		expect(state.selected).toBe(-1);
	});

	it('Esc first drops a pick, then leaves text entry; Enter or i comes back', () => {
		let state = typeText(typing(), 'the owl');
		state = promptKey(state, '', keyOf({downArrow: true}), ctx);
		state = promptKey(state, '', keyOf({escape: true}), ctx);
		expect(state).toMatchObject({selected: -1, typing: true});
		state = promptKey(state, '', keyOf({escape: true}), ctx);
		expect(state.typing).toBe(false);
		expect(promptKey(state, 'i', NO_KEY, ctx).typing).toBe(true);
		expect(promptKey(state, '', keyOf({return: true}), ctx).typing).toBe(true);
	});

	it('settings keys switch to sampling and step temperature, top-k, top-p and seed', () => {
		let state = promptKey(initialPromptState(session), 'm', NO_KEY, ctx);
		expect(state.decode.mode).toBe('sample');
		state = promptKey(state, 'T', NO_KEY, ctx);
		expect(state.decode.temperature).toBe(1.2);
		state = promptKey(state, 't', NO_KEY, ctx);
		state = promptKey(state, 't', NO_KEY, ctx);
		expect(state.decode.temperature).toBe(0.8);
		// 47 tokens: the ladder below all is 1 … 20.
		state = promptKey(state, 'k', NO_KEY, ctx);
		expect(state.decode.topK).toBe(20);
		state = promptKey(state, 'K', NO_KEY, ctx);
		expect(state.decode.topK).toBe(0);
		state = promptKey(state, 'p', NO_KEY, ctx);
		expect(state.decode.topP).toBe(0.95);
		state = promptKey(state, 'E', NO_KEY, ctx);
		expect(state.seed).toBe(1);
		state = promptKey(state, 'e', NO_KEY, ctx);
		state = promptKey(state, 'e', NO_KEY, ctx);
		expect(state.seed).toBe(0);
	});

	it('with a fixed seed, sampling the same prompt gives the same text; another seed another text', () => {
		let state = typeText(typing(), 'the owl');
		state = {...state, decode: {mode: 'sample', temperature: 1.5, topK: 0, topP: 1}};
		const a = promptKey(state, '', keyOf({return: true}), ctx);
		const b = promptKey(state, '', keyOf({return: true}), ctx);
		expect(a.text).toBe(b.text);
		const others = [1, 2, 3, 4].map((seed) => promptKey({...state, seed}, '', keyOf({return: true}), ctx).text);
		expect(others.some((text) => text !== a.text)).toBe(true);
	});

	it('ladders stop at their ends and step from values off the ladder', () => {
		expect(step(TEMPERATURES, 5, 1)).toBe(5);
		expect(step(TEMPERATURES, 0.1, -1)).toBe(0.1);
		expect(step(TEMPERATURES, 0.9, 1)).toBe(1);
		expect(step(TEMPERATURES, 0.9, -1)).toBe(0.8);
	});
});
