/**
 * The explorer on the embeddings model (--model embeddings): the model
 * stage's path of one prediction and its token map, the train stage's single
 * step, the prompt stage on a context never seen, and the compare stage with
 * five models (one a row at 80 columns, five columns at 120), each drawn
 * within the screen.
 */
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../source/explorer/app.js';
import {expectWithin, ManualScheduler, openApp, sessionOn} from './helpers.js';
import type {ExplorerSettings} from '../../source/explorer/session.js';
import {EmbeddingsModel} from '../../source/models/embeddings/model.js';
import {tokenMap} from '../../source/explorer/stages/model/embeddings-lines.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** --model embeddings --lr 0.05 --exact-gradient on the animals corpus. */
function embeddingsSettings(epochs: number): Partial<ExplorerSettings> {
	return {model: 'embeddings', learningRate: 0.05, epochs, embeddings: {n: 2, d: 16, seed: 0, initScale: 0.01, exactGradient: true}};
}



describe('the model stage on an embeddings model', () => {
	it('names the model and its parameters beside a table\'s, and lists the training contexts', async () => {
		const {frame, view} = await openApp('model', 80, 24, {overrides: embeddingsSettings(30), train: false});
		const text = frame();
		expect(text).toContain('embeddings model, n = 2, d = 16');
		expect(text).toContain('E 47×16 + W 32×47 + b 47 = 2,303; a context-2 table: 47^2×47 =');
		expect(text).toContain('103,823 weights');
		expect(text).toContain('contexts (108)');
		expect(text).toContain('› an|egg');
		expect(text).toContain("step 0: each context token's row of E, its learned vector");
		expect(text).toMatch(/E\[an\] +([+−][ ░▒▓█]){16}/);
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('steps the path of one prediction with ←→: h, the scores, softmax, the chosen token', async () => {
		const {frame, press, view} = await openApp('model', 80, 24, {overrides: embeddingsSettings(30), train: true});
		await press('\u001B[C');
		expect(frame()).toMatch(/h = concat: 32 numbers, \|h\| = [\d.]+/);
		await press('\u001B[C\u001B[C\u001B[C');
		const text = frame();
		expect(text).toContain('step 4: the most probable token (ties: lowest id)');
		expect(text).toMatch(/chosen: "\w+" \(id \d+\), p = 0\.\d{4}/);
		expect(text).toContain('◀');
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('m shows the token map: E on its first two principal components, and the nearest tokens by cosine', async () => {
		const {frame, press, view} = await openApp('model', 80, 24, {overrides: embeddingsSettings(30), train: true});
		await press('m');
		const text = frame();
		expect(text).toMatch(/E on its first two principal components \(x \d+%, y \d+% of the variance\)/);
		expect(text).toContain('nearest to "an"');
		expect(text).toMatch(/[\u2801-\u28ff]/);
		expectWithin(text, 80, 23);
		view.unmount();
	});

	it('at 60x16 the map keeps a short caption and the nearest tokens in a line under it', async () => {
		const {frame, press, view} = await openApp('model', 60, 16, {overrides: embeddingsSettings(30), train: true});
		await press('m');
		const text = frame();
		expect(text).toMatch(/E on 2 principal components \(\d+%, \d+%\); ● an/);
		expect(text).toMatch(/nearest to "an" \(cosine\): \w+ [\d.-]+ · /);
		expectWithin(text, 60, 15);
		view.unmount();
	});

	it('after 30 epochs (lr 0.05, the true gradient) the token nearest "cat" is "dog"', async () => {
		const {session, view} = await openApp('model', 80, 24, {overrides: embeddingsSettings(30), train: true});
		const model = session.controller.run.model as EmbeddingsModel;
		expect(session.controller.getSnapshot().log).toHaveLength(30);
		const cat = model.vocabulary.ids.get('cat')!;
		const map = tokenMap(model, cat, 60, 16, 3);
		expect(map.nearest[0]).toMatch(/^dog 0\.9\d$/);
		// The chosen token is a ● on the map, wherever its label finds room.
		expect(map.frame.lines.join('').split('●')).toHaveLength(2);
		expect(map.caption).toMatch(/; ● cat$/);
		view.unmount();
	});
});

describe('the train stage on an embeddings model', () => {
	it('n trains one pair and says what moved: W, b, the context rows of E, and the gap to the true gradient', async () => {
		const {frame, press, view} = await openApp('train', 80, 24, {overrides: {...embeddingsSettings(30), embeddings: {n: 2, d: 16, seed: 0, initScale: 0.01, exactGradient: false}}, train: false});
		await press('n');
		const text = frame();
		const flat = text.replace(/\s+/g, ' ');
		expect(text).toContain('epoch 1, pair 1 of 311: "the cat" → "chases"');
		expect(flat).toMatch(/W: all 32×47 weights move by −lr·h_i·δ_j/);
		expect(text).toContain("E: only the context's rows move; the other 45 stay");
		expect(text).toMatch(/E\[the\] +moved \d\.\d\de-\d+/);
		expect(flat).toMatch(/The series reads E's gradient from W after W's update: \d\.\d\d% away from the true gradient this step/);
		expect(text).toContain('embeddings (context 2, d 16)');
		expectWithin(text, 80, 23);
		view.unmount();
	});
});

describe('the prompt stage on an embeddings model', () => {
	it('a context never seen gets a real distribution, and the screen says so', async () => {
		const {frame, press, view} = await openApp('prompt', 80, 24, {overrides: embeddingsSettings(30), train: true});
		await press('i');
		await press('the mouse cat');
		const text = frame();
		expect(text).toContain("Context \"mouse cat\" never seen in training: predicted from the tokens' vectors");
		expect(text).not.toContain('Uniform');
		expect(text).toMatch(/ in +\d+\.\d%/);
		view.unmount();
	});
});

const SERIES = new URL('../../../shared/reference/train-500-embeddings/', import.meta.url).pathname;

describe.skipIf(!existsSync(SERIES))("the series' committed embeddings run in the explorer", () => {
	it('is the model in use on its corpus, and the screen says its bias was not saved', async () => {
		const {frame, view} = await openApp('prompt', 80, 24, {overrides: {...embeddingsSettings(50), corpusPath: `${SERIES}corpus/004_analytics.txt`, artifactsToRead: `${SERIES}artifacts`}, train: false});
		await tick();
		const text = frame().replace(/\s+/g, ' ');
		expect(text).toContain("Model embeddings (context 2, d 16) of 004_analytics.txt · 50 epochs · lr 0.01 · bias not saved (the series' set): nearly uniform");
		view.unmount();
	});
});

describe('the compare stage with the embeddings model', () => {
	async function compared(columns: number, rows: number) {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {holdout: 0.2, epochs: 20}, scheduler);
		const view = render(<App session={session} initialStage="compare" />);
		const stdout = (view as unknown as {stdout: {emit: (e: string) => void}}).stdout;
		Object.defineProperty(stdout, 'columns', {get: () => columns, configurable: true});
		Object.defineProperty(stdout, 'rows', {get: () => rows, configurable: true});
		stdout.emit('resize');
		await tick();
		for (const key of 'ithe cat\u001B') {
			view.stdin.write(key);
			await tick();
		}
		scheduler.run();
		await tick();
		return {session, view, frame: () => stripAnsi(view.lastFrame() ?? '')};
	}

	it('at 80 columns: one model a row, with training and held-out loss and the top tokens; v shows the table columns', async () => {
		const {frame, view} = await compared(80, 24);
		const text = frame();
		expect(text).toMatch(/model +train +held +bits +next tokens/);
		expect(text).toMatch(/embeddings \(2\) +\d\.\d{3} +\d\.\d{3} +\d\.\d\d +\w+ \d+\.\d%/);
		expect(text).toMatch(/context-3 +\d\.\d{3} +\d\.\d{3} +\d\.\d\d +uniform: too short/);
		expect(text).toMatch(/20 epochs, lr 0\.1 \(embeddings, attention lr 0\.01\): every model trained/);
		expectWithin(text, 80, 23);
		view.stdin.write('v');
		await tick();
		const columnsView = frame();
		expect(columnsView).toMatch(/unigram \(0\) +bigram \(1\) +context-2 +context-3/);
		expect(columnsView).toMatch(/embeddings \(2\): best \w+ \d+\.\d%, H \d\.\d\d bits/);
		view.unmount();
	});

	it('at 120 columns: the four tables side by side, the embeddings and attention models a line each under them, and a sentence on each', async () => {
		const {frame, view} = await compared(120, 30);
		const text = frame();
		expect(text).toMatch(/unigram \(0\) +bigram \(1\) +context-2 +context-3/);
		expect(text).toMatch(/^embeddings \(2\): best \S+ [\d.]+%, H \d\.\d\d bits/m);
		expect(text).toMatch(/^attention \(2\): best \S+ [\d.]+%, H \d\.\d\d bits, a 0\.50 0\.50/m);
		expect(text.replace(/\s+/g, ' ')).toMatch(/On the held-out text the embeddings model scores \d\.\d\d nats \(context-2 \d\.\d\d\)\./);
		expectWithin(text, 120, 29);
		view.unmount();
	});

	it('at 132 columns: the six models side by side, the vector models "from the vectors", the attention model with its weights', async () => {
		const {frame, view} = await compared(132, 30);
		const text = frame();
		expect(text).toMatch(/unigram \(0\) +bigram \(1\) +context-2 +context-3 +embeddings \(2\) +attention \(2\)/);
		expect(text).toContain('from the vectors');
		expect(text).toMatch(/looks 0\.50 0\.50/);
		// Every column has its entropy on one line: the attention column is not a line lower.
		expect(text).toMatch(/^(H \d\.\d\d bits +){5}H \d\.\d\d bits *$/m);
		expect(text.replace(/\s+/g, ' ')).toMatch(/On the held-out text the attention model scores \d\.\d\d nats \(context-2 \d\.\d\d\)\./);
		expectWithin(text, 132, 29);
		view.unmount();
	});
});
