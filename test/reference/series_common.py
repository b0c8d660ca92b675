"""What the plain Python references of the series' embeddings (rung 500) and
attention (rung 600) models share: Python 3.12+'s sum() of floats, the
softmax, argmax, the training pairs, and the files as the series writes
them.  Standard library only; each reference imports it from beside itself.
"""

import csv
import json
import math
import os


def nsum(values):
    """Sum floats as CPython 3.12+'s sum() does (Neumaier compensation)."""
    f = 0.0
    c = 0.0
    for x in values:
        t = f + x
        if abs(f) >= abs(x):
            c += (f - t) + x
        else:
            c += (x - t) + f
        f = t
    if c != 0 and math.isfinite(c):
        f += c
    return f


def plain_sum(values):
    """A plain left-to-right float sum, for the self-test's contrast."""
    f = 0.0
    for x in values:
        f += x
    return f


def softmax(scores):
    m = max(scores)
    e = [math.exp(s - m) for s in scores]
    total = nsum(e)
    return [x / total for x in e]


def argmax(values):
    best = 0
    for j in range(1, len(values)):
        if values[j] > values[best]:
            best = j
    return best


def training_pairs(ids, n):
    return [(ids[i:i + n], ids[i + n]) for i in range(len(ids) - n)]


def write_csv(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # The csv module for its quoting, with "\n" line ends as the series'
    # repositories commit them (its default is "\r\n").
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerows(rows)


def write_json(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        json.dump(data, f)
        f.write("\n")
