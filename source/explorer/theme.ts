import chalk from 'chalk';
import {chalkLevel, colourWanted} from './colour-level.js';

/**
 * Colours, or none: NO_COLOR (set and not empty) or FORCE_COLOR=0 turns every
 * colour off; bold, dim, underline and inverse stay, and nothing on screen
 * depends on colour alone. How many colours the terminal shows comes from
 * the terminal, NO_COLOR and FORCE_COLOR, never from CI (colour-level.ts).
 */
export const useColour = colourWanted(process.env);

// Ink draws through this chalk (the bundle holds one copy, scripts/build.mjs
// checks), so its level is what reaches the screen.
chalk.level = chalkLevel(process.env, process.stdout);

type Colour = 'cyan' | 'green' | 'yellow' | 'magenta' | 'red' | 'blue' | 'gray';

/** A colour for Ink's `color` prop, or undefined without colour. */
export function colour(name: Colour): Colour | undefined {
	return useColour ? name : undefined;
}

export const theme = {
	accent: colour('cyan'),
	good: colour('green'),
	warn: colour('yellow'),
	bad: colour('red'),
	muted: colour('gray'),
	tokenA: colour('cyan'),
	tokenB: colour('yellow'),
};
