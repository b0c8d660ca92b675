"""Readable reference of the toy-gpt series' single-head attention model (rung 600).

This is the series' algorithm written out plainly in standard-library Python:
a whitespace tokenizer, a sorted vocabulary, a token embedding table E (V x d)
plus a positional embedding table P (n x d), query, key and value projections
W_Q, W_K, W_V (d x h each), one head of scaled dot-product attention in which
the last context position asks the question, an output layer W_out (h x V)
with a bias b, softmax and cross-entropy, and one SGD step per (context,
target) pair in corpus order with every gradient element clipped to [-c, c].
Seeded with random.seed(S), it reproduces the series' own runs digit for
digit (see test/reference/attention-reference.test.ts, which compares it with
../shared/reference/seeded-runs).

Usage:
    python3 test/reference/attention_reference.py CORPUS OUTDIR
        [--seed S] [--epochs N] [--lr X] [--dim D] [--head-dim H]
        [--context N] [--init-scale X] [--clip C] [--exact-gradient]
        [--init-only]

Writes OUTDIR/outputs/train_log.csv, OUTDIR/artifacts/01_vocabulary.csv,
02_model_weights.csv (W_out), 03_token_embeddings.csv (E),
04_positional_embeddings.csv (P), 05_W_Q.csv, 06_W_K.csv, 07_W_V.csv, and
OUTDIR/full.json (every parameter at full precision, and the log).  With
--init-only, only full.json with E, P, WQ, WK, WV and Wout straight after
initialisation.

The series' step is not the textbook gradient: it updates W_out and b first
and then takes the context vector's gradient from the updated W_out, and it
walks the context positions in order, updating W_V, W_K (and W_Q at the last
position) before reading them back for that position's embedding gradient.
--exact-gradient instead takes every gradient from the parameters as they
were before the step, and clips each summed element once.

Python 3.11's sum() of floats is a plain left-to-right loop; the series ran
under CPython 3.12+, whose sum() uses Neumaier compensated summation.  nsum()
(series_common.py) is that summation, so the results do not depend on the Python version.
"""

import argparse
import math
import os
import random
import sys

from series_common import argmax, nsum, softmax, training_pairs, write_csv, write_json


def gauss_matrix(rows, cols, init_scale):
    """A rows x cols matrix drawn row by row from random.gauss(0, init_scale)."""
    return [[random.gauss(0.0, init_scale) for _ in range(cols)] for _ in range(rows)]


def project(e, W):
    """e (length d) times W (d x h), accumulated with plain += (m outer, k inner)."""
    h = len(W[0])
    result = [0.0] * h
    for m, em in enumerate(e):
        row = W[m]
        for k in range(h):
            result[k] += em * row[k]
    return result


def subtract_clipped_outer(W, e, g, lr, clip):
    """W[m][k] -= lr * clip(e[m] * g[k]), m outer, k inner."""
    for m, em in enumerate(e):
        row = W[m]
        for k, gk in enumerate(g):
            row[k] -= lr * clip(em * gk)


def matrix_times(W, g):
    """[nsum(W[m][k] * g[k] for k) for m]: a gradient taken back through W."""
    return [nsum(row[k] * g[k] for k in range(len(g))) for row in W]


class Forward:
    """What one forward pass computes, kept for the backward pass."""

    def __init__(self, e, Q, K, V, a, ctx, p):
        self.e = e        # e[t]: embedding plus position, per context position
        self.Q = Q        # Q[t], K[t], V[t]: the projections of e[t]
        self.K = K
        self.V = V
        self.a = a        # attention weights of the last position over all t
        self.ctx = ctx    # sum over t of a[t] * V[t]
        self.p = p        # next-token probabilities


class Model:
    def __init__(self, vocab_size, context, dim, head_dim, init_scale):
        self.vocab_size = vocab_size
        self.n = context
        self.d = dim
        self.h = head_dim
        self.scale = 1.0 / math.sqrt(head_dim)
        # The order of the draws: E, P, W_Q, W_K, W_V, W_out, each row by row.
        self.E = gauss_matrix(vocab_size, dim, init_scale)
        self.P = gauss_matrix(context, dim, init_scale)
        self.WQ = gauss_matrix(dim, head_dim, init_scale)
        self.WK = gauss_matrix(dim, head_dim, init_scale)
        self.WV = gauss_matrix(dim, head_dim, init_scale)
        self.Wout = gauss_matrix(head_dim, vocab_size, init_scale)
        self.b = [0.0] * vocab_size

    def forward(self, context):
        d, h, n = self.d, self.h, self.n
        e = [[self.E[tok][k] + self.P[t][k] for k in range(d)] for t, tok in enumerate(context)]
        Q = [project(et, self.WQ) for et in e]
        K = [project(et, self.WK) for et in e]
        V = [project(et, self.WV) for et in e]
        q = Q[n - 1]
        s = [nsum(q[k] * K[j][k] for k in range(h)) * self.scale for j in range(n)]
        a = softmax(s)
        ctx = [0.0] * h
        for j in range(n):
            for k in range(h):
                ctx[k] += a[j] * V[j][k]
        scores = list(self.b)
        for k in range(h):
            row = self.Wout[k]
            for j in range(self.vocab_size):
                scores[j] += ctx[k] * row[j]
        return Forward(e, Q, K, V, a, ctx, softmax(scores))

    def attention_gradients(self, f, d_ctx):
        """From the context vector's gradient: d_V[t], d_Q (last position), d_K[t]."""
        n, h = self.n, self.h
        d_V = [[f.a[t] * d_ctx[k] for k in range(h)] for t in range(n)]
        d_a = [nsum(d_ctx[k] * f.V[t][k] for k in range(h)) for t in range(n)]
        # Back through the attention softmax, then through the 1/sqrt(h) scale.
        dot = nsum(f.a[j] * d_a[j] for j in range(n))
        d_s = [f.a[i] * (d_a[i] - dot) for i in range(n)]
        d_s = [x * self.scale for x in d_s]
        d_Q = [nsum(d_s[j] * f.K[j][k] for j in range(n)) for k in range(h)]
        q = f.Q[n - 1]
        d_K = [[d_s[t] * q[k] for k in range(h)] for t in range(n)]
        return d_V, d_Q, d_K

    def embedding_gradient(self, t, d_V, d_Q, d_K):
        """The gradient of e[t], through the value and key paths (and the query at the last position)."""
        d_emb = [0.0] * self.d
        for m, g in enumerate(matrix_times(self.WV, d_V[t])):
            d_emb[m] += g
        for m, g in enumerate(matrix_times(self.WK, d_K[t])):
            d_emb[m] += g
        if t == self.n - 1:
            for m, g in enumerate(matrix_times(self.WQ, d_Q)):
                d_emb[m] += g
        return d_emb

    def step(self, context, target, f, lr, clip_at, exact_gradient):
        def clip(x):
            return max(-clip_at, min(clip_at, x))

        V = self.vocab_size
        dlt = [f.p[j] - (1.0 if j == target else 0.0) for j in range(V)]
        if exact_gradient:
            self.exact_step(context, f, dlt, lr, clip)
            return

        # The series' order.  Output layer and bias first ...
        for k in range(self.h):
            row = self.Wout[k]
            for j in range(V):
                row[j] -= lr * clip(f.ctx[k] * dlt[j])
        for j in range(V):
            self.b[j] -= lr * clip(dlt[j])
        # ... then the context vector's gradient through the updated W_out ...
        d_ctx = matrix_times(self.Wout, dlt)
        d_V, d_Q, d_K = self.attention_gradients(f, d_ctx)
        # ... then, position by position, the projections, and the embeddings
        # through the projections just updated.
        for t, tok in enumerate(context):
            e_t = f.e[t]
            subtract_clipped_outer(self.WV, e_t, d_V[t], lr, clip)
            subtract_clipped_outer(self.WK, e_t, d_K[t], lr, clip)
            if t == self.n - 1:
                subtract_clipped_outer(self.WQ, e_t, d_Q, lr, clip)
            d_emb = self.embedding_gradient(t, d_V, d_Q, d_K)
            for m in range(self.d):
                self.E[tok][m] -= lr * clip(d_emb[m])
            for m in range(self.d):
                self.P[t][m] -= lr * clip(d_emb[m])

    def exact_step(self, context, f, dlt, lr, clip):
        """Every gradient from the parameters before the step, each element clipped once."""
        n, d, h, V = self.n, self.d, self.h, self.vocab_size
        g_Wout = [[f.ctx[k] * dlt[j] for j in range(V)] for k in range(h)]
        d_ctx = matrix_times(self.Wout, dlt)
        d_V, d_Q, d_K = self.attention_gradients(f, d_ctx)
        g_WV = [[nsum(f.e[t][m] * d_V[t][k] for t in range(n)) for k in range(h)] for m in range(d)]
        g_WK = [[nsum(f.e[t][m] * d_K[t][k] for t in range(n)) for k in range(h)] for m in range(d)]
        g_WQ = [[f.e[n - 1][m] * d_Q[k] for k in range(h)] for m in range(d)]
        g_P = [self.embedding_gradient(t, d_V, d_Q, d_K) for t in range(n)]
        tokens = []
        for tok in context:
            if tok not in tokens:
                tokens.append(tok)
        g_E = {
            tok: [nsum(g_P[t][m] for t in range(n) if context[t] == tok) for m in range(d)]
            for tok in tokens
        }

        def apply(W, G):
            for row, grow in zip(W, G):
                for k in range(len(row)):
                    row[k] -= lr * clip(grow[k])

        apply(self.Wout, g_Wout)
        apply([self.b], [dlt])
        apply(self.WV, g_WV)
        apply(self.WK, g_WK)
        apply(self.WQ, g_WQ)
        apply([self.E[tok] for tok in tokens], [g_E[tok] for tok in tokens])
        apply(self.P, g_P)


def train(model, pairs, epochs, lr, clip_at, exact_gradient):
    log = []
    for epoch in range(1, epochs + 1):
        total_loss = 0.0
        correct = 0
        for context, target in pairs:
            f = model.forward(context)
            total_loss += -math.log(max(f.p[target], 1e-12))
            if argmax(f.p) == target:
                correct += 1
            model.step(context, target, f, lr, clip_at, exact_gradient)
        log.append([epoch, total_loss / len(pairs), correct / len(pairs)])
    return log


def fmt(value, decimals):
    """The series' CSV number: "0" for an exact zero (either sign), else fixed decimals."""
    return "0" if value == 0.0 else f"{value:.{decimals}f}"


def matrix_rows(matrix, decimals):
    """Rows "i, values..." under a "row, dim_0.." style header's first column."""
    return [[str(i)] + [fmt(v, decimals) for v in row] for i, row in enumerate(matrix)]


def write_outputs(outdir, vocab, counts, model, log):
    art = os.path.join(outdir, "artifacts")
    dims = [f"dim_{k}" for k in range(model.d)]
    head_dims = [f"dim_{k}" for k in range(model.h)]
    write_csv(
        os.path.join(outdir, "outputs", "train_log.csv"),
        [["epoch", "avg_loss", "accuracy"]]
        + [[str(epoch), f"{loss:.8f}", f"{acc:.6f}"] for epoch, loss, acc in log],
    )
    write_csv(
        os.path.join(art, "01_vocabulary.csv"),
        [["token_id", "token", "frequency"]]
        + [[str(i), tok, str(counts[tok])] for i, tok in enumerate(vocab)],
    )
    write_csv(
        os.path.join(art, "02_model_weights.csv"),
        [["input_token"] + vocab]
        + [[f"head_dim_{k}"] + [fmt(v, 4) for v in row] for k, row in enumerate(model.Wout)],
    )
    write_csv(
        os.path.join(art, "03_token_embeddings.csv"),
        [["token_id", "token"] + dims]
        + [[str(i), tok] + [fmt(v, 6) for v in model.E[i]] for i, tok in enumerate(vocab)],
    )
    write_csv(os.path.join(art, "04_positional_embeddings.csv"), [["position"] + dims] + matrix_rows(model.P, 6))
    write_csv(os.path.join(art, "05_W_Q.csv"), [["row"] + head_dims] + matrix_rows(model.WQ, 6))
    write_csv(os.path.join(art, "06_W_K.csv"), [["row"] + head_dims] + matrix_rows(model.WK, 6))
    write_csv(os.path.join(art, "07_W_V.csv"), [["row"] + head_dims] + matrix_rows(model.WV, 6))


def parameters(model):
    return {"E": model.E, "P": model.P, "WQ": model.WQ, "WK": model.WK, "WV": model.WV, "Wout": model.Wout}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--head-dim", type=int, default=16)
    parser.add_argument("--context", type=int, default=2)
    parser.add_argument("--init-scale", type=float, default=0.01)
    parser.add_argument("--clip", type=float, default=1.0)
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
    model = Model(len(vocab), args.context, args.dim, args.head_dim, args.init_scale)
    full_json = os.path.join(args.outdir, "full.json")
    if args.init_only:
        write_json(full_json, parameters(model))
        return 0

    pairs = training_pairs(ids, args.context)
    if not pairs:
        print("corpus too short for the context length", file=sys.stderr)
        return 1
    log = train(model, pairs, args.epochs, args.lr, args.clip, args.exact_gradient)
    write_outputs(args.outdir, vocab, counts, model, log)
    write_json(full_json, {**parameters(model), "b": model.b, "log": log})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
