/**
 * How many colours the explorer's terminal shows, decided here rather than by
 * the colour library Ink draws with: chalk's own test turns colour off for
 * any `CI` variable, even `CI=false`, which is how one runs Ink with its
 * frames drawn (with `CI` set, Ink draws only the last frame). Colour follows
 * the terminal, `NO_COLOR` and `FORCE_COLOR`; `CI` plays no part.
 *
 * The levels are chalk's: 0 no colour, 1 the 16 basic colours, 2 256
 * colours, 3 truecolor (16 million).
 */
export type ColourLevel = 0 | 1 | 2 | 3;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The colour level for a terminal stream and an environment:
 * - `NO_COLOR` set and not empty (https://no-color.org): 0;
 * - else `FORCE_COLOR` as chalk documents it: `0`-`3` that level (above 3
 *   is 3), `true` or empty 1, `false` 0, anything else 1;
 * - else the terminal: 0 when the stream is not a TTY or `TERM` is `dumb`;
 *   3 when `COLORTERM` is `truecolor` or `24bit`; 2 when `TERM` ends in
 *   `256color`; else 1.
 */
export function colourLevel(env: Env, stream: {readonly isTTY?: boolean}): ColourLevel {
	if (!colourWanted(env)) return 0;
	const force = env['FORCE_COLOR'];
	if (force !== undefined) return forcedLevel(force);
	if (!isTerminal(env, stream)) return 0;
	const colorTerm = (env['COLORTERM'] ?? '').toLowerCase();
	if (colorTerm === 'truecolor' || colorTerm === '24bit') return 3;
	if (/256colou?r$/i.test(env['TERM'] ?? '')) return 2;
	return 1;
}

/** `FORCE_COLOR`'s level, as chalk reads it. */
function forcedLevel(value: string): ColourLevel {
	const text = value.trim().toLowerCase();
	if (text === 'false') return 0;
	if (!/^\d+$/.test(text)) return 1; // '', 'true' and anything else: forced on
	return Math.min(Number(text), 3) as ColourLevel;
}

/** A terminal that takes escape codes: a TTY whose `TERM` is not `dumb`. */
export function isTerminal(env: Env, stream: {readonly isTTY?: boolean}): boolean {
	return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * Whether the person asked for no colour: `NO_COLOR` set and not empty, or
 * `FORCE_COLOR` at 0. Where the output is no terminal, chalk draws nothing
 * whatever the theme asks for.
 */
export function colourWanted(env: Env): boolean {
	const noColor = env['NO_COLOR'];
	if (noColor !== undefined && noColor !== '') return false;
	const force = env['FORCE_COLOR'];
	return force === undefined || forcedLevel(force) > 0;
}

/**
 * The level to give chalk, which draws Ink's bold, dim, underline and
 * inverse as well as its colours (at level 0 it draws none of them). Without
 * colour on a terminal that takes escape codes, chalk stays at 1 and the
 * theme passes no colour (theme.ts), so the attributes still mark the
 * current item and the text cursor.
 */
export function chalkLevel(env: Env, stream: {readonly isTTY?: boolean}): ColourLevel {
	const level = colourLevel(env, stream);
	if (level > 0) return level;
	return isTerminal(env, stream) ? 1 : 0;
}
