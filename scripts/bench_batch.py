#!/usr/bin/env python3
"""Benchmark the path from a sweep to the results database, in a temporary directory:
  1. batch overhead: the same runs as bare `bqsim run` processes one after the other, and
     through `bqsim-batch -j 1` (expand, temp directory and rename, batch.json, bqsim.log,
     ingest, runs.csv); prints the difference per run;
  2. ingest rate: 10,000 run directories ingested by `bqsim-db ingest` into a new database,
     then again (nothing to add). Running 10,000 simulations would measure bqsim, not the
     ingest: the directories are copies of a few real runs with their seed and scenario hash
     rewritten (each a distinct key), which the ingest cannot tell from real ones.
Prints figures; never fails on them. Standard library only.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bqsim_common import Parser, UserError, find_bqsim, main_guard, positive  # noqa: E402

SCENARIO = {"name": "bench-batch", "protocol": {"name": "sbq-masking", "f": 1},
            "workload": {"clients": 4, "ops_per_client": 100, "read_fraction": 0.8,
                         "think_time": {"dist": "exponential", "mean_s": 0.002}},
            "network": {"delay": {"dist": "lognormal", "median_s": 0.001, "sigma": 0.6}},
            "sweep": {"protocol.name": ["sbq-masking", "mr-masking"], "protocol.f": [1, 2]}}


def timed(cmd, **kw):
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise UserError(f"{' '.join(map(str, cmd[:3]))}... exited {p.returncode}: "
                        f"{(p.stderr.strip().splitlines() or [''])[-1]}")
    return time.perf_counter() - start, p


def overhead(bqsim, work, seeds):
    scenario = work / "bench.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    lines = [json.loads(l) for l in subprocess.run(
        [bqsim, "expand", str(scenario), "--seeds", str(seeds)], capture_output=True, text=True,
        check=True).stdout.splitlines()]
    start = time.perf_counter()
    for l in lines:
        subprocess.run([bqsim, "run", str(scenario), "--point", l["point"], "--seed",
                        str(l["seed"]), "--out", str(work / "bare" / l["dir"]), "-q"],
                       check=True, stdout=subprocess.DEVNULL)
    bare = time.perf_counter() - start
    batch, _ = timed([sys.executable, str(HERE / "bqsim-batch"), str(scenario), "--seeds",
                      str(seeds), "--out", str(work / "batch"), "-j", "1", "--bqsim", bqsim])
    n = len(lines)
    print(f"batch overhead ({n} runs of {len(SCENARIO['sweep'])} swept fields, -j 1):")
    print(f"  bare `bqsim run`, one after the other  {bare:8.2f} s  {bare / n * 1e3:7.1f} ms/run")
    print(f"  bqsim-batch -j 1 (ingest included)     {batch:8.2f} s  {batch / n * 1e3:7.1f} ms/run")
    print(f"  overhead                               {batch - bare:8.2f} s  "
          f"{(batch - bare) / n * 1e3:7.1f} ms/run")
    return work / "batch" / "bench-batch"


def synthesise(source_root, target, count):
    """count run directories under target, copied round robin from the real runs under
    source_root, each with its own seed and scenario hash."""
    sources = sorted(p.parent for p in source_root.glob("*/seed-*/manifest.json"))
    if not sources:
        raise UserError(f"no run under {source_root} to copy")
    files = {}
    for s in sources:
        files[s] = {f.name: f.read_bytes() for f in s.iterdir() if f.is_file()}
    for i in range(count):
        src = sources[i % len(sources)]
        d = target / src.parent.name / f"seed-{100000 + i}"
        d.mkdir(parents=True)
        for name, data in files[src].items():
            if name in ("summary.json", "manifest.json"):
                doc = json.loads(data)
                doc["seed"] = 100000 + i
                if name == "manifest.json":
                    doc["scenario_hash"] = f"{i:016x}"
                else:
                    doc["scenario"]["hash"] = f"{i:016x}"
                data = json.dumps(doc, indent=2).encode()
            (d / name).write_bytes(data)


def ingest_rate(bqsim, runs_root, work, count, with_ops):
    target = work / "synthetic"
    start = time.perf_counter()
    synthesise(runs_root, target, count)
    made = time.perf_counter() - start
    db = work / "ingest.sqlite"
    cmd = [sys.executable, str(HERE / "bqsim-db"), "ingest", str(target), "--db", str(db),
           "--bqsim", bqsim] + (["--with-ops"] if with_ops else [])
    first, p = timed(cmd)
    again, _ = timed(cmd)
    size = db.stat().st_size / 2**20
    print(f"ingest ({count} run directories synthesised from real runs in {made:.1f} s"
          f"{', with --with-ops' if with_ops else ''}):")
    print(f"  into a new database   {first:7.2f} s  {count / first:8.0f} runs/s  ({size:.1f} MiB)")
    print(f"  again (all present)   {again:7.2f} s  {count / again:8.0f} runs/s")
    print(f"  {p.stdout.strip()}")


def main(argv):
    p = Parser(prog="bench_batch.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=positive, default=10,
                   help="seeds per point for the overhead runs (4 points; default %(default)s)")
    p.add_argument("--runs", type=positive, default=10000,
                   help="run directories to ingest (default %(default)s)")
    p.add_argument("--with-ops", action="store_true", help="also time an ingest --with-ops")
    p.add_argument("--bqsim", help="bqsim binary (default: $BQSIM, else build/bqsim)")
    args = p.parse_args(argv)
    bqsim = find_bqsim(args.bqsim)
    work = Path(tempfile.mkdtemp(prefix="bqsim-bench-batch-"))
    try:
        runs_root = overhead(bqsim, work, args.seeds)
        ingest_rate(bqsim, runs_root, work, args.runs, False)
        if args.with_ops:
            shutil.rmtree(work / "synthetic")
            os.remove(work / "ingest.sqlite")
            ingest_rate(bqsim, runs_root, work, args.runs, True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
