import {describe, expect, it} from 'vitest';
import {editText, pastedText, readKeys, withoutLastGrapheme, type KeyEvent, type PasteState} from '../../source/explorer/input.js';
import {keyOf, NO_KEY} from '../../source/explorer/stages/types.js';

/** The keys of one Ink event, written short: "x" for a character, names for the others. */
function names(events: KeyEvent[]): string[] {
	return events.map(({input, key, paste}) => {
		if (paste) return `paste:${input}`;
		if (key.delete || key.backspace) return 'Backspace';
		if (key.return) return 'Enter';
		if (key.tab) return 'Tab';
		if (key.escape) return 'Esc';
		if (key.ctrl) return `C-${input}`;
		return input;
	});
}

const read = (input: string, paste: PasteState = {pasting: false}) => names(readKeys(input, NO_KEY, paste));

describe('the keys an Ink input event holds', () => {
	it('three Backspaces sent at once are three Backspaces', () => {
		expect(read('\u007f\u007f\u007f')).toEqual(['Backspace', 'Backspace', 'Backspace']);
		expect(read('\b\b')).toEqual(['Backspace', 'Backspace']);
	});

	it('"i" then Ctrl+U at once is i, then C-u; Ctrl+C in a chunk is C-c', () => {
		expect(read('i\u0015')).toEqual(['i', 'C-u']);
		expect(read('ab\u0003')).toEqual(['a', 'b', 'C-c']);
	});

	it('a tab or line break between words is a separator, so words stay apart', () => {
		expect(read('the\tcat')).toEqual(['t', 'h', 'e', ' ', 'c', 'a', 't']);
		expect(read('the\r\ncat\nsat')).toEqual(['t', 'h', 'e', ' ', 'c', 'a', 't', ' ', 's', 'a', 't']);
	});

	it('Enter typed after text is Enter; tabs typed alone are Tab', () => {
		expect(read('owl\r')).toEqual(['o', 'w', 'l', 'Enter']);
		expect(read('\t\t')).toEqual(['Tab', 'Tab']);
	});

	it('Esc then a key sent together (Ink reads Meta+key) are Esc, then the key', () => {
		expect(names(readKeys('m', keyOf({meta: true}), {pasting: false}))).toEqual(['Esc', 'm']);
	});

	it('a single key or an escape sequence passes as Ink gave it', () => {
		expect(readKeys('q', NO_KEY, {pasting: false})).toEqual([{input: 'q', key: NO_KEY}]);
		const up = keyOf({upArrow: true});
		expect(readKeys('', up, {pasting: false})).toEqual([{input: '', key: up}]);
	});

	it('a bracketed paste is text, its tabs and line breaks a space, even a lone Enter inside it', () => {
		const paste = {pasting: false};
		expect(read('[200~', paste)).toEqual([]);
		expect(paste.pasting).toBe(true);
		expect(read('the\tcat\r\nsat', paste)).toEqual(['paste:the cat sat']);
		expect(names(readKeys('', keyOf({return: true}), paste))).toEqual(['paste: ']);
		expect(read('q', paste)).toEqual(['paste:q']);
		expect(read('[201~', paste)).toEqual([]);
		expect(paste.pasting).toBe(false);
		expect(read('q', paste)).toEqual(['q']);
	});

	it('pasted text keeps its separators and loses other control characters', () => {
		expect(pastedText('a\tb\r\nc\u0007d')).toBe('a b cd');
	});
});

describe('editing a line of text', () => {
	it('Backspace removes one grapheme: a family emoji, an accent with its letter, a flag', () => {
		expect(withoutLastGrapheme('the 👩‍👩‍👧')).toBe('the ');
		expect(withoutLastGrapheme('cafe\u0301')).toBe('caf');
		expect(withoutLastGrapheme('go 🇫🇷')).toBe('go ');
		expect(withoutLastGrapheme('')).toBe('');
	});

	it('typing appends, Backspace (delete in Ink 6) removes a grapheme, C-u clears, arrows do not edit', () => {
		expect(editText('the', ' cat', NO_KEY)).toBe('the cat');
		expect(editText('the 👩‍👩‍👧', '', keyOf({delete: true}))).toBe('the ');
		expect(editText('the cat', 'u', keyOf({ctrl: true}))).toBe('');
		expect(editText('the', '', keyOf({leftArrow: true}))).toBeUndefined();
		expect(editText('the', '', keyOf({return: true}))).toBeUndefined();
		expect(editText('the', 'a\tb', NO_KEY)).toBe('thea b');
	});
});
