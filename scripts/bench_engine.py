#!/usr/bin/env python3
"""Benchmark bqsim's engine against a plain priority-queue event loop (bqsim_pq_bench) on the
same message pattern: sbq-masking and mr-masking at f = 1, 10, 100 (n the minimum for f),
100 closed-loop clients, read fraction 0.5, constant and exponential delays (0.001 s).
Prints simulated messages delivered per wall-clock second and peak memory of each, and the
engine targets (>= 1 M msgs/s at f=1, >= 200 k msgs/s at f=100). Standard library only.
A benchmark prints figures; it never fails on a missed target (STYLE.md, Tests).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CLIENTS = 100
READ_FRACTION = 0.5
DELAY_S = 0.001
# Servers per fault (n = k f + 1) and messages per write as a multiple of n (PROTOCOLS.md §7:
# a read costs 2n messages, an SBQ write 3n, an MR write 4n).
PROTOCOLS = {"sbq-masking": (3, 3), "mr-masking": (4, 4)}
DELAYS = {"constant": {"dist": "constant", "value_s": DELAY_S},
          "exponential": {"dist": "exponential", "mean_s": DELAY_S}}
TARGETS = {1: 1_000_000, 100: 200_000}  # msgs/s the engine must reach, by f
REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(REPO / "scripts"))
from bqsim_common import Parser, UserError, main_guard  # noqa: E402
TIME = "/usr/bin/time"  # GNU time: exact per-run peak memory (see measure)


def measure(cmd, log, timeout_s):
    """Runs cmd, output to log; returns (exit status or "timeout", wall s, peak RSS kB, exact).

    Peak memory needs care. A child's ru_maxrss (os.wait4, or RUSAGE_CHILDREN, which is moreover
    the largest over every child reaped so far) includes the RSS of the image it replaced at
    exec: a child forked from this Python starts at Python's ~15 MB. So the child is forked by
    GNU time (/usr/bin/time -f %M, Debian package `time`), whose own RSS is ~1 MB, and reports
    that child's peak exactly. Without it, os.wait4's figure is an upper bound (exact=False).
    """
    exact = os.access(TIME, os.X_OK)
    rss_file = log.with_name(log.name + ".rss")
    full = [TIME, "-f", "%M", "-o", str(rss_file), *cmd] if exact else cmd
    with open(log, "wb") as out:
        start = time.perf_counter()
        # A session of its own, so a time-out kills the measured program, not only GNU time.
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        timer = threading.Timer(timeout_s, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
    rss = usage.ru_maxrss
    if exact:
        try:  # GNU time's last line is %M; a line before it may say the command was killed
            rss = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            exact = False
    timed_out = wall >= timeout_s and code != 0
    return ("timeout" if timed_out else code), wall, rss, exact


def last_line(path):
    lines = [l for l in Path(path).read_text(errors="replace").splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("error:")]
    return (errors or lines or ["(no output)"])[-1]


def failure(what, code, timeout_s, log):
    if code == "timeout":
        return f"{what} killed after --timeout {timeout_s:g} s"
    return f"{what} exited {code}: {last_line(log)}"


def ops_per_client(protocol, f, messages):
    k, write_mult = PROTOCOLS[protocol]
    n = k * f + 1
    per_op = READ_FRACTION * 2 * n + (1 - READ_FRACTION) * write_mult * n
    return n, max(1, round(messages / per_op / CLIENTS))


def run_bqsim(bqsim, protocol, f, delay, messages, work, timeout_s):
    n, k = ops_per_client(protocol, f, messages)
    name = f"bench-{protocol}-f{f}-{delay}"
    scenario = {"name": name, "seed": 1, "protocol": {"name": protocol, "f": f},
                "workload": {"clients": CLIENTS, "ops_per_client": k,
                             "read_fraction": READ_FRACTION, "value_bytes": 64},
                "network": {"delay": DELAYS[delay]}}
    path = work / f"{name}.json"
    path.write_text(json.dumps(scenario, indent=2) + "\n")
    out = work / name
    code, wall, rss, exact = measure(
        [bqsim, "run", str(path), "--out", str(out), "--seed", "1"], work / f"{name}.log",
        timeout_s)
    if code not in (0, 1):  # 1 (a checker verdict) still measured the engine
        return {"error": failure("bqsim", code, timeout_s, work / f"{name}.log")}
    try:
        summary = json.loads((out / "summary.json").read_text())
        manifest = json.loads((out / "manifest.json").read_text())
        delivered = int(summary["messages"]["total"]["delivered"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        return {"error": f"bqsim wrote no readable summary.json/manifest.json ({e})"}
    engine_s = manifest.get("wall_clock_s")  # bqsim's own: engine and checker, no start-up
    return {"n": n, "delivered": delivered, "wall": wall, "rss_kb": rss, "exact": exact,
            "engine_rate": delivered / engine_s if isinstance(engine_s, (int, float))
            and engine_s > 0 else None,
            "version": f"bqsim {manifest.get('bqsim_version', '?')}, SimGrid "
                       f"{manifest.get('simgrid_version', '?')}"}


def run_pq(pq, protocol, f, delay, messages, work, timeout_s):
    log = work / f"pq-{protocol}-f{f}-{delay}.log"
    cmd = [pq, "--protocol", protocol, "--f", str(f), "--clients", str(CLIENTS),
           "--messages", str(messages), "--delay-dist", delay, "--delay-s", str(DELAY_S),
           "--read-fraction", str(READ_FRACTION), "--seed", "1"]
    code, wall, rss, exact = measure(cmd, log, timeout_s)
    if code != 0:
        return {"error": failure("bqsim_pq_bench", code, timeout_s, log)}
    try:
        result = json.loads(log.read_text().strip().splitlines()[-1])
        return {"delivered": int(result["delivered"]), "wall": wall, "rss_kb": rss,
                "exact": exact}
    except (ValueError, KeyError, IndexError) as e:
        return {"error": f"bqsim_pq_bench printed no result line ({e})"}


def rate_text(r):
    return f"{r / 1e6:.2f} M" if r >= 1e6 else f"{r / 1e3:.1f} k"


def mb_text(r):
    return f"{'' if r['exact'] else '<='}{r['rss_kb'] / 1024:.1f}"


def find(arg, env, default, what, how):
    path = Path(arg or os.environ.get(env) or default)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise UserError(f"{what} binary not found at {path}; {how}")
    return str(path.resolve())


def f_list(text):
    try:
        fs = sorted({int(x) for x in text.split(",")})
    except ValueError:
        fs = [-1]
    if not fs or min(fs) < 0 or max(fs) > 1000:
        raise argparse.ArgumentTypeError(f"expected integers in [0, 1000], got '{text}'")
    return fs


def parse_args(argv):
    p = Parser(prog="bench_engine.py", description=__doc__.split("\n\n")[0],
               epilog="Exit status: 0 every run completed (targets met or not); 1 a run "
                      "failed; 2 bad usage or a missing binary.")
    p.add_argument("--quick", action="store_true",
                   help="about 100k messages per run instead of about 1M")
    p.add_argument("--bqsim", help="bqsim binary (default: $BQSIM, else build/bqsim)")
    p.add_argument("--pq", help="priority-queue baseline (default: $BQSIM_PQ_BENCH, else "
                                "build/bqsim_pq_bench)")
    p.add_argument("--f", type=f_list, default=[1, 10, 100], metavar="F1,F2,...",
                   help="fault counts to run (default: 1,10,100)")
    p.add_argument("--timeout", type=float, default=1800, metavar="SECONDS",
                   help="kill a run after this long (default: %(default)s)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    bqsim = find(args.bqsim, "BQSIM", REPO / "build" / "bqsim", "bqsim",
                 "build it with scripts/setup.sh")
    pq = find(args.pq, "BQSIM_PQ_BENCH", REPO / "build" / "bqsim_pq_bench", "bqsim_pq_bench",
              "build it with scripts/setup.sh (CMake target bqsim_pq_bench)")
    messages = 100_000 if args.quick else 1_000_000
    cols = ["protocol", "f", "n", "delay", "messages", "bqsim msg/s", "(in-process)",
            "bqsim MB", "pq msg/s", "pq MB", "pq/bqsim", "target (bqsim msg/s)"]
    rows, notes, failed, version = [], [], 0, None
    print(f"{os.cpu_count()} CPUs; ~{messages:,} messages per run; {CLIENTS} clients; read "
          f"fraction {READ_FRACTION}; delay {DELAY_S} s.\nRates: messages delivered per "
          f"wall-clock second of the whole process (start-up, checker, output files);\n"
          f"(in-process) divides by bqsim's own wall_clock_s from manifest.json instead. "
          f"Targets apply to the whole-process rate.", flush=True)
    with tempfile.TemporaryDirectory(prefix="bqsim-bench-") as tmp:
        work = Path(tmp)
        for protocol in PROTOCOLS:
            for f in args.f:
                for delay in DELAYS:
                    print(f"running {protocol} f={f} {delay} ...", file=sys.stderr, flush=True)
                    b = run_bqsim(bqsim, protocol, f, delay, messages, work, args.timeout)
                    version = version or b.get("version")
                    q = run_pq(pq, protocol, f, delay, b.get("delivered", messages), work,
                               args.timeout)
                    n = PROTOCOLS[protocol][0] * f + 1
                    row = [protocol, f, n, delay]
                    for r in (b, q):
                        if "error" in r:
                            failed += 1
                            notes.append(f"{protocol} f={f} {delay}: {r['error']}")
                    if "error" in b:
                        row += [q.get("delivered", "-"), "FAILED", "-", "-"]
                    else:
                        b_rate = b["delivered"] / b["wall"]
                        engine = b["engine_rate"]
                        row += [b["delivered"], rate_text(b_rate),
                                rate_text(engine) if engine else "-", mb_text(b)]
                    if "error" in q:
                        row += ["FAILED", "-", "-"]
                    else:
                        q_rate = q["delivered"] / q["wall"]
                        ratio = f"{q_rate / b_rate:.1f}" if "error" not in b else "-"
                        row += [rate_text(q_rate), mb_text(q), ratio]
                    target = TARGETS.get(f)
                    if target is None:
                        row.append("-")
                    elif "error" in b:
                        row.append(f">= {rate_text(target)} n/a")
                    else:
                        row.append(f">= {rate_text(target)} "
                                   f"{'PASS' if b_rate >= target else 'MISS'}")
                    rows.append([str(x) for x in row])
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    if version:
        print(version)
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  ".join(x.ljust(w) for x, w in zip(r, widths)))
    for note in notes:
        print(f"error: {note}", file=sys.stderr)
    if args.quick:
        print("note: --quick runs are short; process start-up weighs on the rates")
    if not os.access(TIME, os.X_OK):
        print(f"note: peak MB are upper bounds (they include this Python's image at fork); "
              f"install Debian's `time` package ({TIME}) for exact figures")
    return 1 if failed else 0


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
