/**
 * The one key map: every command's keys and description. Input is matched
 * against it, and the footer and the help overlay are drawn from it, so what
 * the screen says is what the keys do.
 */
import type {Key} from 'ink';

export interface Binding {
	/** What the footer and help show as the key(s). */
	readonly keys: string;
	/** What it does. */
	readonly label: string;
	readonly match: (input: string, key: Key) => boolean;
	/** Left out of the footer when space is short (still in the help). */
	readonly minor?: boolean;
}

const char =
	(...chars: string[]) =>
	(input: string, key: Key) =>
		!key.ctrl && !key.meta && chars.includes(input);

export const GLOBAL = {
	nextStage: {keys: 'Tab', label: 'next stage', match: (_i, k) => k.tab && !k.shift},
	previousStage: {keys: 'S-Tab', label: 'previous', match: (_i, k) => k.tab && k.shift, minor: true},
	jump: {keys: '1-6', label: 'stage', match: (i, k) => !k.ctrl && !k.meta && /^[1-6]$/.test(i), minor: true},
	help: {keys: '?', label: 'help', match: char('?')},
	quit: {keys: 'q', label: 'quit', match: char('q')},
	close: {keys: 'Esc', label: 'close', match: (_i, k) => k.escape},
	forceQuit: {keys: 'C-c', label: 'always quits', match: (i, k) => k.ctrl && i === 'c', minor: true},
} satisfies Record<string, Binding>;

const up = (_i: string, k: Key) => k.upArrow;
const down = (_i: string, k: Key) => k.downArrow;
export const left = (_i: string, k: Key) => k.leftArrow;
const right = (_i: string, k: Key) => k.rightArrow;
const pageUp = (_i: string, k: Key) => k.pageUp;
const pageDown = (_i: string, k: Key) => k.pageDown;

export const CORPUS = {
	tokenLeft: {keys: '←→', label: 'token', match: (i, k) => left(i, k) || right(i, k)},
	line: {keys: '↑↓', label: 'line', match: (i, k) => up(i, k) || down(i, k)},
	page: {keys: 'PgUp/PgDn', label: 'page', match: (i, k) => pageUp(i, k) || pageDown(i, k), minor: true},
	ends: {keys: 'g/G', label: 'start/end', match: (i, k) => char('g', 'G')(i, k) || k.home || k.end, minor: true},
} satisfies Record<string, Binding>;

export const VOCAB = {
	move: {keys: '↑↓', label: 'scroll', match: (i, k) => up(i, k) || down(i, k)},
	page: {keys: 'PgUp/PgDn', label: 'page', match: (i, k) => pageUp(i, k) || pageDown(i, k), minor: true},
	ends: {keys: 'g/G', label: 'top/end', match: (i, k) => char('g', 'G')(i, k) || k.home || k.end, minor: true},
	sortId: {keys: 'i', label: 'by id', match: char('i')},
	sortFrequency: {keys: 'f', label: 'by freq', match: char('f')},
	sortToken: {keys: 't', label: 'by token', match: char('t')},
	filter: {keys: '/', label: 'filter', match: char('/')},
} satisfies Record<string, Binding>;

export const VOCAB_FILTER = {
	type: {keys: 'type', label: 'filter', match: () => false},
	done: {keys: 'Enter/Esc', label: 'done', match: (_i, k) => k.return || k.escape},
	clear: {keys: 'C-u', label: 'clear', match: (i, k) => k.ctrl && i === 'u'},
} satisfies Record<string, Binding>;

export const MODEL = {
	pick: {keys: '↑↓', label: 'context', match: (i, k) => up(i, k) || down(i, k)},
	page: {keys: 'PgUp/PgDn', label: 'page', match: (i, k) => pageUp(i, k) || pageDown(i, k), minor: true},
	step: {keys: '←→', label: 'step', match: (i, k) => left(i, k) || right(i, k)},
	map: {keys: 'm', label: 'map or weights', match: char('m'), minor: true},
} satisfies Record<string, Binding>;

export const TRAIN = {
	toggle: {keys: 'space', label: 'start/pause', match: (i: string, _k: Key) => i === ' '},
	epoch: {keys: 's', label: 'one epoch', match: char('s')},
	reset: {keys: 'r', label: 'new run', match: char('r')},
	epochs: {keys: 'e/E', label: 'epochs', match: char('e', 'E')},
	learningRate: {keys: 'l/L', label: 'lr', match: char('l', 'L')},
	faster: {keys: '+', label: 'faster', match: char('+', '=')},
	slower: {keys: '-', label: 'slower', match: char('-', '_')},
	step: {keys: 'n', label: 'one pair', match: char('n')},
	heatmap: {keys: 'h', label: 'heatmap', match: char('h')},
	chart: {keys: 'c', label: 'chart', match: char('c'), minor: true},
	scroll: {keys: '↑↓', label: 'heatmap rows', match: (i, k) => up(i, k) || down(i, k) || pageUp(i, k) || pageDown(i, k), minor: true},
	column: {keys: '←→', label: 'heatmap column', match: (i, k) => left(i, k) || right(i, k), minor: true},
} satisfies Record<string, Binding>;

export const COMPARE_TYPING = {
	type: {keys: 'type', label: 'prompt', match: () => false},
	leave: {keys: 'Esc', label: 'stop typing', match: (_i, k) => k.escape},
	clear: {keys: 'C-u', label: 'clear prompt', match: (i, k) => k.ctrl && i === 'u', minor: true},
} satisfies Record<string, Binding>;

export const COMPARE = {
	edit: {keys: 'Enter/i', label: 'type the prompt', match: (i, k) => k.return || char('i')(i, k)},
	view: {keys: 'v', label: 'rows/columns', match: char('v')},
	train: {keys: 't', label: 'train a slow model', match: char('t'), minor: true},
} satisfies Record<string, Binding>;

export const PROMPT_TYPING = {
	type: {keys: 'type', label: 'prompt', match: () => false},
	leave: {keys: 'Esc', label: 'stop typing', match: (_i, k) => k.escape},
	generate: {keys: 'Enter', label: 'continue', match: (_i, k) => k.return},
	accept: {keys: '→', label: 'take top', match: right, minor: true},
	pick: {keys: '↑↓', label: 'pick', match: (i, k) => up(i, k) || down(i, k), minor: true},
	clear: {keys: 'C-u', label: 'clear prompt', match: (i, k) => k.ctrl && i === 'u', minor: true},
} satisfies Record<string, Binding>;

// The decoding keys are minor in the footer: the stage's mode line names them.
export const PROMPT = {
	edit: {keys: 'Enter/i', label: 'type', match: (i, k) => k.return || char('i')(i, k)},
	mode: {keys: 'm', label: 'greedy/sample', match: char('m'), minor: true},
	temperature: {keys: 't/T', label: 'temp', match: char('t', 'T'), minor: true},
	topK: {keys: 'k/K', label: 'top-k', match: char('k', 'K'), minor: true},
	topP: {keys: 'p/P', label: 'top-p', match: char('p', 'P'), minor: true},
	seed: {keys: 'e/E', label: 'seed', match: char('e', 'E'), minor: true},
	reset: {keys: 'x', label: 'reset settings', match: char('x'), minor: true},
	clear: {keys: 'C-u', label: 'clear prompt', match: (i, k) => k.ctrl && i === 'u', minor: true},
	otherModel: {keys: 'o', label: 'other corpus', match: char('o'), minor: true},
} satisfies Record<string, Binding>;

/** The question the train stage asks before a new run throws a trained model away. */
export const CONFIRM = {
	yes: {keys: 'y', label: 'discard and start over', match: char('y', 'Y')},
	no: {keys: 'any other key', label: 'keep the model', match: () => false},
} satisfies Record<string, Binding>;

export type StageId = 'corpus' | 'vocab' | 'model' | 'train' | 'prompt' | 'compare';
export const STAGES: ReadonlyArray<{id: StageId; title: string}> = [
	{id: 'corpus', title: 'Corpus'},
	{id: 'vocab', title: 'Vocabulary'},
	{id: 'model', title: 'Model'},
	{id: 'train', title: 'Train'},
	{id: 'prompt', title: 'Prompt'},
	{id: 'compare', title: 'Compare'},
];

/** The keys of a stage in a mode, as the footer shows them (global ones after). */
export function footerBindings(stageKeys: Record<string, Binding>, typing: boolean): Binding[] {
	const global: Binding[] = typing
		? [GLOBAL.nextStage, GLOBAL.forceQuit]
		: [GLOBAL.nextStage, GLOBAL.previousStage, GLOBAL.jump, GLOBAL.help, GLOBAL.quit];
	return [...Object.values(stageKeys), ...global];
}

const ESCAPE = {escape: true} as Key;

/**
 * The keys the footer never drops: help and quit; while typing, the key that
 * stops typing (the one Esc matches) and C-c, which always quits.
 */
export function essentialBindings(stageKeys: Record<string, Binding>, typing: boolean): Binding[] {
	if (!typing) return [GLOBAL.help, GLOBAL.quit];
	const leave = Object.values(stageKeys).filter((b) => b.match('', ESCAPE));
	return [...leave, GLOBAL.nextStage, GLOBAL.forceQuit];
}

/** Every binding, grouped, for the help overlay. */
export const HELP_GROUPS: ReadonlyArray<{title: string; bindings: Binding[]}> = [
	{title: 'Everywhere', bindings: [GLOBAL.nextStage, GLOBAL.previousStage, GLOBAL.jump, GLOBAL.help, GLOBAL.close, GLOBAL.quit, GLOBAL.forceQuit]},
	{title: '1 Corpus', bindings: Object.values(CORPUS)},
	{title: '2 Vocabulary', bindings: [...Object.values(VOCAB), VOCAB_FILTER.done, VOCAB_FILTER.clear]},
	{title: '3 Model', bindings: Object.values(MODEL)},
	{title: '4 Train', bindings: Object.values(TRAIN)},
	{title: '5 Prompt (typing)', bindings: Object.values(PROMPT_TYPING).filter((b) => b.keys !== 'type')},
	{title: '5 Prompt (not typing)', bindings: Object.values(PROMPT)},
	{title: '6 Compare', bindings: [COMPARE.edit, COMPARE.view, COMPARE_TYPING.leave, COMPARE_TYPING.clear]},
];

export function matches(binding: Binding, input: string, key: Key): boolean {
	return binding.match(input, key);
}
