/**
 * The explorer on the attention model (--model attention): the model
 * stage's path of one prediction and its attention matrix with the weights'
 * history, the train stage's single step and watched contexts, the prompt
 * stage's attention line, each drawn within the screen; and the lesson of
 * the series' initial scale: at 0.01 the weights stay uniform, at 0.3 they
 * leave it.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {expectWithin, openApp, sessionOn} from './helpers.js';
import type {ExplorerSettings} from '../../source/explorer/session.js';
import {AttentionRun} from '../../source/models/attention/run.js';
import {attentionMatrixLines, weightBar, weightShade} from '../../source/explorer/stages/model/attention-lines.js';

const TWO_BACK = readFileSync(join(process.cwd(), 'corpus', '002_two_back.txt'), 'utf8');

/** --model attention on a corpus, at an initial scale and rate. */
function attentionSettings(epochs: number, initScale: number, learningRate = 0.01): Partial<ExplorerSettings> {
	return {model: 'attention', learningRate, epochs, attention: {n: 2, d: 16, h: 16, seed: 0, initScale, clip: 1, exactGradient: false}};
}



describe('weights drawn as cells', () => {
	it('a shade by fifths of 1 and a bar in eighths of a cell', () => {
		expect([0, 0.19, 0.2, 0.5, 0.79, 0.8, 1].map(weightShade).join('')).toBe('  ░▒▓██');
		expect(weightBar(0.5, 4)).toBe('██··');
		expect(weightBar(1, 4)).toBe('████');
		expect(weightBar(0.0625, 2)).toBe('▏·');
	});
});

describe('the model stage on an attention model', () => {
	it('names the model and its parameters beside the embeddings model\'s and a table\'s, and lists the training contexts', async () => {
		const {frame, view} = await openApp('model', 100, 30, {overrides: attentionSettings(5, 0.01), train: false});
		const text = frame();
		expect(text).toContain('attention model, n = 2, d = 16, h = 16');
		expect(text.replace(/\s+/g, ' ')).toContain('E 47×16 + P 2×16 + W_Q,W_K,W_V 3×16×16 + W_out 16×47 + b = 2,351; embeddings model: 2,303; context-2 table: 103,823');
		expect(text).toContain('contexts (108)');
		expect(text).toContain('› an|egg');
		expect(text).toContain('step 0: e_t = E[token] + P[t]: token plus position vector');
		expect(text).toMatch(/e0 an +([+−][ ░▒▓█]){16}/);
		expectWithin(text, 100, 29);
		view.unmount();
	});

	it('steps the path with ←→: Q K V, the weights (uniform at init 0.01), ctx, the scores, p and the chosen token', async () => {
		const {frame, press, view} = await openApp('model', 80, 24, {overrides: attentionSettings(5, 0.01), train: false});
		await press('\u001B[C');
		expect(frame()).toMatch(/Q1 \(query\) +([+−][ ░▒▓█]){10}/);
		expect(frame()).toMatch(/V1 egg +[+−]/);
		await press('\u001B[C');
		let text = frame();
		expect(text).toMatch(/0 an +-?\d\.\d+e-\d+ +0\.5000 █+/);
		expect(text).toMatch(/scores differ by \d\.\de-\d: weights stay uniform \(1\/2\)/);
		await press('\u001B[C');
		expect(frame()).toMatch(/0\.500·V0 +[+−]/);
		expect(frame()).toMatch(/ctx +[+−]/);
		await press('\u001B[C\u001B[C');
		text = frame();
		expect(text).toMatch(/chosen: "\S+" \(id \d+\), p = 0\.\d{4}/);
		expect(text).toContain('◀');
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('m shows the attention matrix (a row per query position) and how the last row moved while training', async () => {
		const {frame, press, view, session} = await openApp('model', 80, 24, {overrides: attentionSettings(6, 0.3), train: true});
		const run = session.controller.run as AttentionRun;
		expect(run.epochsDone).toBe(6);
		await press('m');
		const text = frame();
		expect(text).toContain('attention weights of "an egg": softmax over keys of Q_i·K_j/√16');
		expect(text).toMatch(/query ↓ key → +0 an +1 egg/);
		// The last row is the prediction's weights, as the model computes them.
		const a = run.model.attentionWeights([run.model.vocabulary.ids.get('an')!, run.model.vocabulary.ids.get('egg')!]);
		expect(text).toMatch(new RegExp(`1 egg +\\S* ${a[0]!.toFixed(2)} +\\S* ${a[1]!.toFixed(2)}`));
		expect(text).toContain('while training: epochs 0 to 6, one cell each');
		expect(text).toMatch(/0 an +[ ░▒▓█]{7} +\d\.\d\d→\d\.\d\d/);
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('the matrix lines: every row sums to 1, the last bold', () => {
		const session = sessionOn(undefined, attentionSettings(1, 0.5));
		const model = (session.controller.run as AttentionRun).model;
		const lines = attentionMatrixLines(model, [0, 1], 60, 10);
		expect(lines).toHaveLength(4);
		expect(lines[2]!.bold).toBe(true);
		for (const line of lines.slice(1, 3)) {
			const weights = [...line.text.matchAll(/(\d\.\d\d)/g)].map((m) => Number(m[1]));
			expect(weights).toHaveLength(2);
			expect(Math.abs(weights[0]! + weights[1]! - 1)).toBeLessThanOrEqual(0.011);
		}
	});
});

describe('what attention learns on corpus/002_two_back.txt (the word two back decides the next)', () => {
	it('at the series\' initial scale 0.01 the weights stay at 0.50 0.50; at 0.3 (lr 0.003) the last word looks two back, at the animal', {timeout: 60_000}, async () => {
		const low = await openApp('prompt', 80, 24, {text: TWO_BACK, overrides: attentionSettings(40, 0.01, 0.003), train: true});
		await low.press('icows often');
		expect(low.frame()).toMatch(/Attention cows ▒0\.50 +often ▒0\.50/);
		low.view.unmount();
		const high = await openApp('prompt', 80, 24, {text: TWO_BACK, overrides: attentionSettings(40, 0.3, 0.003), train: true});
		await high.press('icows often');
		const text = high.frame();
		const match = /Attention cows ([ ░▒▓█])(\d\.\d\d) +often ([ ░▒▓█])(\d\.\d\d)/.exec(text);
		expect(match, text).not.toBeNull();
		expect(Number(match![2])).toBeGreaterThan(0.9);
		expect(text).toMatch(/moo +\d+\.\d%/);
		expectWithin(text, 80, 23);
		high.view.unmount();
	});
});

describe('the prompt stage on a tall screen', () => {
	it('shows the whole attention matrix of the prompt: a row per query position, shaded cells and numbers', {timeout: 60_000}, async () => {
		const {frame, press, view} = await openApp('prompt', 100, 32, {text: TWO_BACK, overrides: attentionSettings(40, 0.3, 0.003), train: true});
		await press('idogs rarely');
		const text = frame();
		expect(text).toMatch(/^Attention query ↓ key → +0 dogs +1 rarely/m);
		expect(text).toMatch(/^ +0 dogs +[ ░▒▓█]+ \d\.\d\d +[ ░▒▓█]* ?\d\.\d\d/m);
		const last = /^ +1 rarely +([ ░▒▓█]+) (\d\.\d\d) +[ ░▒▓█]* ?(\d\.\d\d)/m.exec(text);
		expect(last, text).not.toBeNull();
		expect(Number(last![2])).toBeGreaterThan(0.9);
		expect(text).toMatch(/^ +bark +\d+\.\d%/m);
		expectWithin(text, 100, 31);
		view.unmount();
	});
});

describe('the train stage on an attention model', () => {
	it('n trains one pair and says where the last position looked before and after, and how far each group moved', async () => {
		const {frame, press, view} = await openApp('train', 80, 24, {overrides: attentionSettings(5, 0.3), train: false});
		await press('n');
		const text = frame();
		expect(text).toContain('epoch 1, pair 1 of 311: "the cat" → "chases"');
		expect(text).toMatch(/0 the +[█▏▎▍▌▋▊▉·]+ 0\.\d{4} → 0\.\d{4} \([+−]\d\.\de-\d+\)/);
		expect(text.replace(/\s+/g, ' ')).toMatch(/E \d\.\de-\d+, P \d\.\de-\d+, W_Q \d\.\de-\d+, W_K \d\.\de-\d+, W_V \d\.\de-\d+, W_out \d\.\de-\d+, b \d\.\de-\d+/);
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('h lists the watched contexts with the weights of each position', async () => {
		const {frame, press, view} = await openApp('train', 80, 24, {overrides: attentionSettings(3, 0.01), train: true});
		await press('h');
		const text = frame();
		expect(text).toContain('Where the last position looks, for each training context');
		expect(text).toMatch(/an\|egg +▒0\.50 ▒0\.50 +uniform/);
		expect(text).toMatch(/contexts 1-\d+ of 108/);
		expectWithin(text, 80, 23);
		view.unmount();
	});
});
