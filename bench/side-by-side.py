# Two builds of toy-gpt-tui side by side: the whole animals `train` process
# and the explorer's first frame (80x24 pseudo-terminal, bench/first-frame.py),
# alternating the builds run by run, one process at a time.
#
#   python3 bench/side-by-side.py OLD_CHECKOUT NEW_CHECKOUT [RUNS=41]
#
# Each checkout must be built (npm run build). Prints each build's medians and
# how much faster NEW is, with a 95% bootstrap interval of the difference of
# medians (4,000 resamples, seeded).
import os, random, statistics, subprocess, sys, tempfile, time
from importlib import util

here = os.path.dirname(os.path.abspath(__file__))
spec = util.spec_from_file_location("first_frame", os.path.join(here, "first-frame.py"))
first_frame = util.module_from_spec(spec)
spec.loader.exec_module(first_frame)

old, new = (os.path.abspath(path) for path in sys.argv[1:3])
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
builds = {"old": old, "new": new}
out = tempfile.mkdtemp()
times = {(name, metric): [] for name in builds for metric in ("train", "frame")}

for run in range(runs + 1):  # run 0 warms the disk cache and is not counted
    for name, root in builds.items():
        cli = os.path.join(root, "dist", "cli.cjs")
        start = time.monotonic()
        subprocess.run(["node", cli, "train", "--artifacts", os.path.join(out, name, "a"), "--outputs", os.path.join(out, name, "o")],
                       cwd=root, stdout=subprocess.DEVNULL, check=True)
        train = (time.monotonic() - start) * 1000
        frame = first_frame.first_frame(["node", cli], root)
        if frame is None:
            sys.exit(f"{name}: no first frame")
        if run > 0:
            times[(name, "train")].append(train)
            times[(name, "frame")].append(frame * 1000)

rng = random.Random(1)
for metric in ("train", "frame"):
    a, b = times[("old", metric)], times[("new", metric)]
    gain = statistics.median(a) - statistics.median(b)
    boot = sorted(statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b))) for _ in range(4000))
    print(f"{metric}: old {statistics.median(a):.1f} ms, new {statistics.median(b):.1f} ms, "
          f"new faster by {gain:.1f} ms (95% interval {boot[100]:.1f} to {boot[3899]:.1f}), {runs} alternating runs each")
