import {readCorpusFile} from '../text/corpus.js';
import {visible} from '../text/escape.js';
import {jsonText, padEnd} from '../cli/format.js';
import type {CommandIo} from './common.js';

export interface VocabOptions {
	readonly corpus: string;
	readonly json: boolean;
}

/** Print the vocabulary: id, token, frequency (or as JSON). */
export async function vocabCommand(options: VocabOptions, io: CommandIo): Promise<number> {
	const corpus = readCorpusFile(options.corpus);
	const {tokens, frequencies} = corpus.vocabulary;
	if (options.json) {
		io.stdout.write(
			jsonText({
				corpus: options.corpus,
				vocab_size: tokens.length,
				tokens: tokens.map((token, id) => ({id, token, frequency: frequencies[id]})),
			}) + '\n',
		);
		return 0;
	}
	const shown = tokens.map(visible);
	// string-width starts ICU's segmenter (about 20 ms): load it only for text output.
	const {default: stringWidth} = await import('string-width');
	const widths = shown.map((t) => stringWidth(t));
	const idWidth = Math.max(2, String(tokens.length - 1).length);
	const tokenWidth = Math.min(40, Math.max(5, ...widths));
	let out = `${'id'.padStart(idWidth)}  ${padEnd('token', tokenWidth, 5)}  frequency\n`;
	for (let id = 0; id < tokens.length; id++) {
		out += `${String(id).padStart(idWidth)}  ${padEnd(shown[id]!, tokenWidth, widths[id]!)}  ${frequencies[id]}\n`;
		if (out.length > 1 << 16) {
			io.stdout.write(out);
			out = '';
		}
	}
	io.stdout.write(out);
	return 0;
}
