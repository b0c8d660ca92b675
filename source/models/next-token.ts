/**
 * What a model is, whatever its family: every stage of the explorer and
 * every command works through this shape.
 *
 * - the lookup tables of the toy-gpt series' first four rungs (unigram,
 *   bigram, context-2, context-3): table/model.ts, trained by table/run.ts;
 * - the learned-embeddings model (rung 500): embeddings/model.ts, trained by
 *   embeddings/run.ts;
 * - the single-head attention model (rung 600): attention/model.ts, trained
 *   by attention/run.ts.
 *
 * A model gives next-token probabilities for a context of n token ids; a
 * trainer makes its SGD steps (an epoch, a stretch, or one step with what it
 * changed); the artifacts writer and reader (source/artifacts/) store each
 * family in the series' files. Where a stage shows something only one family
 * has (a table's row, an embedding's vector), the view belongs to that family.
 */
import type {Vocabulary} from '../text/vocabulary.js';
import type {HeldOut, HeldOutEpoch} from './held-out-types.js';
import {Stretches} from '../runtime/clock.js';

/** One epoch's figures: the average loss before each step, and the share of pairs predicted right. */
export interface EpochResult {
	readonly epoch: number;
	readonly avgLoss: number;
	readonly accuracy: number;
}

export type ModelFamily = 'table' | 'embeddings' | 'attention';

export interface NextPrediction {
	/** The scores (logits) the softmax turns into the probabilities. */
	readonly scores: Float64Array;
	readonly probabilities: Float64Array;
	/** A table's stored row of the context (-1: none). */
	readonly slot?: number;
	/**
	 * Whether the model itself knows this context from training: a table has
	 * a row for it (false: the row is all zeros, the distribution uniform);
	 * undefined for a model that predicts every context the same way.
	 */
	readonly seen: boolean | undefined;
	/** An attention model's weights: how much the last position attends to each context position. */
	readonly attention?: Float64Array;
}

export interface NextTokenModel {
	readonly family: ModelFamily;
	/** The series' `model_kind`: unigram, bigram, context2, context3, embeddings, attention. */
	readonly kind: string;
	readonly vocabulary: Vocabulary;
	readonly V: number;
	/** Context size: how many previous tokens it reads. */
	readonly n: number;
	/** The numbers that define it: V^n·V for a table, V·d + n·d·V + V for embeddings, V·d + n·d + 3·d·h + h·V + V for attention. */
	readonly parameterCount: number;
	/** p(next token | the n context ids). */
	next(context: ArrayLike<number>): NextPrediction;
}

/** From which pair on a learning rate was used: epoch (1-based) and pair within it (0-based). */
export interface LearningRateChange {
	readonly epoch: number;
	readonly pair: number;
	readonly learningRate: number;
}

/**
 * Train on with another learning rate from the next pair (`at`) on, in a
 * run's schedule. Set where no pair was trained yet since the last change, it
 * replaces that change; set back to the rate in use before, it undoes it.
 */
export function changeLearningRate(schedule: LearningRateChange[], at: {readonly epoch: number; readonly pair: number}, learningRate: number): void {
	if (learningRate === schedule[schedule.length - 1]!.learningRate) return;
	const last = schedule[schedule.length - 1]!;
	if (last.epoch === at.epoch && last.pair === at.pair) schedule.pop();
	const before = schedule[schedule.length - 1];
	if (before && before.learningRate === learningRate) return;
	schedule.push({...at, learningRate});
}

/**
 * Whole epochs on one thread, in stretches of about 0.1 s (Stretches), so a
 * long epoch can report its progress and a signal's handler run between
 * them. Both families' trainEpochs use it.
 */
export async function trainInStretches(
	run: Pick<Trainer, 'advance' | 'position' | 'pairCount'>,
	count: number,
	onEpoch?: (result: EpochResult) => void,
	progress?: (done: number) => void,
): Promise<void> {
	const stretches = new Stretches();
	for (let e = 0; e < count; e++) {
		let result: EpochResult | undefined;
		do {
			stretches.start();
			result = run.advance(stretches.size);
			if (!result) progress?.(run.position / run.pairCount);
			await stretches.pause();
		} while (!result);
		onEpoch?.(result);
	}
}

/** What every single step reports, whatever the family; each family adds what it changed. */
export interface StepBase {
	readonly family: ModelFamily;
	/** Epoch (1-based) the step belongs to. */
	readonly epoch: number;
	/** Index of the pair within the epoch. */
	readonly pairIndex: number;
	readonly context: number[];
	readonly target: number;
	/** p before the step. */
	readonly probabilities: Float64Array;
	readonly loss: number;
	/** The most probable token before the step (ties to the lowest id). */
	readonly predicted: number;
	/** The epoch ended with this step. */
	readonly finished?: EpochResult;
}

/** A training run driven a little at a time, by the train command and by the explorer. */
export interface Trainer<Step extends StepBase = StepBase> {
	readonly model: NextTokenModel;
	readonly log: EpochResult[];
	readonly heldOutLog: HeldOutEpoch[];
	/** Next pair to train within the current epoch. */
	readonly position: number;
	readonly pairCount: number;
	readonly epochsDone: number;
	readonly learningRate: number;
	readonly learningRateSchedule: readonly LearningRateChange[];
	readonly shuffled: boolean;
	holdOut(heldOut: HeldOut | undefined): void;
	shuffle(seed: number): void;
	setLearningRate(learningRate: number): void;
	/** Up to maxPairs pairs of the current epoch; the epoch's result when it ends. */
	advance(maxPairs: number): EpochResult | undefined;
	epoch(): EpochResult;
	/** One pair, with what the step saw and changed. */
	step(): Step;
	/** Back to the initial weights and no epochs. */
	reset(): void;
	trainEpochs(count: number, threads: number, onEpoch?: (result: EpochResult) => void, onProgress?: (done: number) => void): Promise<void>;
}
