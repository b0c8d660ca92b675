/**
 * Every model family toy-gpt-tui trains and reads, as one type: where code
 * needs a family's own parts (a table's rows, a vector model's matrices), it
 * tells them apart with instanceof.
 */
import type {Model} from './table/model.js';
import type {EmbeddingsModel} from './embeddings/model.js';
import type {AttentionModel} from './attention/model.js';

export type AnyModel = Model | EmbeddingsModel | AttentionModel;
