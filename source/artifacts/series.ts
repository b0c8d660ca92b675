/**
 * What the toy-gpt series' own tools can load of what we write, and how we
 * read a set they wrote.
 *
 * The series' web client (toy-gpt-chat) reads `00_meta.json`,
 * `01_vocabulary.csv` and `02_model_weights.csv` by splitting each line at
 * every comma (no CSV quoting) and needs the dense weights table (header
 * `input_token` then every token); each training repository's `e_infer.py`
 * reads the same files with Python's csv module (quoting understood) and also
 * needs the dense table. Neither reads the sparse form.
 */
import {csvField} from './csv.js';
import {MANIFEST_KEY} from './manifest.js';
import {DENSE_READ_LIMIT, DENSE_WEIGHTS_LIMIT, denseBytesEstimate, denseWeightCount, formatBytes, type WeightsFormat} from './write.js';

/** The keys toy-gpt-tui adds to the series' meta file; a set with all of them is one we wrote. */
export const OUR_META_KEYS = ['context_size', 'weights_format', 'num_tokens', 'num_training_pairs', 'num_seen_contexts'] as const;
/** The keys toy-gpt-tui adds to an embeddings model's meta file. */
export const OUR_EMBEDDINGS_META_KEYS = ['context_size', 'num_tokens', 'num_training_pairs', 'embeddings'] as const;

/** The keys toy-gpt-tui adds to an attention model's meta file. */
export const OUR_ATTENTION_META_KEYS = ['context_size', 'num_tokens', 'num_training_pairs', 'attention'] as const;

/** The keys we add to a meta file of this model kind. */
export function ourMetaKeys(meta: Record<string, unknown>): readonly string[] {
	if (meta['model_kind'] === 'embeddings') return OUR_EMBEDDINGS_META_KEYS;
	if (meta['model_kind'] === 'attention') return OUR_ATTENTION_META_KEYS;
	return OUR_META_KEYS;
}

/**
 * Whether a meta file has toy-gpt-tui's manifest and every key it adds: a
 * set we wrote, checked fully. The readers (read.ts) refuse a set whose
 * manifest does not check, so a set they load with it is one run's.
 */
export function hasOurMetaKeys(meta: Record<string, unknown>): boolean {
	return MANIFEST_KEY in meta && ourMetaKeys(meta).every((key) => key in meta);
}

/**
 * One line, for a set without our added keys (the series' own, for one):
 * it is read by the series' rules and could not be verified. Undefined for a
 * set we wrote. The explorer shows it where it shows the model it loaded.
 */
export function unverifiedNote(meta: Record<string, unknown>, metaPath: string): string | undefined {
	if (hasOurMetaKeys(meta)) return undefined;
	const repo = typeof meta['repo_name'] === 'string' ? ` (written by ${meta['repo_name']})` : '';
	return `${metaPath}${repo} lacks toy-gpt-tui's manifest: read by the toy-gpt series' rules, it could not be verified`;
}

/**
 * A corpus path as a meta file records it, with `/` separators: the series'
 * repositories were trained on Windows and write `corpus\\010_llm_glossary.txt`.
 */
export function corpusPathOfMeta(path: string): string {
	return path.replaceAll('\\', '/');
}

/**
 * Why the series' client cannot load the set `train` writes for this
 * vocabulary, context size and weights form, in one line; undefined when it
 * can. `train` prints it after writing; the explorer shows it under a
 * finished run (call it with `weightsFormatFor(model)`).
 */
export function seriesClientNote(tokens: readonly string[], n: number, format: WeightsFormat): string | undefined {
	const V = tokens.length;
	if (format === 'sparse') {
		const weights = denseWeightCount(V, n);
		const why =
			weights > DENSE_READ_LIMIT
				? `too large to write whole (${V}^${n + 1} = ${weights.toLocaleString('en-US')} weights, about ${formatBytes(denseBytesEstimate(tokens, n))})`
				: weights > DENSE_WEIGHTS_LIMIT
					? `above the ${DENSE_WEIGHTS_LIMIT.toLocaleString('en-US')} weights written whole by default (--weights-format dense writes all ${weights.toLocaleString('en-US')}, about ${formatBytes(denseBytesEstimate(tokens, n))})`
					: `as asked (--weights-format sparse; dense would be about ${formatBytes(denseBytesEstimate(tokens, n))})`;
		return `the toy-gpt series' client and e_infer.py cannot load this model: its weights are in the sparse form, ${why}`;
	}
	const quoted = tokens.find((token) => csvField(token) !== token);
	if (quoted !== undefined) {
		return `the toy-gpt series' client cannot load this vocabulary: the token ${JSON.stringify(quoted)} holds a ${quoted.includes(',') ? 'comma' : 'quote'}, quoted as CSV requires, which the client's plain comma split cannot read (the series' e_infer.py can)`;
	}
	return undefined;
}

/** The series' web client lists the embeddings model (rung 500) but cannot run it; its Python loader reads our 01-03. */
export const EMBEDDINGS_CLIENT_NOTE =
	"the series' web client runs only 100-400; 01-03 are in the series' 500 format, and exact_parameters.json (bias, full precision) makes the reload exact";

/** The series' web client cannot run the attention model (rung 600) either; its Python loader reads our 01-07. */
export const ATTENTION_CLIENT_NOTE =
	"the series' web client runs only 100-400; 01-07 are in the series' 600 format, and exact_parameters.json (bias, full precision) makes the reload exact";
