/**
 * What held-out text is, as types alone (models/held-out.ts makes and
 * scores it): kept apart so that the model shape (next-token.ts) can name
 * them without importing the scoring code.
 */

/** The held-out text as 00_meta.json records it: the split of the corpus, or the separate file. */
export type HeldOutFacts =
	| {readonly fraction: number; readonly lines: number; readonly first_token: number; readonly pairs: number}
	| {readonly file: string; readonly sha256: string; readonly pairs: number; readonly oov: number};

export interface HeldOut {
	/** How the held-out pairs were chosen, for a line of text: "the last 4 of 40 lines (10%)". */
	readonly description: string;
	/** Token ids the held-out pairs are read from (-1: a token the vocabulary lacks). */
	readonly ids: Int32Array;
	/** The targets of the held-out pairs: ids[from..to). */
	readonly from: number;
	readonly to: number;
	/** The corpus's tokens the model trains on: ids[0..trainTokens) of the corpus. */
	readonly trainTokens: number;
	/** What 00_meta.json records of it, in the added key `held_out` (plain values: it goes to the write thread too). */
	readonly meta: HeldOutFacts;
}

/** One epoch's figures on the held-out pairs. */
export interface HeldOutEpoch {
	readonly epoch: number;
	/** Average loss in nats. */
	readonly loss: number;
	/** e to the loss. */
	readonly perplexity: number;
	readonly accuracy: number;
	/** The share of held-out pairs whose context the training pairs contain. */
	readonly coverage: number;
}

