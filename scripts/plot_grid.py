"""The expected grid of a batch sweep, so a figure drawn from an interrupted or partial sweep
says so. For each scenario, the grid is every point of the cross product of its `sweep`
block times every seed present: the swept values come from the source scenario file named in
the runs' batch.json (when it can still be read) together with the values the runs record,
and the seeds are all the seeds any of its runs (complete or not) used."""
import itertools
import json
from pathlib import Path

from bqsim_stats import natural_key, value_key
from plot_collect import read_json

REPO = Path(__file__).resolve().parent.parent


def canon(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def source_sweep(batch, run_dir):
    """The `sweep` block of the scenario file the batch ran, looked for as recorded (relative
    to the working directory), then relative to this repository; {} when it cannot be read."""
    name = batch.get("scenario_file")
    if not isinstance(name, str):
        return {}
    for p in (Path(name), REPO / name, run_dir / name):
        try:
            doc = read_json(p)
        except (OSError, ValueError):
            continue
        sweep = doc.get("sweep") if isinstance(doc, dict) else None
        if isinstance(sweep, dict) and all(isinstance(v, list) for v in sweep.values()):
            return sweep
        return {}
    return {}


def plain(text):
    """A canonical JSON value as a label shows it: strings without their quotes."""
    v = json.loads(text)
    return v if isinstance(v, str) else text


class Gap:
    """One scenario whose sweep grid is not complete."""

    def __init__(self, scenario, expected, found, missing, points, seeds):
        self.scenario, self.expected, self.found = scenario, expected, found
        self.missing, self.points, self.seeds = missing, points, seeds

    def text(self):
        eg = "; ".join(", ".join(f"{k}={plain(v)}" for k, v in point) + f" seed {plain(seed)}"
                       for point, seed in self.missing[:2])
        more = f" and {len(self.missing) - 2} more" if len(self.missing) > 2 else ""
        return (f"{self.scenario}: incomplete sweep: {self.found} of {self.expected} runs "
                f"({self.points} points x {self.seeds} seeds); missing {eg}{more}")


def check(runs, incomplete_dirs):
    """Gaps of every batch scenario among the runs. Runs made by `bqsim run` alone (no
    batch.json) have no grid and are not checked."""
    by_name = {}
    for r in runs:
        if r.batch:
            by_name.setdefault(r.name, {"found": set(), "axes": {}, "seeds": set(),
                                        "dirs": []})
            g = by_name[r.name]
            point = tuple(sorted((k, canon(v)) for k, v in (r.batch.get("sweep") or {}).items()))
            g["found"].add((point, canon(r.seed)))
            g["seeds"].add(canon(r.seed))
            g["dirs"].append((r.batch, r.dir))
            for k, v in (r.batch.get("sweep") or {}).items():
                g["axes"].setdefault(k, set()).add(canon(v))
    for d in incomplete_dirs:  # an interrupted run still tells which seed the batch used
        try:
            b = read_json(Path(d) / "batch.json")
            name = b.get("inputs", {}).get("scenario", {}).get("name")
        except (OSError, ValueError, AttributeError):
            continue
        if name in by_name and "seed" in b:
            by_name[name]["seeds"].add(canon(b["seed"]))
    gaps = []
    for name, g in sorted(by_name.items()):
        axes = g["axes"]
        for batch, run_dir in g["dirs"][:1]:
            for k, values in source_sweep(batch, run_dir).items():
                if k in axes or not axes:
                    axes.setdefault(k, set()).update(canon(v) for v in values)
        keys = sorted(axes)
        grid = [tuple(zip(keys, vals)) for vals in itertools.product(
            *(sorted(axes[k], key=lambda t: value_key(json.loads(t))) for k in keys))]
        seeds = sorted(g["seeds"], key=natural_key)
        missing = [(point, s) for point in grid for s in seeds if (point, s) not in g["found"]]
        if missing:
            shown = [(tuple((k, v) for k, v in point), s) for point, s in missing]
            gaps.append(Gap(name, len(grid) * len(seeds), len(grid) * len(seeds) - len(missing),
                            shown, len(grid), len(seeds)))
    return gaps
