/**
 * Prompts are read as the toy-gpt series reads them: in lower case where
 * every token of the vocabulary is lower case; where the vocabulary has both
 * cases, as typed, except a token known only in lower case.
 */
import {describe, expect, it} from 'vitest';
import {isLowerCaseVocabulary, readPrompt} from '../../source/models/prompt.js';
import {makeVocabulary} from '../../source/text/vocabulary.js';

const vocabulary = (tokens: string[]) => makeVocabulary([...tokens].sort(), new Int32Array(tokens.length).fill(1));

describe('readPrompt', () => {
	const lower = vocabulary(['the', 'owl', 'hunts', 'émile']);
	const mixed = vocabulary(['The', 'the', 'owl', 'Paris', 'hunts']);

	it('reads a lower-case vocabulary in lower case, and says so', () => {
		expect(isLowerCaseVocabulary(lower)).toBe(true);
		const reading = readPrompt(lower, '  The OWL  ');
		expect(reading.tokens).toEqual(['the', 'owl']);
		expect(reading.typed).toEqual(['The', 'OWL']);
		expect(reading.note).toBe('read in lower case ("The" as "the", "OWL" as "owl"), as the toy-gpt series reads a prompt: every token of this vocabulary is lower case');
		expect(readPrompt(lower, 'Émile').tokens).toEqual(['émile']);
	});

	it('has no note when the prompt is read as typed, or is empty', () => {
		expect(readPrompt(lower, 'the owl')).toEqual({tokens: ['the', 'owl'], typed: ['the', 'owl']});
		expect(readPrompt(lower, '')).toEqual({tokens: [], typed: []});
		expect(readPrompt(lower, ' \t\n')).toEqual({tokens: [], typed: []});
	});

	it('keeps the case where the vocabulary has both, using the lower-case form of a token known only so', () => {
		expect(isLowerCaseVocabulary(mixed)).toBe(false);
		expect(readPrompt(mixed, 'The owl').tokens).toEqual(['The', 'owl']);
		expect(readPrompt(mixed, 'The owl').note).toBeUndefined();
		const reading = readPrompt(mixed, 'The Owl HUNTS Paris Zebra');
		expect(reading.tokens).toEqual(['The', 'owl', 'hunts', 'Paris', 'Zebra']);
		expect(reading.note).toBe('read "Owl" as "owl", "HUNTS" as "hunts": not in the vocabulary as typed, but in lower case (this vocabulary has both cases, so case is otherwise kept)');
	});
});
