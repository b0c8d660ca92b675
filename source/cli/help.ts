/** Help texts and which flags each command takes. */

export const COMMANDS = ['tokenize', 'vocab', 'train', 'infer', 'eval', 'compare'] as const;
export type CommandName = (typeof COMMANDS)[number];

const TRAIN_FLAGS = ['corpus', 'context', 'epochs', 'lr', 'artifacts', 'outputs'];
export const COMMAND_FLAGS: Record<CommandName | 'explore', string[]> = {
	tokenize: ['corpus', 'json'],
	vocab: ['corpus', 'json'],
	train: [...TRAIN_FLAGS, 'model', 'dim', 'head-dim', 'clip', 'init-scale', 'exact-gradient', 'holdout', 'valid', 'shuffle', 'seed', 'threads', 'weights-format', 'json'],
	infer: ['artifacts', 'corpus', 'prompt', 'num', 'topk', 'temperature', 'top-p', 'seed', 'json'],
	eval: ['artifacts', 'text', 'json'],
	compare: ['prompt', 'corpus', 'epochs', 'lr', 'holdout', 'valid', 'shuffle', 'train-seed', 'dim', 'head-dim', 'clip', 'init-scale', 'exact-gradient', 'topk', 'json'],
	explore: [...TRAIN_FLAGS, 'model', 'dim', 'head-dim', 'clip', 'init-scale', 'exact-gradient', 'holdout', 'valid', 'shuffle', 'train-seed', 'seed', 'num', 'topk', 'temperature', 'top-p'],
};

export const MAIN_HELP = `
  A terminal lab that shows, at very small scale, how a next-token language
  model is trained and used.

  Usage
    $ toy-gpt-tui [flags]             open the explorer (needs a terminal)
    $ toy-gpt-tui <command> [flags]

  Commands
    tokenize   print the corpus's tokens, one a line
    vocab      print the vocabulary: id, token, frequency
    train      train a model and write the artifacts and the train log
    infer      next-token probabilities for a prompt, and a continuation
    eval       score a text with a trained model: loss, perplexity, accuracy
    compare    the same prompt through contexts of 0, 1, 2 and 3 words

  Explorer flags (the training flags of train, and the decoding flags of infer)
    --corpus FILE   --context N   --epochs N   --lr X   --artifacts DIR
    --outputs DIR   --holdout F   --valid FILE   --shuffle   --train-seed S
    --model M   --dim D   --head-dim H   --clip C   --init-scale X
    --exact-gradient   --seed S   --num N   --topk K   --temperature T   --top-p P

  Every command
    --help, -h      this help, or the command's own (toy-gpt-tui train --help)
    --version, -v   the version

  Exit status: 0 success, 2 usage error, 1 any other error.
`.replace(/^\n/, '');

export const COMMAND_HELP: Record<CommandName, string> = {
	tokenize: `
  Usage
    $ toy-gpt-tui tokenize [--corpus FILE] [--json]

  Prints the corpus's tokens in order, one a line. Tokens are the runs of
  characters between whitespace (Python's str.split() rules); control
  characters are shown escaped (\\x1b).

  Flags
    --corpus FILE   the text to read (default corpus/001_animals.txt)
    --json          one JSON object: {"corpus", "num_tokens", "tokens"}
`.replace(/^\n/, ''),
	vocab: `
  Usage
    $ toy-gpt-tui vocab [--corpus FILE] [--json]

  Prints the vocabulary: each distinct token with its id (ids follow the
  tokens sorted by Unicode code point) and how often it occurs.

  Flags
    --corpus FILE   the text to read (default corpus/001_animals.txt)
    --json          one JSON object: {"corpus", "vocab_size", "tokens": [{"id", "token", "frequency"}]}
`.replace(/^\n/, ''),
	train: `
  Usage
    $ toy-gpt-tui train [--corpus FILE] [--context N] [--epochs N] [--lr X]
                        [--model M] [--dim D] [--head-dim H] [--clip C]
                        [--init-scale X] [--exact-gradient]
                        [--artifacts DIR] [--outputs DIR] [--holdout F]
                        [--valid FILE] [--shuffle] [--seed S] [--threads N]
                        [--weights-format F] [--json]

  Trains a softmax-regression model of the next token given the previous N
  tokens, by plain SGD from zero weights, one step per training pair in corpus
  order, and writes artifacts/00_meta.json, 01_vocabulary.csv,
  02_model_weights.csv, 03_token_embeddings.csv and outputs/train_log.csv.
  With --model embeddings it trains learned token vectors instead, from
  seeded random weights, and adds artifacts/exact_parameters.json; with
  --model attention, single-head attention over them, adding the series'
  04_positional_embeddings.csv, 05_W_Q.csv, 06_W_K.csv and 07_W_V.csv.

  Flags
    --corpus FILE     the text to train on (default corpus/001_animals.txt)
    --context N       tokens of context: 0 unigram, 1 bigram, 2, 3 (default 2)
    --epochs N        passes over all training pairs, 1 to 100000 (default 50)
    --lr X            learning rate, above 0 and at most 1000 (default 0.1)
    --artifacts DIR   where the four artifacts go (default artifacts)
    --outputs DIR     where train_log.csv goes (default outputs)
    --holdout F       hold out the last share F of the corpus's lines, 0 to
                      below 0.9 (default 0): the model does not train on
                      them, and each epoch reports its loss, perplexity,
                      accuracy and coverage on them (outputs/held_out_log.csv)
    --valid FILE      report those figures on a separate text instead
    --shuffle         visit the pairs in a new order each epoch: the order
                      Python's random.shuffle gives on random.Random(S),
                      shuffling in place before each epoch (default: corpus
                      order, as the toy-gpt series trains); one thread
    --seed S          the training seed (default 0): the order of --shuffle,
                      and an embeddings or attention model's initial weights
                      (Python's random.seed(S), then random.gauss each)
    --model M         ngram (the lookup table, default); embeddings: a
                      learned vector for each token, the context's vectors
                      side by side, a linear layer and softmax (the toy-gpt
                      series' rung 500); attention: token plus position
                      vectors, single-head attention from the last position,
                      an output layer and softmax (rung 600). Defaults as the
                      series trains them: context 2 of 1 to 8, lr 0.01, 100
                      epochs for attention
    --dim D           embeddings, attention: the vectors' size, 1 to 512
                      (default 16)
    --head-dim H      attention: the size of Q, K and V (default 16)
    --clip C          attention: each gradient entry is clipped to [-C, C]
                      (default 1, as the series)
    --init-scale X    embeddings, attention: the initial weights' standard
                      deviation (default 0.01)
    --exact-gradient  embeddings, attention: apply the true gradient; by
                      default the series' in-place order, where later
                      gradients are read from weights already updated
    --threads N       threads for whole epochs, 1 to 64 (default: every core,
                      up to 8, for 200,000 pairs or more, else 1); the result
                      is the same bit for bit
    --weights-format F   auto, dense or sparse (default auto: the full table
                      up to 4,000,000 weights, as the toy-gpt series writes
                      it, so its client can load it; the sparse form above)
    --json            one JSON object per epoch, then a summary object
`.replace(/^\n/, ''),
	infer: `
  Usage
    $ toy-gpt-tui infer [--artifacts DIR] [--corpus FILE] [--prompt TEXT]
                        [--num N] [--topk K] [--temperature T] [--top-p P]
                        [--seed S] [--json]

  Loads trained artifacts (never retrains), names the corpus they were
  trained on, shows the next-token probabilities for the prompt's last N
  tokens (N: the model's context size), says when the distribution is
  uniform because the prompt is too short, has a word not in the
  vocabulary, or ends in a context never seen in training, and generates a
  continuation.

  Flags
    --artifacts DIR   the trained model (default artifacts)
    --corpus FILE     refuse a model not trained on this corpus (by sha256)
    --prompt TEXT     the text to continue (default empty); read in lower
                      case where the vocabulary is, as the toy-gpt series does
    --num N           tokens to generate, 0 to 10000 (default 10)
    --topk K          candidates to show (default 5); when sampling, also
                      sample from these K only
    --temperature T   sample instead of greedy, scores divided by T (0 = greedy)
    --top-p P         sample from the most likely tokens whose probabilities
                      add up to P, above 0 and at most 1
    --seed S          seed of the sampler, a whole number (default 0); the
                      same seed gives the same text
    --json            {"context", "row", "top": [{"token", "id", "probability"}],
                       "entropy", "generated", ...}

  Without --temperature or --top-p, decoding is greedy: always the most
  likely token, ties to the lowest id. Entropy is in bits.
`.replace(/^\n/, ''),
	eval: `
  Usage
    $ toy-gpt-tui eval --text FILE [--artifacts DIR] [--json]

  Scores a text with trained artifacts (never retrains), as n-gram toolkits
  report it: the text's pairs (each window of N tokens and the next, as in
  training) scored by the model as it is: average loss in nats, perplexity
  (e to the loss), accuracy, the pairs whose context the training pairs lack
  (scored by the uniform guess, ln V), and the tokens the vocabulary lacks.
  A target not in the vocabulary has no probability under the model: it is
  scored at p = 1e-12 (27.63 nats, the clip of every pair's loss) and never
  right, and the perplexity without those pairs is given beside.

  Flags
    --text FILE       the UTF-8 text to score (at most 64 MiB)
    --artifacts DIR   the trained model (default artifacts)
    --json            {"pairs", "avg_loss", "perplexity", "accuracy", "oov",
                       "unseen_contexts", "perplexity_without_oov", ...}
`.replace(/^\n/, ''),
	compare: `
  Usage
    $ toy-gpt-tui compare --prompt TEXT [--corpus FILE] [--epochs N] [--lr X]
                          [--holdout F | --valid FILE] [--shuffle]
                          [--train-seed S] [--dim D] [--head-dim H]
                          [--clip C] [--init-scale X] [--exact-gradient]
                          [--topk K] [--json]

  Does seeing more words help? Trains four models on the corpus, with
  contexts of 0 (unigram), 1 (bigram), 2 and 3 words, and shows each one's
  next-token distribution for the prompt: the row it uses (or why none),
  its top tokens, its entropy and its most likely token; then the learned-
  embeddings and the attention models (context 2, the series' lr 0.01)
  beside them, and a sentence reading the comparison.

  Flags
    --prompt TEXT   the text whose next token is asked for (default empty);
                    read in lower case where the vocabulary is, as infer does
    --corpus FILE   the text to train on (default corpus/001_animals.txt)
    --epochs N      epochs for each model, 1 to 100000 (default 50)
    --lr X          learning rate (default 0.1)
    --holdout F     hold out the last share F of the lines: each model's loss,
                    perplexity, accuracy and coverage on them beside its
                    training loss, and which generalises and which memorises
    --valid FILE    a separate held-out text instead
    --shuffle       each epoch in Python's random.shuffle order (one thread)
    --train-seed S  the training seed: of --shuffle, and of the embeddings
                    and attention models' initial weights (default 0)
    --dim D         their vector size (default 16)
    --head-dim H    the attention model's size of Q, K, V (default 16)
    --clip C        its gradient entries clipped to [-C, C] (default 1)
    --init-scale X  their initial weights' standard deviation (default 0.01)
    --exact-gradient  they apply the true gradient, not the series' order
    --topk K        tokens shown per model (default 5)
    --json          {"prompt", "models": [{"model_kind", "context_size", "context",
                     "row", "uniform_reason", "top", "entropy", "best",
                     "train_loss", "held_out_loss", ...}], "embeddings": {...},
                     "attention": {..., "attention": [weights]},
                     "held_out", "reading"}
`.replace(/^\n/, ''),
};
