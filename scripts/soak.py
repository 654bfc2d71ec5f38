#!/usr/bin/env python3
"""Soak: one bqsim run of many operations (10 million by default), its memory sampled over time.

    scripts/soak.py [--ops N] [--clients C] [--protocol P] [--interval S] [--bqsim PATH]

Runs P (default sbq-masking, f = 1, constant 1 ms delays, 90% reads, no think time) with C
closed-loop clients doing N operations in all, and reads the run's resident memory (VmRSS in
/proc/PID/status) every S seconds. Prints the samples, the peak (VmHWM) and the growth while
simulating in bytes per operation. bqsim reports no progress while it runs, so operations are
taken as evenly spread over the simulation's wall time, which ends at the largest step up (the
checker and the outputs start). The run's nodes hold a bounded state; what grows is what the
outputs must hold: one row per operation (ops.csv, the checker) and the recorder's index from
operation id to row (README "Benchmarks"). Standard library only; prints figures, never fails on
them.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def status_kb(pid, field):
    """VmRSS / VmHWM of a live process in kB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def main():
    ap = Parser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ops", type=int, default=10_000_000, help="operations in all (default 10M)")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--protocol", default="sbq-masking")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between samples")
    ap.add_argument("--bqsim", default=str(REPO / "build" / "bqsim"))
    ap.add_argument("--keep", action="store_true", help="keep the run's output directory")
    args = ap.parse_args()
    if args.ops < args.clients or args.clients < 1:
        ap.error("--ops must be at least --clients, and --clients at least 1")
    if not os.access(args.bqsim, os.X_OK):
        print(f"error: {args.bqsim}: expected the bqsim binary (build it first), got nothing",
              file=sys.stderr)
        return 2
    per_client = args.ops // args.clients
    ops = per_client * args.clients
    scenario = {
        "name": "soak",
        "seed": 1,
        "protocol": {"name": args.protocol, "f": 1},
        "workload": {"clients": args.clients, "ops_per_client": per_client,
                     "read_fraction": 0.9, "think_time": {"dist": "constant", "value_s": 0}},
        "network": {"delay": {"dist": "constant", "value_s": 0.001}},
        "limits": {"max_sim_time_s": 1e9, "max_messages": 10**12},
    }
    work = Path(tempfile.mkdtemp(prefix="bqsim-soak-"))
    (work / "soak.json").write_text(json.dumps(scenario))
    cmd = [args.bqsim, "run", str(work / "soak.json"), "--out", str(work / "out"), "-q"]
    print(f"soak: {ops} operations ({args.clients} clients x {per_client}), {args.protocol} f=1, "
          f"sampling VmRSS every {args.interval} s")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    samples = []  # (wall s, rss kB)
    hwm = 0
    while proc.poll() is None:
        rss = status_kb(proc.pid, "VmRSS")
        hwm = max(hwm, status_kb(proc.pid, "VmHWM") or 0)
        if rss is not None:
            samples.append((time.monotonic() - start, rss))
            print(f"  {samples[-1][0]:7.1f} s  {rss / 1024:8.1f} MB", flush=True)
        time.sleep(args.interval)
    wall = time.monotonic() - start
    code = proc.returncode
    summary = work / "out" / "summary.json"
    ops_csv = work / "out" / "ops.csv"
    print(f"exit {code}, {wall:.1f} s wall; peak resident (VmHWM) {hwm / 1024:.1f} MB")
    if summary.exists():
        s = json.loads(summary.read_text())
        done = sum(s["operations"][k]["count"] for k in ("read", "write"))
        print(f"operations recorded: {done}; messages sent: {s['messages']['total']['sent']}")
    if ops_csv.exists():
        print(f"ops.csv: {ops_csv.stat().st_size / 2**20:.0f} MB on disk")
    if len(samples) >= 4:
        # Growth while simulating: from the end of warm-up (10% of the samples) to the sample
        # before the largest step (the end of the run: checker and outputs).
        steps = [b[1] - a[1] for a, b in zip(samples, samples[1:])]
        end = max(range(len(steps)), key=lambda i: steps[i])
        warm = max(1, len(samples) // 10)
        if end > warm:
            (t0, r0), (t1, r1) = samples[warm], samples[end]
            share = (t1 - t0) / samples[end][0] if samples[end][0] > 0 else 0
            est_ops = ops * share
            rate = (r1 - r0) * 1024 / est_ops if est_ops > 0 else float("nan")
            print(f"while simulating ({t0:.0f}-{t1:.0f} s): {r0 / 1024:.1f} -> {r1 / 1024:.1f} MB,"
                  f" about {rate:.0f} bytes per operation (operations assumed even in wall time)")
        print(f"at the end (checker and outputs): peak {hwm * 1024 / ops:.0f} bytes per operation")
    if not args.keep:
        for p in sorted(work.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        work.rmdir()
    else:
        print(f"kept {work}")
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main())
