/**
 * Colours, or none: NO_COLOR (set and not empty) turns every colour off;
 * bold, dim and inverse stay, and nothing on screen depends on colour alone.
 */
export const useColour = !(process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '');

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
