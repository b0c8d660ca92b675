import {describe, expect, it} from 'vitest';
import {contextOf, sessionOn} from '../helpers.js';
import {initialPromptState, promptKey, step, TEMPERATURES, type PromptState} from '../../../source/explorer/stages/prompt/state.js';
import {keyOf, NO_KEY} from '../../../source/explorer/stages/types.js';
import {HELP_GROUPS} from '../../../source/explorer/keymap.js';
import {generate, GREEDY, seededRandom} from '../../../source/models/sample.js';
import type {Model} from '../../../source/models/table/model.js';

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

describe('generation where the model knows nothing', () => {
	it('"the dragon" (an unknown word) appends nothing and says why, instead of "an an an …"', () => {
		const state = promptKey(typeText(typing(), 'the dragon'), '', keyOf({return: true}), ctx);
		expect(state.text).toBe('the dragon');
		expect(state.appended).toEqual([]);
		expect(state.note).toBe('Stopped after 0 of 10 tokens: "dragon" is not in the vocabulary; the model has nothing to go on there.');
	});

	it('an unseen context of known words stops generation too, and says which context', () => {
		// "owl" and "owl" are both in the vocabulary, but "owl owl" never occurs in the corpus.
		const state = promptKey(typeText(typing(), 'the owl owl'), '', keyOf({return: true}), ctx);
		expect(state.appended).toEqual([]);
		expect(state.note).toContain('the context "owl|owl" never occurs in the corpus');
	});

	it('→ on a uniform distribution takes nothing and says why', () => {
		const state = promptKey(typeText(typing(), 'the'), '', keyOf({rightArrow: true}), ctx);
		expect(state.text).toBe('the');
		expect(state.note).toBe('No most likely token: the prompt has 1 token; the model reads the last 2.');
	});

	it('headless generate is unchanged: from an unknown word it still repeats the lowest id', () => {
		const model = (session.artifacts.getSnapshot() as {loaded: {model: Model}}).loaded.model;
		const generated = generate(model, ['the', 'dragon'], 3, GREEDY, seededRandom(0));
		expect(generated).toEqual([model.vocabulary.tokens[0], model.vocabulary.tokens[0], model.vocabulary.tokens[0]]);
	});
});

describe('the help and the keys agree', () => {
	it('x is "reset settings", C-u is "clear prompt", both in the help', () => {
		const prompt = HELP_GROUPS.filter((g) => g.title.startsWith('5 Prompt')).flatMap((g) => g.bindings.map((b) => `${b.keys} ${b.label}`));
		expect(prompt).toContain('x reset settings');
		expect(prompt).toContain('C-u clear prompt');
		expect(prompt).not.toContain('x clear');
	});
});
