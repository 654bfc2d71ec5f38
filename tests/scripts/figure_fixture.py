"""A small real sweep for the figure tests: bqsim-batch runs a scenario (2 protocols x 2 f x
2 n x 2 seeds, lossy, with a Byzantine window) in a temporary directory, and the helpers here
read its runs back independently of bqsim-plot's own modules, so a test compares the figures'
CSVs with what the runs contain."""
import csv
import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BQSIM = str(Path(os.environ.get("BQSIM") or ROOT / "build" / "bqsim").resolve())
PYTHON = "/usr/bin/python3"

SCENARIO = {
    "name": "fig-test", "seed": 1,
    # sbq- and mr-masking assume reliable channels: lossy runs of them are unsafe by choice.
    "allow_unsafe": True,
    "protocol": {"name": "sbq-masking", "f": 1},
    "workload": {"clients": 3, "ops_per_client": 40, "read_fraction": 0.7,
                 "think_time": {"dist": "exponential", "mean_s": 0.002}},
    "network": {"delay": {"dist": "lognormal", "median_s": 0.001, "sigma": 0.5},
                "loss_probability": 0.02},
    "byzantine": [{"servers": [0], "behaviours": [{"kind": "silent", "from_s": 0.02,
                                                   "until_s": 0.06}]}],
    "limits": {"max_sim_time_s": 2},
    "sweep": {"protocol.name": ["sbq-masking", "mr-masking"], "protocol.f": [1, 2],
              "protocol.n": [9, 11]},
}
SEEDS = 2


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


def plot(*args):
    return run([ROOT / "scripts" / "bqsim-plot", *args], env=dict(os.environ,
                                                                  BQSIM_PYTHON=PYTHON))


class Sweep:
    """The sweep, run once per test module."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="bqsim-figtest-"))
        scenario = self.tmp / "fig-test.json"
        scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
        r = run([PYTHON, ROOT / "scripts" / "bqsim-batch", scenario, "--seeds", SEEDS,
                 "--out", self.tmp / "out", "--bqsim", BQSIM, "-j", "2"], cwd=self.tmp)
        if r.returncode != 0:
            raise RuntimeError(f"bqsim-batch failed ({r.returncode}): {r.stderr}")
        self.dir = self.tmp / "out" / "fig-test"
        self.runs = sorted(p.parent for p in self.dir.glob("*/seed-*/manifest.json"))
        assert len(self.runs) == 16, self.runs

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def number(text):
    """A CSV cell: "stuck" is +inf, "" is None."""
    if text == "stuck":
        return math.inf
    return None if text == "" else float(text)


def point(run_dir):
    return json.loads((run_dir / "batch.json").read_text())["sweep"]


def summary(run_dir):
    return json.loads((run_dir / "summary.json").read_text())


def latencies(run_dir, measure):
    """Per operation, stuck (outcome timeout) as +inf; measure read, write or effective."""
    out = []
    for row in read_csv(run_dir / "ops.csv"):
        if measure == "effective":
            if row["kind"] == "write":
                out.append(float(row["effective_s"]) - float(row["invoke_s"])
                           if row["effective_s"] else math.inf)
        elif row["kind"] == measure:
            out.append(math.inf if row["outcome"] == "timeout" else float(row["latency_s"]))
    return out


def nearest_rank(values, p):
    xs = sorted(values)
    return xs[min(max(math.ceil(p / 100.0 * len(xs)), 1), len(xs)) - 1]


def messages_per(run_dir, kind):
    types = {"read": {"read", "read_reply"},
             "write": {"ts_query", "ts_reply", "write", "write_ack"}}[kind]
    sent = sum(int(r["sent"]) for r in read_csv(run_dir / "messages.csv") if r["type"] in types)
    ops = sum(1 for r in read_csv(run_dir / "ops.csv") if r["kind"] == kind)
    return sent / ops if ops else None
