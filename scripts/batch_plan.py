"""What a batch runs, for scripts/bqsim-batch: the runs `bqsim expand` lists for each scenario
file (points × seeds, or one shard of them), which of them are already complete, the expected
grid of each sweep, and the files that let a batch be resumed. Standard library only.

Layout of OUT (results/README.md): <scenario>/<point>/seed-<s>/ per run, <scenario>/runs.csv
and <scenario>/sweep.json per scenario, results.sqlite, and .bqsim-batch/ (state.json, the
arguments of the last batch for --resume; tmp/, runs being written; one directory per
submission to an engine with its plan and logs).
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

from bqsim_common import UserError, read_json, write_json

MAX_RUNS = 100_000   # as `bqsim expand`: a typo in a sweep should not queue a million runs
STATE_DIR = ".bqsim-batch"


class Run:
    """One run of a batch: a point of a scenario file with one seed, and where it goes."""

    def __init__(self, line, file, out):
        self.file = str(Path(file).resolve())  # workers may start elsewhere
        self.given_file = file                 # as the user wrote it, for messages
        self.index = line["run"]
        self.scenario = line["scenario"]
        self.point = line["point"]
        self.overrides = line["overrides"]
        self.seed = line["seed"]
        self.hash = line["hash"]
        self.rel = Path(line["dir"])
        self.dir = out / self.rel
        self.skipped = False
        self.record = None  # batch.json of the run, once it ran

    def as_dict(self):
        return {"file": self.file, "run": self.index, "scenario": self.scenario,
                "point": self.point, "overrides": self.overrides, "seed": self.seed,
                "hash": self.hash, "dir": self.rel.as_posix()}

    @classmethod
    def from_dict(cls, d, out):
        return cls(d, d["file"], out)

    def complete(self):
        """bqsim wrote this run's manifest, for this very scenario (same hash: same file
        contents, point, seed and --set overrides)."""
        try:
            return read_json(self.dir / "manifest.json").get("scenario_hash") == self.hash
        except (OSError, ValueError):
            return False

    def load_record(self):
        try:
            self.record = read_json(self.dir / "batch.json")
        except (OSError, ValueError):
            self.record = None
        return self.record


def expand(bqsim, file, args, shard=None):
    """The lines of `bqsim expand` for one file; UserError with bqsim's own error line."""
    cmd = [bqsim, "expand", file]
    if args.seeds:
        cmd += ["--seeds", str(args.seeds)]
    if args.seed_list:
        cmd += ["--seed-list", ",".join(map(str, args.seed_list))]
    for s in args.set:
        cmd += ["--set", s]
    if shard:
        cmd += ["--shard", shard]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise UserError(f"cannot run {bqsim}: {e.strerror or e}")
    if p.returncode != 0:
        line = (p.stderr.strip().splitlines() or [f"bqsim expand exited {p.returncode}"])[-1]
        raise UserError(line.removeprefix("error: "))
    return [json.loads(line) for line in p.stdout.splitlines()]


def plan(bqsim, args, out):
    """(runs of this batch in order, the expected grid of each scenario for the sweeps table).
    Raises UserError."""
    runs, grids, owner = [], [], {}
    for file in args.scenarios:
        lines = expand(bqsim, file, args)
        name = lines[0]["scenario"]
        dname = Path(lines[0]["dir"]).parts[0]
        if dname in owner:
            raise UserError(f"{file}: scenario name '{name}' is also used by {owner[dname]}; "
                            f"their output directories would collide")
        owner[dname] = file
        points = list(dict.fromkeys(l["point"] for l in lines))
        seeds = list(dict.fromkeys(l["seed"] for l in lines))
        grids.append({"scenario": name, "dir": dname, "scenario_file": file,
                      "swept_paths": sorted(lines[0]["overrides"]), "points": points,
                      "seeds": seeds, "expected_runs": len(lines)})
        if args.shard:
            lines = expand(bqsim, file, args, args.shard)
        runs += [Run(l, file, out) for l in lines]
        if len(runs) > MAX_RUNS:
            raise UserError(f"more than {MAX_RUNS} runs; split the batch")
    return runs, grids


def write_sweep_json(out, grid):
    """OUT/<scenario>/sweep.json: the grid a complete sweep fills, for readers of the
    directories (the database has it in its sweeps table)."""
    d = out / grid["dir"]
    d.mkdir(parents=True, exist_ok=True)
    write_json(d / "sweep.json", {k: v for k, v in grid.items() if k != "dir"})


def state_dir(out):
    return out / STATE_DIR


def save_state(out, doc):
    d = state_dir(out)
    d.mkdir(parents=True, exist_ok=True)
    write_json(d / "state.json", doc)


def load_state(out):
    path = state_dir(out) / "state.json"
    try:
        return read_json(path)
    except FileNotFoundError:
        raise UserError(f"--resume: expected a batch directory with {STATE_DIR}/state.json, "
                        f"got {out} (no batch ran there)")
    except (OSError, ValueError) as e:
        raise UserError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}")


def clean_tmp(out, runs):
    """Removes what earlier attempts at these runs left in the temp area (a killed worker's
    half-written directory). REQUIRES: none of these runs is being run right now."""
    tmp = state_dir(out) / "tmp"
    if not tmp.is_dir():
        return
    hashes = {r.hash for r in runs}
    for d in tmp.iterdir():
        if d.name.split(".", 1)[0] in hashes:
            shutil.rmtree(d, ignore_errors=True)


def prepare_out(out):
    if out.exists() and not out.is_dir():
        raise UserError(f"--out: expected a directory, got the file {out}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"--out: expected a directory that can be created, got {out} "
                        f"({e.strerror or e})")
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"--out: expected a writable directory, got {out}")
