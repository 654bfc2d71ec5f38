#!/usr/bin/env python3
"""Benchmark the exhaustive explorer (`bqsim explore`, single-threaded): for each configuration
of scenarios/explore/ (and, with --all, the larger writer-and-reader space of mr-masking, cut
at --max-states), print the states explored per second (successor states computed), distinct
states per second, the space's size and time, and the peak memory (GNU time). The explorer's
target is at least 100,000 states explored per second on one core. Standard library only. A
benchmark prints figures; it never fails on a missed target (STYLE.md, Tests).
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(REPO / "scripts"))
from bqsim_common import Parser, UserError, find_bqsim, main_guard, positive  # noqa: E402
TIME = "/usr/bin/time"
TARGET = 100_000

CONFIGS = [
    ("mr-masking f=1 n=5, write then read", "scenarios/explore/mr-masking-write-then-read.json", []),
    ("sbq-masking f=1 n=4, writer + reader", "scenarios/explore/sbq-masking-writer-reader.json", []),
    ("sbq-dissemination f=1 n=3, writer + reader",
     "scenarios/explore/sbq-dissemination-writer-reader.json", []),
    ("sbq-masking f=0 n=2, two writes then a read", "scenarios/explore/sbq-masking-two-writes.json",
     []),
]
LARGE = ("mr-masking f=1 n=5, writer + reader (cut)",
         "scenarios/explore/mr-masking-write-then-read.json",
         ["--set", 'workload.script=[["write"],["read"]]'])


def run(bqsim, scenario, extra, max_states):
    with tempfile.TemporaryDirectory() as tmp:
        rss = Path(tmp) / "rss"
        cmd = [bqsim, "explore", str(REPO / scenario), "--json", "--max-states", str(max_states),
               "--schedule", str(Path(tmp) / "schedule.json")] + extra
        if os.access(TIME, os.X_OK):
            cmd = [TIME, "-f", "%M", "-o", str(rss)] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if not proc.stdout.strip():
            raise UserError(f"{' '.join(cmd)}: {proc.stderr.strip()}")
        report = json.loads(proc.stdout)
        report["peak_mb"] = int(rss.read_text().split()[-1]) / 1024 if rss.exists() else None
        return report


def main(argv):
    p = Parser(prog="bench_explore.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--bqsim", help="bqsim binary (default: $BQSIM, else build/bqsim)")
    p.add_argument("--all", action="store_true",
                   help="also the mr-masking writer + reader space, cut at --max-states")
    p.add_argument("--max-states", type=positive, default=5_000_000,
                   help="limit for the cut configuration (default 5,000,000)")
    args = p.parse_args(argv)
    args.bqsim = find_bqsim(args.bqsim)
    print(f"{'configuration':<46} {'outcome':<10} {'distinct':>10} {'explored':>11} "
          f"{'seconds':>8} {'explored/s':>11} {'distinct/s':>11} {'peak MB':>8}")
    configs = CONFIGS + ([LARGE] if args.all else [])
    for label, scenario, extra in configs:
        limit = args.max_states if (label, scenario, extra) == LARGE else 100_000_000
        r = run(args.bqsim, scenario, extra, limit)
        peak = f"{r['peak_mb']:.0f}" if r["peak_mb"] is not None else "-"
        print(f"{label:<46} {r['outcome']:<10} {r['distinct']:>10} {r['explored']:>11} "
              f"{r['seconds']:>8.2f} {r['states_per_s']:>11.0f} "
              f"{r['distinct'] / r['seconds'] if r['seconds'] else 0:>11.0f} {peak:>8}",
              flush=True)
    print(f"target: >= {TARGET} states explored per second on one core")
    return 0


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
