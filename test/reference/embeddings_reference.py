"""Readable reference of the toy-gpt series' learned-embeddings model (rung 500).

This is the series' algorithm written out plainly in standard-library Python:
a whitespace tokenizer, a sorted vocabulary, an embedding table E (V x d), a
linear layer W ((n*d) x V) with a bias b, softmax and cross-entropy, and one
SGD step per (context, target) pair in corpus order.  Seeded with
random.seed(S), it reproduces the series' own runs digit for digit (see
test/reference/embeddings-reference.test.ts, which compares it with
../shared/reference/seeded-runs).  The TypeScript tests read its full.json to
compare the fast engine bit for bit, and `npm run bench` times it as
"pure Python".

Usage:
    python3 test/reference/embeddings_reference.py CORPUS OUTDIR
        [--seed S] [--epochs N] [--lr X] [--dim D] [--context N]
        [--init-scale X] [--exact-gradient] [--init-only]
    python3 test/reference/embeddings_reference.py --selftest

Writes OUTDIR/outputs/train_log.csv, OUTDIR/artifacts/01_vocabulary.csv,
02_model_weights.csv, 03_token_embeddings.csv and OUTDIR/full.json (every
parameter at full precision, and the log).  With --init-only, only full.json
with E and W straight after initialisation.

Python 3.11's sum() of floats is a plain left-to-right loop; the series ran
under CPython 3.12+, whose sum() uses Neumaier compensated summation.  nsum()
(series_common.py) is that summation, so the results do not depend on the Python version.
"""

import argparse
import json
import math
import os
import random
import sys

from series_common import argmax, nsum, plain_sum, softmax, training_pairs, write_csv, write_json


class Model:
    def __init__(self, vocab_size, context, dim, init_scale):
        self.V = vocab_size
        self.n = context
        self.d = dim
        # E first (row by row), then W (row by row): the order of the draws.
        self.E = [[random.gauss(0.0, init_scale) for _ in range(dim)] for _ in range(vocab_size)]
        self.W = [[random.gauss(0.0, init_scale) for _ in range(vocab_size)] for _ in range(context * dim)]
        self.b = [0.0] * vocab_size

    def hidden(self, context):
        h = []
        for tok in context:
            h.extend(self.E[tok])
        return h

    def forward(self, context):
        h = self.hidden(context)
        scores = list(self.b)
        V = self.V
        W = self.W
        for i, val in enumerate(h):
            row = W[i]
            for j in range(V):
                scores[j] += val * row[j]
        return h, softmax(scores)

    def step(self, context, target, h, p, lr, exact_gradient):
        V = self.V
        W = self.W
        dim = self.d
        delta = [p[j] - (1.0 if j == target else 0.0) for j in range(V)]

        if exact_gradient:
            # Every gradient from the parameters as they were before the step.
            grads_e = []
            for p_pos, tok in enumerate(context):
                for k in range(dim):
                    row = W[p_pos * dim + k]
                    grads_e.append((tok, k, nsum(row[j] * delta[j] for j in range(V))))
            for i, hv in enumerate(h):
                row = W[i]
                for j in range(V):
                    row[j] -= lr * hv * delta[j]
            for j in range(V):
                self.b[j] -= lr * delta[j]
            for tok, k, g in grads_e:
                self.E[tok][k] -= lr * g
            return

        # The series' order: W and b first, then E from the updated W.
        for i, hv in enumerate(h):
            row = W[i]
            for j in range(V):
                row[j] -= lr * hv * delta[j]
        for j in range(V):
            self.b[j] -= lr * delta[j]
        for p_pos, tok in enumerate(context):
            for k in range(dim):
                row = W[p_pos * dim + k]
                g = nsum(row[j] * delta[j] for j in range(V))
                self.E[tok][k] -= lr * g


def train(model, pairs, epochs, lr, exact_gradient):
    log = []
    for epoch in range(1, epochs + 1):
        total_loss = 0.0
        correct = 0
        for context, target in pairs:
            h, p = model.forward(context)
            total_loss += -math.log(max(p[target], 1e-12))
            if argmax(p) == target:
                correct += 1
            model.step(context, target, h, p, lr, exact_gradient)
        log.append([epoch, total_loss / len(pairs), correct / len(pairs)])
    return log


def fmt_weight(value):
    return "0" if value == 0.0 else f"{value:.4f}"


def fmt_embedding(value):
    return "0" if value == 0.0 else f"{value:.6f}"


def write_outputs(outdir, vocab, counts, model, log):
    write_csv(
        os.path.join(outdir, "outputs", "train_log.csv"),
        [["epoch", "avg_loss", "accuracy"]]
        + [[str(epoch), f"{loss:.8f}", f"{acc:.6f}"] for epoch, loss, acc in log],
    )
    write_csv(
        os.path.join(outdir, "artifacts", "01_vocabulary.csv"),
        [["token_id", "token", "frequency"]]
        + [[str(i), tok, str(counts[tok])] for i, tok in enumerate(vocab)],
    )
    write_csv(
        os.path.join(outdir, "artifacts", "02_model_weights.csv"),
        [["input_token"] + vocab]
        + [[f"input_dim_{i}"] + [fmt_weight(v) for v in row] for i, row in enumerate(model.W)],
    )
    write_csv(
        os.path.join(outdir, "artifacts", "03_token_embeddings.csv"),
        [["token_id", "token"] + [f"dim_{k}" for k in range(model.d)]]
        + [[str(i), tok] + [fmt_embedding(v) for v in model.E[i]] for i, tok in enumerate(vocab)],
    )


def selftest():
    values = [1e100, 1.0, -1e100]
    print(json.dumps({
        "nsum": nsum(values),
        "plain": plain_sum(values),
        "nsum_tenths": nsum([0.1] * 10),
        "plain_tenths": plain_sum([0.1] * 10),
    }))


def main(argv):
    if argv == ["--selftest"]:
        selftest()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--context", type=int, default=2)
    parser.add_argument("--init-scale", type=float, default=0.01)
    parser.add_argument("--exact-gradient", action="store_true")
    parser.add_argument("--init-only", action="store_true")
    args = parser.parse_args(argv)

    with open(args.corpus, encoding="utf-8") as f:
        tokens = f.read().split()
    vocab = sorted(set(tokens))
    index = {tok: i for i, tok in enumerate(vocab)}
    ids = [index[tok] for tok in tokens]
    counts = {}
    for tok in tokens:
        counts[tok] = counts.get(tok, 0) + 1

    random.seed(args.seed)
    model = Model(len(vocab), args.context, args.dim, args.init_scale)
    full_json = os.path.join(args.outdir, "full.json")
    if args.init_only:
        write_json(full_json, {"E": model.E, "W": model.W})
        return 0

    pairs = training_pairs(ids, args.context)
    if not pairs:
        print("corpus too short for the context length", file=sys.stderr)
        return 1
    log = train(model, pairs, args.epochs, args.lr, args.exact_gradient)
    write_outputs(args.outdir, vocab, counts, model, log)
    write_json(full_json, {"E": model.E, "W": model.W, "b": model.b, "log": log})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
