/**
 * Text entry: what an Ink input event holds, and editing a line of text.
 *
 * Ink's input parser splits escape sequences from the rest, but not control
 * bytes: keys that arrive together ("\x7f\x7f\x7f" from a held Backspace,
 * "i\x15" typed fast) and a paste ("the\tcat") reach useInput as one input
 * with every key flag false. `readKeys` turns such an event back into the
 * keys it holds. With bracketed paste on (start.tsx), a paste comes between
 * ESC[200~ and ESC[201~, which Ink delivers as the events "[200~" and
 * "[201~": everything between is text, its tabs and line breaks separators.
 */
import type {Key} from 'ink';
import {NO_KEY, keyOf} from './stages/types.js';

export const BRACKETED_PASTE_ON = '\u001B[?2004h';
export const BRACKETED_PASTE_OFF = '\u001B[?2004l';
const PASTE_START = '[200~';
const PASTE_END = '[201~';

/** One key, as Ink would have reported it alone; or `paste`: text to insert as it is. */
export interface KeyEvent {
	readonly input: string;
	readonly key: Key;
	readonly paste?: boolean;
}

/** Whether a paste is in progress (between ESC[200~ and ESC[201~). */
export interface PasteState {
	pasting: boolean;
}

const isWhitespaceControl = (ch: string) => ch === '\t' || ch === '\r' || ch === '\n';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The key one control character stands for, typed on its own. */
function controlKey(ch: string): KeyEvent | undefined {
	const code = ch.charCodeAt(0);
	if (ch === '\u007f') return {input: '', key: keyOf({delete: true})};
	if (ch === '\b') return {input: '', key: keyOf({backspace: true})};
	if (ch === '\r' || ch === '\n') return {input: '', key: keyOf({return: true})};
	if (ch === '\t') return {input: '', key: keyOf({tab: true})};
	// Ctrl+A … Ctrl+Z (Ctrl+U clears, Ctrl+C quits).
	if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), key: keyOf({ctrl: true})};
	return undefined;
}

/** A printable character typed on its own (Ink marks A-Z as shifted). */
function charKey(ch: string): KeyEvent {
	return {input: ch, key: /^[A-Z]$/.test(ch) ? keyOf({shift: true}) : NO_KEY};
}

/** Tabs and line breaks (a run of them, \r\n included) become one space; other control characters go. */
export function pastedText(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\t\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/**
 * The keys an Ink input event holds, in order. A single key, an escape
 * sequence or a key with Ctrl or Meta is passed on as it is. In a chunk of
 * several characters, each character is a key of its own; a control byte is
 * the key it stands for (\x7f and \b Backspace, \x15 Ctrl+U, \x03 Ctrl+C),
 * except tabs and line breaks between printable text, which a paste from a
 * terminal without bracketed paste carries: they stay separators (a space).
 */
export function readKeys(input: string, key: Key, paste: PasteState): KeyEvent[] {
	const plain = !key.ctrl && !key.meta && !key.tab && !key.return && !key.escape && !key.backspace && !key.delete;
	if (plain && input === PASTE_START) {
		paste.pasting = true;
		return [];
	}
	if (plain && input === PASTE_END) {
		paste.pasting = false;
		return [];
	}
	if (paste.pasting) {
		// Inside a paste, Enter and Tab are text too.
		const raw = key.return ? '\r' : key.tab ? '\t' : input;
		const text = pastedText(raw);
		return text ? [{input: text, key: NO_KEY, paste: true}] : [];
	}
	const chars = [...input];
	// Esc then a key, arriving together, reach Ink as one Meta+key ("\x1bm"): no
	// key here uses Meta, so they are the two keys pressed.
	if (key.meta && !key.escape && !key.ctrl && chars.length === 1 && !CONTROL.test(input)) {
		return [{input: '', key: keyOf({escape: true, meta: true})}, charKey(input)];
	}
	if (chars.length <= 1 || !plain) return [{input, key}];
	const events: KeyEvent[] = [];
	const printable = (i: number) => i >= 0 && i < chars.length && !CONTROL.test(chars[i]!);
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i]!;
		if (!CONTROL.test(ch)) {
			events.push(charKey(ch));
			continue;
		}
		if (isWhitespaceControl(ch)) {
			// A run of tabs and line breaks between printable text is one separator.
			let end = i;
			while (end + 1 < chars.length && isWhitespaceControl(chars[end + 1]!)) end++;
			if (printable(i - 1) && printable(end + 1)) {
				events.push({input: ' ', key: NO_KEY});
				i = end;
				continue;
			}
		}
		const control = controlKey(ch);
		if (control) events.push(control);
	}
	return events;
}

// Editing a line of text, the same in every text field (the prompt, the
// compare stage's prompt, the vocabulary filter).

// In the bundle this is the lazy segmenter of runtime/graphemes.ts (segmenter-inject.ts).
const segmenter = new Intl.Segmenter();

/** `text` without its last grapheme: what Backspace removes is one character as the screen shows it. */
export function withoutLastGrapheme(text: string): string {
	let last = -1;
	for (const {index} of segmenter.segment(text)) last = index;
	return last < 0 ? text : text.slice(0, last);
}

/**
 * The text after one key of text entry, or undefined when the key does not
 * edit: Backspace (Ink 6 sends it as delete) removes a grapheme, Ctrl+U
 * clears, a printable key or a paste is inserted (tabs and line breaks as a
 * space, other control characters left out).
 */
export function editText(text: string, input: string, key: Key): string | undefined {
	if (key.backspace || key.delete) return withoutLastGrapheme(text);
	if (key.ctrl && input === 'u') return '';
	if (key.ctrl || key.meta || key.return || key.tab || key.escape) return undefined;
	if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end) return undefined;
	const typed = pastedText(input);
	return typed ? text + typed : undefined;
}
