import type {Model} from '../../source/models/table/model.js';
import type {StepDetail} from '../../source/models/table/run.js';
import {readFileSync, existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ManualScheduler, sessionOn} from './helpers.js';
import {TrainingRun} from '../../source/models/table/run.js';
import {PACES, TrainController} from '../../source/explorer/train-controller.js';
import {corpusFromBytes} from '../../source/text/corpus.js';

describe('TrainController', () => {
	it('trains at 10 epochs a second by default: 5 epochs after half a second', () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {}, scheduler);
		const {controller} = session;
		expect(PACES[controller.getSnapshot().paceIndex]).toBe(10);
		controller.toggle();
		expect(controller.getSnapshot().status).toBe('running');
		scheduler.run(450);
		expect(controller.run.epochsDone).toBe(5);
		controller.toggle();
		expect(controller.getSnapshot().status).toBe('paused');
		scheduler.run(5000);
		expect(controller.run.epochsDone).toBe(5);
	});

	it('at full speed finishes the run, writes the five files and reports them', () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 7}, scheduler);
		const {controller} = session;
		for (let i = 0; i < 10; i++) controller.faster();
		expect(PACES[controller.getSnapshot().paceIndex]).toBe(Infinity);
		controller.toggle();
		scheduler.run();
		const snapshot = controller.getSnapshot();
		expect(snapshot.status).toBe('done');
		expect(snapshot.log.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(snapshot.written).toHaveLength(5);
		const {artifactsDir, outputsDir} = session.settings;
		const log = readFileSync(join(outputsDir, 'train_log.csv'), 'utf8').trim().split('\n');
		expect(log).toHaveLength(8);
		expect(existsSync(join(artifactsDir, '02_model_weights.csv'))).toBe(true);
		expect(snapshot.finishedOnce).toBe(true);
	});

	it('gives exactly the weights of an uninterrupted run, however it is paused and paced', () => {
		const scheduler = new ManualScheduler();
		const session = sessionOn(undefined, {epochs: 4}, scheduler);
		const {controller} = session;
		controller.toggle();
		scheduler.run(150);
		controller.toggle();
		controller.oneEpoch();
		scheduler.run(10_000);
		controller.step();
		controller.step();
		controller.faster();
		controller.toggle();
		scheduler.run();
		const reference = new TrainingRun(session.corpus.vocabulary, session.corpus.ids, 2, 0.1);
		for (let e = 0; e < 4; e++) reference.epoch();
		expect(Array.from((controller.run.model as Model).rows.weights)).toEqual(Array.from(reference.model.rows.weights));
		expect(controller.getSnapshot().log).toEqual(reference.log);
	});

	it('s trains to the end of the current epoch and pauses', () => {
		const scheduler = new ManualScheduler();
		const {controller} = sessionOn(undefined, {}, scheduler);
		controller.oneEpoch();
		scheduler.run(10_000);
		expect(controller.run.epochsDone).toBe(1);
		expect(controller.getSnapshot().status).toBe('paused');
	});

	it('r resets to zero weights and an empty log', () => {
		const scheduler = new ManualScheduler();
		const {controller} = sessionOn(undefined, {}, scheduler);
		controller.oneEpoch();
		scheduler.run(10_000);
		controller.reset();
		const snapshot = controller.getSnapshot();
		expect(snapshot.log).toEqual([]);
		expect(snapshot.status).toBe('idle');
		expect(snapshot.touchedRows).toBe(0);
		expect((controller.run.model as Model).rows.weights.every((w) => w === 0)).toBe(true);
		expect((controller.run.model as Model).rows.shared.every((w) => w === 0)).toBe(true);
	});

	it('cuts a large epoch into slices that yield, each about 12 ms of work', () => {
		// A clock that moves 1 ms per 2,000 pairs trained makes slices measurable.
		const scheduler = new ManualScheduler();
		const words = Array.from({length: 60_000}, (_, i) => `w${(i * 7919) % 5000}`).join(' ');
		const session = sessionOn(words, {epochs: 1}, scheduler);
		const {controller} = session;
		const advance = controller.run.advance.bind(controller.run);
		controller.run.advance = (max: number) => {
			const before = controller.run.position;
			const result = advance(max);
			const done = result ? controller.run.pairCount - before : controller.run.position - before;
			scheduler.time += done / 2000;
			return result;
		};
		controller.faster();
		controller.faster();
		controller.faster();
		controller.faster();
		controller.faster();
		controller.toggle();
		let slices = 0;
		while (controller.getSnapshot().status === 'running' && slices < 1000) {
			scheduler.run(scheduler.time, 1);
			slices++;
		}
		// 59,998 pairs at 2,000 a ms is 30 ms of work: three slices of 12 ms or less.
		expect(slices).toBeGreaterThanOrEqual(3);
		expect(controller.getSnapshot().status).toBe('done');
	});

	it('step reports the pair, its row and a gradient that sums to zero', () => {
		const {controller} = sessionOn('a b c a b d a b c', {epochs: 2});
		const detail = controller.step() as StepDetail;
		expect(detail.label).toBe('a|b');
		expect(detail.context).toEqual([0, 1]);
		expect(detail.target).toBe(2);
		expect(detail.probabilities.every((p) => p === 0.25)).toBe(true);
		expect(detail.gradient.reduce((s, g) => s + g, 0)).toBeCloseTo(0, 12);
		expect(detail.scoresAfter[2]).toBeCloseTo(0.1 * 0.75, 12);
		expect(controller.getSnapshot().touchedRows).toBe(1);
	});
});

describe('TrainController.whenWritten (a hang-up waits for it before the process ends)', () => {
	it('settles only once a write on its thread has put the set in place', async () => {
		const scheduler = new ManualScheduler();
		const corpus = corpusFromBytes('t.txt', Buffer.from('a b a c a b\n'));
		let finishWrite!: () => void;
		const events: string[] = [];
		const controller = new TrainController({
			run: new TrainingRun(corpus.vocabulary, corpus.ids, 1, 0.1),
			epochs: 2,
			scheduler,
			write: () =>
				new Promise((resolve) => {
					finishWrite = () => {
						events.push('written');
						resolve({files: ['a/00_meta.json']});
					};
				}),
		});
		await controller.whenWritten(); // nothing under way: settles at once
		for (let i = 0; i < 10; i++) controller.faster();
		controller.toggle();
		scheduler.run();
		const waited = controller.whenWritten().then(() => events.push('whenWritten settled'));
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(events).toEqual([]);
		finishWrite();
		await waited;
		expect(events).toEqual(['written', 'whenWritten settled']);
		expect(controller.getSnapshot().written).toEqual(['a/00_meta.json']);
	});
});
