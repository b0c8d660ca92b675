import {readCorpusFile} from '../text/corpus.js';
import {visible} from '../text/escape.js';
import {jsonText} from '../cli/format.js';
import type {CommandIo} from './common.js';

export interface TokenizeOptions {
	readonly corpus: string;
	readonly json: boolean;
}

/** Print the corpus's tokens, one a line (or as JSON). */
export function tokenizeCommand(options: TokenizeOptions, io: CommandIo): number {
	const corpus = readCorpusFile(options.corpus);
	const {tokens} = corpus.vocabulary;
	if (options.json) {
		io.stdout.write(
			jsonText({corpus: options.corpus, num_tokens: corpus.ids.length, tokens: Array.from(corpus.ids, (id) => tokens[id])}) + '\n',
		);
		return 0;
	}
	const shown = tokens.map(visible);
	let chunk = '';
	for (const id of corpus.ids) {
		chunk += shown[id] + '\n';
		if (chunk.length > 1 << 16) {
			io.stdout.write(chunk);
			chunk = '';
		}
	}
	io.stdout.write(chunk);
	return 0;
}
