"""The learned-embeddings model (rung 500) trained with NumPy, for the benchmark.

The same algorithm as test/reference/embeddings_reference.py, with the same
command line: whitespace tokens, the sorted vocabulary, E (V x d), W
((n*d) x V) and b drawn with random.seed(S) and random.gauss in the same
order, then one SGD step per (context, target) pair in corpus order, W and b
updated first and E's gradient read from the updated W, as the series does
(or from W before the step with --exact-gradient).  Each pair is done with
whole-array operations: the scores as one vector-matrix product, W's update
as one outer product, E's gradient as one matrix-vector product.

It is NOT bit-exact: NumPy sums the softmax and the products in its own
order (pairwise and BLAS summation, not Python's Neumaier sum() and the
reference's left-to-right loops), so the weights drift from the reference's
in their last bits.  The train log agrees with the reference's to about six
significant digits or better; `npm run bench` checks that and prints the
largest difference.

Usage:
    python3 bench/embeddings_numpy.py CORPUS OUTDIR
        [--seed S] [--epochs N] [--lr X] [--dim D] [--context N]
        [--init-scale X] [--exact-gradient]

Writes OUTDIR/outputs/train_log.csv (the reference's format) and
OUTDIR/full.json (E, W, b and the log at full precision).
"""

import argparse
import csv
import json
import math
import os
import random
import sys

import numpy as np


def train(E, W, b, contexts, targets, n, d, epochs, lr, exact_gradient):
    log = []
    pairs = len(targets)
    for epoch in range(1, epochs + 1):
        total_loss = 0.0
        correct = 0
        for k in range(pairs):
            context = contexts[k]
            target = targets[k]
            h = E[context].reshape(-1)  # a copy: E's later update does not reach it
            s = b + h @ W
            e = np.exp(s - s.max())
            p = e / e.sum()
            total_loss += -math.log(max(p[target], 1e-12))
            if p.argmax() == target:  # the first maximum, as the reference's argmax
                correct += 1
            delta = p
            delta[target] -= 1.0
            if exact_gradient:
                g = W @ delta
            W -= np.outer(lr * h, delta)
            b -= lr * delta
            if not exact_gradient:
                g = W @ delta
            # Position by position, so that a token repeated in the context gets both updates.
            for q in range(n):
                E[context[q]] -= lr * g[q * d:(q + 1) * d]
        log.append([epoch, total_loss / pairs, correct / pairs])
    return log


def write_csv(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def main(argv):
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
    args = parser.parse_args(argv)

    with open(args.corpus, encoding="utf-8") as f:
        tokens = f.read().split()
    vocab = sorted(set(tokens))
    index = {tok: i for i, tok in enumerate(vocab)}
    ids = np.array([index[tok] for tok in tokens], dtype=np.intp)
    V, n, d = len(vocab), args.context, args.dim
    if len(ids) <= n:
        print("corpus too short for the context length", file=sys.stderr)
        return 1

    # The reference's draws, in its order: E row by row, then W row by row.
    random.seed(args.seed)
    scale = args.init_scale
    E = np.array([[random.gauss(0.0, scale) for _ in range(d)] for _ in range(V)], dtype=np.float64).reshape(V, d)
    W = np.array([[random.gauss(0.0, scale) for _ in range(V)] for _ in range(n * d)], dtype=np.float64).reshape(n * d, V)
    b = np.zeros(V, dtype=np.float64)

    pairs = len(ids) - n
    contexts = np.lib.stride_tricks.sliding_window_view(ids, n)[:pairs].copy()
    targets = ids[n:].tolist()
    log = train(E, W, b, contexts, targets, n, d, args.epochs, args.lr, args.exact_gradient)

    write_csv(
        os.path.join(args.outdir, "outputs", "train_log.csv"),
        [["epoch", "avg_loss", "accuracy"]] + [[str(epoch), f"{loss:.8f}", f"{acc:.6f}"] for epoch, loss, acc in log],
    )
    with open(os.path.join(args.outdir, "full.json"), "w", encoding="utf-8") as f:
        json.dump({"E": E.tolist(), "W": W.tolist(), "b": b.tolist(), "log": log}, f)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
