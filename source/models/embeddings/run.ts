/**
 * A training run of the embeddings model, driven as a table's run is
 * (models/next-token.ts Trainer): whole epochs, stretches of pairs, or one
 * step with what it changed. The steps are train.ts fastStep, which is
 * plain.ts seriesStep (or exactStep with the true gradient) to the bit.
 */
import {EmbeddingsModel} from './model.js';
import {fastStep, stepScratch, type StepScratch} from './train.js';
import type {Vocabulary} from '../../text/vocabulary.js';
import type {StepBase} from '../next-token.js';
import {argmaxOf, PairRun} from '../pair-run.js';

export interface EmbeddingsSettings {
	readonly n: number;
	readonly d: number;
	/** The training seed: random.seed(seed) before the initial weights are drawn. */
	readonly seed: number;
	/** The initial weights' standard deviation. */
	readonly initScale: number;
	/** Apply the true gradient (from the parameters before the step) instead of the series' in-place order. */
	readonly exactGradient: boolean;
}

/** An embedding row a step moved, and how far (the Euclidean length of its change). */
export interface MovedRow {
	readonly token: number;
	readonly distance: number;
}

/** One step of the embeddings model: what it changed in W, b and E. */
export interface EmbeddingsStep extends StepBase {
	readonly family: 'embeddings';
	readonly probabilitiesAfter: Float64Array;
	/** ΔW = −lr·h·δᵀ: its Euclidean size and its largest entry, with where (input position, token). */
	readonly weightChange: {readonly norm: number; readonly largest: number; readonly input: number; readonly token: number};
	/** Δb = −lr·δ: its largest entry and the token. */
	readonly biasChange: {readonly largest: number; readonly token: number};
	/** The context's embedding rows, each once, with how far the step moved it. */
	readonly moved: readonly MovedRow[];
	/**
	 * How far the embedding update applied is from the true gradient's:
	 * ‖g_applied − g_true‖ / ‖g_true‖ (0 with --exact-gradient).
	 */
	readonly gradientGap: number;
}

export class EmbeddingsRun extends PairRun<EmbeddingsModel, EmbeddingsStep> {
	readonly settings: EmbeddingsSettings;
	private readonly scratch: StepScratch;

	constructor(vocabulary: Vocabulary, ids: Int32Array, settings: EmbeddingsSettings, learningRate: number) {
		super(ids, EmbeddingsModel.initial(vocabulary, settings.n, settings.d, settings.seed, settings.initScale), learningRate);
		this.settings = settings;
		this.scratch = stepScratch(this.model);
	}

	protected initialModel(): EmbeddingsModel {
		const {n, d, seed, initScale} = this.settings;
		return EmbeddingsModel.initial(this.model.vocabulary, n, d, seed, initScale);
	}

	protected stepAt(at: number, learningRate: number): number {
		return fastStep(this.model, this.ids, at, learningRate, this.settings.exactGradient, this.scratch, this.outcome);
	}

	/**
	 * One pair, with what it changed. Cheap on a large vocabulary: nothing is
	 * copied but the context's rows of E; W's and b's changes follow from the
	 * step's own numbers (ΔW_ij = −(lr·h_i)·δ_j, Δb_j = −lr·δ_j, to their last
	 * rounding), and the gap to the true gradient from g_true − g_series =
	 * lr·|δ|²·h (W_new·δ = W_old·δ − lr·|δ|²·h).
	 */
	step(): EmbeddingsStep {
		const {context, target, epoch, pairIndex} = this.nextPair();
		const {model} = this;
		const {d, V} = model;
		const lr = this.learningRate;
		const probabilities = model.probabilities(context);
		const h = model.concatenate(context);
		const rows = [...new Set(context)];
		const before = rows.map((t) => model.E.slice(t * d, t * d + d));
		const finished = this.advance(1);
		// δ = p − onehot(target), as the step computed it.
		const delta = Float64Array.from(probabilities, (p, j) => p - (j === target ? 1 : 0));
		let deltaNorm2 = 0;
		let deltaBest = 0;
		for (let j = 0; j < V; j++) {
			deltaNorm2 += delta[j]! * delta[j]!;
			if (Math.abs(delta[j]!) > Math.abs(delta[deltaBest]!)) deltaBest = j;
		}
		let hNorm2 = 0;
		let hBest = 0;
		for (let k = 0; k < h.length; k++) {
			hNorm2 += h[k]! * h[k]!;
			if (Math.abs(h[k]!) > Math.abs(h[hBest]!)) hBest = k;
		}
		const moved = rows.map((t, r) => {
			let sum = 0;
			for (let k = 0; k < d; k++) sum += (model.E[t * d + k]! - before[r]![k]!) ** 2;
			return {token: t, distance: Math.sqrt(sum)};
		});
		// The gradient applied to E (the scratch's g) against the true one.
		const applied = this.scratch.g;
		const shift = lr * deltaNorm2;
		let gapSum = 0;
		let trueSum = 0;
		for (let k = 0; k < h.length; k++) {
			const trueG = this.settings.exactGradient ? applied[k]! : applied[k]! + shift * h[k]!;
			gapSum += (applied[k]! - trueG) ** 2;
			trueSum += trueG * trueG;
		}
		return {
			family: 'embeddings',
			epoch,
			pairIndex,
			context,
			target,
			probabilities,
			probabilitiesAfter: model.probabilities(context),
			loss: -Math.log(Math.max(probabilities[target]!, 1e-12)),
			predicted: argmaxOf(probabilities),
			finished,
			weightChange: {norm: lr * Math.sqrt(hNorm2 * deltaNorm2), largest: -(lr * h[hBest]!) * delta[deltaBest]!, input: hBest, token: deltaBest},
			biasChange: {largest: -lr * delta[deltaBest]!, token: deltaBest},
			moved,
			gradientGap: trueSum > 0 ? Math.sqrt(gapSum / trueSum) : 0,
		};
	}
}
