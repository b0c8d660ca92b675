/**
 * The explorer's colour level: the terminal, NO_COLOR and FORCE_COLOR decide
 * it, never CI (chalk's own test turns colour off for any CI variable).
 */
import {describe, expect, it} from 'vitest';
import {chalkLevel, colourLevel, colourWanted} from '../../source/explorer/colour-level.js';

const tty = {isTTY: true};
const pipe = {isTTY: false};

describe('colourLevel', () => {
	it('is 1 on a plain terminal, with CI=false, CI=true or no CI at all', () => {
		expect(colourLevel({TERM: 'xterm'}, tty)).toBe(1);
		expect(colourLevel({TERM: 'xterm', CI: 'false'}, tty)).toBe(1);
		expect(colourLevel({TERM: 'xterm', CI: 'true', CONTINUOUS_INTEGRATION: 'true'}, tty)).toBe(1);
	});

	it('is 2 when TERM ends in 256color, 3 when COLORTERM is truecolor or 24bit', () => {
		expect(colourLevel({TERM: 'xterm-256color', CI: 'false'}, tty)).toBe(2);
		expect(colourLevel({TERM: 'screen-256color'}, tty)).toBe(2);
		expect(colourLevel({TERM: 'xterm-256color', COLORTERM: 'truecolor'}, tty)).toBe(3);
		expect(colourLevel({TERM: 'xterm', COLORTERM: '24bit'}, tty)).toBe(3);
	});

	it('is 0 when stdout is not a terminal or TERM is dumb', () => {
		expect(colourLevel({TERM: 'xterm-256color'}, pipe)).toBe(0);
		expect(colourLevel({TERM: 'xterm-256color'}, {})).toBe(0);
		expect(colourLevel({TERM: 'dumb', COLORTERM: 'truecolor'}, tty)).toBe(0);
	});

	it('is 0 with NO_COLOR set and not empty, even with FORCE_COLOR; an empty NO_COLOR is ignored', () => {
		expect(colourLevel({TERM: 'xterm-256color', NO_COLOR: '1'}, tty)).toBe(0);
		expect(colourLevel({TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '3'}, tty)).toBe(0);
		expect(colourLevel({TERM: 'xterm-256color', NO_COLOR: ''}, tty)).toBe(2);
	});

	it("is FORCE_COLOR's level, as chalk documents it, on a terminal or not", () => {
		expect(colourLevel({FORCE_COLOR: '0'}, tty)).toBe(0);
		expect(colourLevel({FORCE_COLOR: '1'}, pipe)).toBe(1);
		expect(colourLevel({FORCE_COLOR: '2'}, pipe)).toBe(2);
		expect(colourLevel({FORCE_COLOR: '3', TERM: 'dumb'}, tty)).toBe(3);
		expect(colourLevel({FORCE_COLOR: '7'}, pipe)).toBe(3);
		expect(colourLevel({FORCE_COLOR: ''}, pipe)).toBe(1);
		expect(colourLevel({FORCE_COLOR: 'true'}, pipe)).toBe(1);
		expect(colourLevel({FORCE_COLOR: 'false', TERM: 'xterm-256color'}, tty)).toBe(0);
	});
});

describe('chalkLevel', () => {
	it('is the colour level when there is colour', () => {
		expect(chalkLevel({TERM: 'xterm-256color', CI: 'false'}, tty)).toBe(2);
		expect(chalkLevel({FORCE_COLOR: '3'}, pipe)).toBe(3);
	});

	it('stays 1 without colour on a terminal, so bold, underline and inverse still show', () => {
		expect(chalkLevel({TERM: 'xterm-256color', NO_COLOR: '1'}, tty)).toBe(1);
		expect(chalkLevel({TERM: 'xterm', FORCE_COLOR: '0'}, tty)).toBe(1);
	});

	it('is 0 where escape codes do not belong: not a terminal, or TERM=dumb', () => {
		expect(chalkLevel({TERM: 'xterm-256color'}, pipe)).toBe(0);
		expect(chalkLevel({TERM: 'dumb'}, tty)).toBe(0);
	});
});

describe('colourWanted', () => {
	it('is false only when NO_COLOR is set and not empty or FORCE_COLOR is 0', () => {
		expect(colourWanted({})).toBe(true);
		expect(colourWanted({CI: 'false'})).toBe(true);
		expect(colourWanted({NO_COLOR: ''})).toBe(true);
		expect(colourWanted({FORCE_COLOR: '2'})).toBe(true);
		expect(colourWanted({NO_COLOR: '1'})).toBe(false);
		expect(colourWanted({FORCE_COLOR: '0'})).toBe(false);
		expect(colourWanted({FORCE_COLOR: 'false'})).toBe(false);
	});
});
