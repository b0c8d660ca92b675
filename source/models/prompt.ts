/**
 * Reading a prompt as the toy-gpt series reads it. The series' loaders strip
 * the prompt and lower-case it before looking its tokens up (the client
 * `trim().toLowerCase()`, the training repositories `strip().lower()`), and
 * their corpora are lower case. The rule here:
 *
 * - where every token of the vocabulary equals its lower-case form, the
 *   prompt is read in lower case, as the series reads it (`The owl` is
 *   `the owl`);
 * - where the vocabulary has both cases, the learner's case is kept, and a
 *   token that is not in the vocabulary but whose lower-case form is, is read
 *   as that form.
 *
 * Either way `note` says, in one line, what was read differently from what
 * was typed (undefined when nothing was). Splitting at whitespace is the
 * tokenizer's (Python's `str.split()`), which also strips the ends.
 */
import {tokenize} from '../text/tokenize.js';
import type {Vocabulary} from '../text/vocabulary.js';

export interface PromptReading {
	/** The tokens looked up, in order. */
	readonly tokens: string[];
	/** The tokens as typed. */
	readonly typed: string[];
	/** What was read differently from what was typed, and why (one line), or undefined. */
	readonly note?: string;
}

/** Whether every token of the vocabulary is its own lower-case form. */
export function isLowerCaseVocabulary(vocabulary: Pick<Vocabulary, 'tokens'>): boolean {
	return vocabulary.tokens.every((token) => token === token.toLowerCase());
}

/** The prompt's tokens as the model looks them up (see the rule above). */
export function readPrompt(vocabulary: Pick<Vocabulary, 'tokens' | 'ids'>, prompt: string): PromptReading {
	const typed = tokenize(prompt);
	if (isLowerCaseVocabulary(vocabulary)) {
		const tokens = typed.map((token) => token.toLowerCase());
		const changed = changes(typed, tokens);
		if (changed.length === 0) return {tokens, typed};
		return {tokens, typed, note: `read in lower case (${changed}), as the toy-gpt series reads a prompt: every token of this vocabulary is lower case`};
	}
	const tokens = typed.map((token) => {
		if (vocabulary.ids.has(token)) return token;
		const lower = token.toLowerCase();
		return vocabulary.ids.has(lower) ? lower : token;
	});
	const changed = changes(typed, tokens);
	if (changed.length === 0) return {tokens, typed};
	return {tokens, typed, note: `read ${changed}: not in the vocabulary as typed, but in lower case (this vocabulary has both cases, so case is otherwise kept)`};
}

/** `"The" as "the", "Owl" as "owl"`: the tokens read differently, each once. */
function changes(typed: readonly string[], tokens: readonly string[]): string {
	const seen = new Set<string>();
	const parts: string[] = [];
	typed.forEach((token, i) => {
		if (token === tokens[i] || seen.has(token)) return;
		seen.add(token);
		parts.push(`${JSON.stringify(token)} as ${JSON.stringify(tokens[i])}`);
	});
	return parts.join(', ');
}
