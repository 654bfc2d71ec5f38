#!/usr/bin/env python3
"""Benchmark bqsim's two engines side by side with a plain priority-queue event loop
(bqsim_pq_bench) doing the same message pattern, in one run: sbq-masking and mr-masking at
f = 1, 10, 100 (n the minimum for f), 100 closed-loop clients, read fraction 0.5, exponential
delays (mean 0.001 s). Each configuration runs --repeat times per program; the table shows
medians. Then the engine targets, the memory per node and per pending message, and (with
--large) the large row: sbq-masking f = 1000 (n = 3001), 10,000 clients, 2 operations each.
Standard library only (GNU time, Debian package `time`, for exact peak memory and CPU time).
A benchmark prints figures; it never fails on a missed target (STYLE.md, Tests).
"""
import argparse
import json
import os
import signal
import statistics
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
ENGINES = ("simgrid", "native")
LARGE = {"protocol": "sbq-masking", "f": 1000, "clients": 10_000, "ops": 2}
REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(REPO / "scripts"))
from bqsim_common import Parser, UserError, main_guard  # noqa: E402
TIME = "/usr/bin/time"  # GNU time: the child's exact peak memory and CPU time


def measure(cmd, log, timeout_s):
    """Runs cmd, output to log; returns a dict: code (exit status or "timeout"), wall s, cpu s
    (user + system), rss_kb, exact.

    A child's ru_maxrss as Python sees it includes the image it replaced at exec (Python's
    ~15 MB), so the child is forked by GNU time, whose own RSS is ~1 MB, and which reports the
    child's peak exactly. Without it, os.wait4's figure is an upper bound (exact=False).
    """
    exact = os.access(TIME, os.X_OK)
    stats_file = log.with_name(log.name + ".time")
    full = [TIME, "-f", "%U %S %M", "-o", str(stats_file), *cmd] if exact else cmd
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
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if exact:
        try:  # GNU time's last line holds the figures; a line before may say it was killed
            user, system, rss = stats_file.read_text().split()[-3:]
            cpu, rss = float(user) + float(system), int(rss)
        except (OSError, ValueError):
            exact = False
    timed_out = wall >= timeout_s and code != 0
    return {"code": "timeout" if timed_out else code, "wall": wall, "cpu": cpu, "rss_kb": rss,
            "exact": exact}


def last_line(path):
    lines = [l for l in Path(path).read_text(errors="replace").splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("error:")]
    return (errors or lines or ["(no output)"])[-1]


def failure(what, m, timeout_s, log):
    if m["code"] == "timeout":
        return f"{what} killed after --timeout {timeout_s:g} s"
    return f"{what} exited {m['code']}: {last_line(log)}"


def ops_per_client(protocol, f, messages, clients):
    k, write_mult = PROTOCOLS[protocol]
    n = k * f + 1
    per_op = READ_FRACTION * 2 * n + (1 - READ_FRACTION) * write_mult * n
    return n, max(1, round(messages / per_op / clients))


def run_bqsim(bqsim, engine, scenario, work, timeout_s):
    """One bqsim run; returns measure()'s dict plus delivered and the manifest, or error."""
    tag = f"{scenario['name']}-{engine}"
    path = work / f"{scenario['name']}.json"
    path.write_text(json.dumps(scenario, indent=2) + "\n")
    out, log = work / tag, work / f"{tag}.log"
    m = measure([bqsim, "run", str(path), "--out", str(out), "--engine", engine, "-q"], log,
                timeout_s)
    if m["code"] not in (0, 1):  # 1 (a checker verdict) still measured the engine
        return {"error": failure(f"bqsim --engine {engine}", m, timeout_s, log)}
    try:
        summary = json.loads((out / "summary.json").read_text())
        m["manifest"] = json.loads((out / "manifest.json").read_text())
        m["delivered"] = int(summary["messages"]["total"]["delivered"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        return {"error": f"bqsim wrote no readable summary.json/manifest.json ({e})"}
    return m


def run_pq(pq, protocol, f, clients, delay, messages, work, timeout_s):
    log = work / f"pq-{protocol}-f{f}-c{clients}-{delay}.log"
    cmd = [pq, "--protocol", protocol, "--f", str(f), "--clients", str(clients),
           "--messages", str(messages), "--delay-dist", delay, "--delay-s", str(DELAY_S),
           "--read-fraction", str(READ_FRACTION), "--seed", "1"]
    m = measure(cmd, log, timeout_s)
    if m["code"] != 0:
        return {"error": failure("bqsim_pq_bench", m, timeout_s, log)}
    try:
        m["delivered"] = int(json.loads(log.read_text().strip().splitlines()[-1])["delivered"])
    except (ValueError, KeyError, IndexError) as e:
        return {"error": f"bqsim_pq_bench printed no result line ({e})"}
    return m


def median_of(runs):
    """Medians of the repeated measurements (every run must have succeeded)."""
    ok = [r for r in runs if "error" not in r]
    if len(ok) < len(runs):
        return next(r for r in runs if "error" in r)
    out = dict(ok[0])
    for key in ("wall", "cpu", "rss_kb"):
        out[key] = statistics.median(r[key] for r in ok)
    out["exact"] = all(r["exact"] for r in ok)
    return out


def rate_text(r):
    return f"{r / 1e6:.2f} M" if r >= 1e6 else f"{r / 1e3:.0f} k"


def mb(kb):
    return f"{kb / 1024:.0f}" if kb >= 10240 else f"{kb / 1024:.1f}"


def find(arg, env, default, what, how):
    path = Path(arg or os.environ.get(env) or default)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise UserError(f"{what} binary not found at {path}; {how}")
    return str(path.resolve())


def int_list(text, lo, hi):
    try:
        xs = sorted({int(x) for x in text.split(",")})
    except ValueError:
        xs = [lo - 1]
    if not xs or min(xs) < lo or max(xs) > hi:
        raise argparse.ArgumentTypeError(f"expected integers in [{lo}, {hi}], got '{text}'")
    return xs


def names(text, valid):
    xs = [x for x in text.split(",") if x]
    bad = [x for x in xs if x not in valid]
    if not xs or bad:
        raise argparse.ArgumentTypeError(f"expected some of {', '.join(valid)}, got '{text}'")
    return xs


def parse_args(argv):
    p = Parser(prog="bench_engine.py", description=__doc__.split("\n\n")[0],
               epilog="Exit status: 0 every run completed (targets met or not); 1 a run "
                      "failed; 2 bad usage or a missing binary.")
    p.add_argument("--quick", action="store_true",
                   help="about 100k messages per run instead of about 1M")
    p.add_argument("--bqsim", help="bqsim binary (default: $BQSIM, else build/bqsim)")
    p.add_argument("--pq", help="priority-queue baseline (default: $BQSIM_PQ_BENCH, else "
                                "build/bqsim_pq_bench)")
    p.add_argument("--f", type=lambda t: int_list(t, 0, 1000), default=[1, 10, 100],
                   metavar="F1,F2,...", help="fault counts to run (default: 1,10,100)")
    p.add_argument("--protocols", type=lambda t: names(t, list(PROTOCOLS)),
                   default=list(PROTOCOLS), metavar="P1,P2",
                   help="protocols (default: sbq-masking,mr-masking)")
    p.add_argument("--delays", type=lambda t: names(t, list(DELAYS)), default=["exponential"],
                   metavar="D1,D2", help="delay distributions: exponential (default), constant")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="runs per program and configuration; medians are shown (default: 3)")
    p.add_argument("--no-memory", action="store_true",
                   help="skip the per-node memory figures (about a minute)")
    p.add_argument("--large", action="store_true",
                   help="add the large row (sbq-masking f=1000, 10,000 clients, 2 ops each): "
                        "tens of minutes, ~5 GB of memory")
    p.add_argument("--timeout", type=float, default=1800, metavar="SECONDS",
                   help="kill a run after this long (default: %(default)s; the large row's "
                        "SimGrid run gets four times as long)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error(f"--repeat: expected at least 1, got {args.repeat}")
    return args


def main(argv):
    args = parse_args(argv)
    bqsim = find(args.bqsim, "BQSIM", REPO / "build" / "bqsim", "bqsim",
                 "build it with scripts/setup.sh")
    pq = find(args.pq, "BQSIM_PQ_BENCH", REPO / "build" / "bqsim_pq_bench", "bqsim_pq_bench",
              "build it with scripts/setup.sh (CMake target bqsim_pq_bench)")
    messages = 100_000 if args.quick else 1_000_000
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPUs, load average {load[0]:.1f} at the start; ~{messages:,} "
          f"messages per run; {CLIENTS} clients; read fraction {READ_FRACTION}; mean delay "
          f"{DELAY_S} s; medians of {args.repeat} runs.\nRates: messages delivered per second "
          f"of the whole process (start-up, checker, outputs) by wall clock; (cpu) by its CPU "
          f"time (user + system: less sensitive to a loaded machine); (run) by bqsim's own "
          f"wall_clock_s (engine and checker, without start-up and outputs).", flush=True)
    failed, notes, version = 0, [], None
    results = {}
    with tempfile.TemporaryDirectory(prefix="bqsim-bench-") as tmp:
        work = Path(tmp)
        for protocol in args.protocols:
            for f in args.f:
                for delay in args.delays:
                    n, k = ops_per_client(protocol, f, messages, CLIENTS)
                    scenario = {"name": f"bench-{protocol}-f{f}-{delay}", "seed": 1,
                                "protocol": {"name": protocol, "f": f},
                                "workload": {"clients": CLIENTS, "ops_per_client": k,
                                             "read_fraction": READ_FRACTION, "value_bytes": 64},
                                "network": {"delay": DELAYS[delay]}}
                    row = {}
                    for i in range(args.repeat):
                        print(f"running {protocol} f={f} {delay} ({i + 1}/{args.repeat}) ...",
                              file=sys.stderr, flush=True)
                        for engine in ENGINES:
                            row.setdefault(engine, []).append(
                                run_bqsim(bqsim, engine, scenario, work, args.timeout))
                        delivered = next((r["delivered"] for e in ENGINES for r in row[e]
                                          if "error" not in r), messages)
                        row.setdefault("loop", []).append(
                            run_pq(pq, protocol, f, CLIENTS, delay, delivered, work,
                                   args.timeout))
                    row = {k2: median_of(v) for k2, v in row.items()}
                    for prog, r in row.items():
                        if "error" in r:
                            failed += 1
                            notes.append(f"{protocol} f={f} {delay} {prog}: {r['error']}")
                        elif version is None and "manifest" in r:
                            mf = r["manifest"]
                            version = (f"bqsim {mf.get('bqsim_version', '?')}, SimGrid "
                                       f"{mf.get('simgrid_version', '?')}")
                    results[(protocol, f, delay)] = (n, row)
        print_table(results, version)
        print_targets(results, args)
        if not args.no_memory:
            failed += memory_figures(bqsim, work, args.timeout, notes)
        if args.large:
            failed += large_row(bqsim, pq, work, args.timeout, notes)
    for note in notes:
        print(f"error: {note}", file=sys.stderr)
    end_load = os.getloadavg()
    print(f"load average {end_load[0]:.1f} at the end"
          + (" (a loaded machine: compare the CPU-time rates)" if max(load[0], end_load[0])
             > (os.cpu_count() or 1) else ""))
    if not os.access(TIME, os.X_OK):
        print(f"note: peak MB are upper bounds and CPU times approximate; install Debian's "
              f"`time` package ({TIME}) for exact figures")
    return 1 if failed else 0


def print_table(results, version):
    cols = ["protocol", "f", "n", "delay", "messages"]
    for prog in ("simgrid", "native", "loop"):
        cols += [f"{prog} msg/s", "(cpu)"] + (["(run)"] if prog != "loop" else []) + ["MB"]
    cols += ["native/loop"]
    rows = []
    for (protocol, f, delay), (n, row) in results.items():
        line = [protocol, f, n, delay, row["native"].get("delivered", "-")]
        for prog in ("simgrid", "native", "loop"):
            r = row[prog]
            bqsim = prog != "loop"
            if "error" in r:
                line += ["FAILED", "-"] + (["-"] if bqsim else []) + ["-"]
                continue
            line += [rate_text(r["delivered"] / r["wall"]),
                     rate_text(r["delivered"] / max(r["cpu"], 1e-9))]
            if bqsim:  # the run alone: bqsim's own wall_clock_s (engine and checker)
                run_s = r["manifest"].get("wall_clock_s")
                line.append(rate_text(r["delivered"] / run_s) if isinstance(run_s, (int, float))
                            and run_s > 0 else "-")
            line.append(("" if r["exact"] else "<=") + mb(r["rss_kb"]))
        ok = "error" not in row["native"] and "error" not in row["loop"]
        line.append(f"{row['native']['wall'] / row['loop']['wall']:.2f}x" if ok else "-")
        rows.append([str(x) for x in line])
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    if version:
        print(version)
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  ".join(x.ljust(w) for x, w in zip(r, widths)))


def verdict(ok):
    return "PASS" if ok else "MISS"


def print_targets(results, args):
    print("targets (issue 12; medians by wall clock, CPU time in brackets):")
    for (protocol, f, delay), (_, row) in results.items():
        nat, loop = row["native"], row["loop"]
        if delay != "exponential" or "error" in nat or "error" in loop:
            continue
        ratio, cratio = nat["wall"] / loop["wall"], nat["cpu"] / loop["cpu"]
        print(f"  {protocol} f={f}: native within 2x of the loop: {ratio:.2f}x "
              f"[{cratio:.2f}x] {verdict(ratio <= 2)}")
    for protocol in args.protocols:
        key1, key100 = (protocol, 1, "exponential"), (protocol, 100, "exponential")
        if key1 in results and "error" not in results[key1][1]["simgrid"]:
            sg = results[key1][1]["simgrid"]
            rate, crate = sg["delivered"] / sg["wall"], sg["delivered"] / sg["cpu"]
            print(f"  {protocol} f=1: SimGrid engine >= 1 M msg/s: {rate_text(rate)} "
                  f"[{rate_text(crate)}] {verdict(rate >= 1e6)}")
        if key1 in results and key100 in results:
            a, b = results[key1][1]["native"], results[key100][1]["native"]
            if "error" not in a and "error" not in b:
                flat = (b["delivered"] / b["wall"]) / (a["delivered"] / a["wall"])
                cflat = (b["delivered"] / b["cpu"]) / (a["delivered"] / a["cpu"])
                print(f"  {protocol}: native rate at f=100 >= 0.8x its rate at f=1: "
                      f"{flat:.2f}x [{cflat:.2f}x] {verdict(flat >= 0.8)}")


def memory_figures(bqsim, work, timeout_s, notes):
    """Per-node memory by differences: servers (one client, one read, n = 6001 vs 12001) and
    clients (one read each, n = 4, 10,000 vs 20,000 clients)."""
    print("memory per node (peak RSS difference between two runs, divided by the node "
          "difference; each node's one request or operation included):")
    failed = 0
    cases = [("server", lambda x: {"protocol": {"name": "sbq-masking", "f": x},
                                   "workload": {"clients": 1, "ops_per_client": 1,
                                                "read_fraction": 1.0}}, (2000, 4000), 3),
             ("client", lambda x: {"protocol": {"name": "sbq-masking", "f": 1},
                                   "workload": {"clients": x, "ops_per_client": 1,
                                                "read_fraction": 1.0}}, (10000, 20000), 1)]
    for what, make, (lo, hi), per in cases:
        for engine in ENGINES:
            rss = []
            for x in (lo, hi):
                sc = {"name": f"memory-{what}-{x}", "seed": 1, **make(x),
                      "network": {"delay": {"dist": "constant", "value_s": DELAY_S}}}
                r = run_bqsim(bqsim, engine, sc, work, timeout_s)
                if "error" in r:
                    notes.append(f"memory {what} {engine}: {r['error']}")
                    failed += 1
                    break
                rss.append(r)
            if len(rss) == 2:
                per_node = (rss[1]["rss_kb"] - rss[0]["rss_kb"]) * 1024 / ((hi - lo) * per)
                print(f"  {engine:7s} per {what}: {per_node:,.0f} bytes")
    return failed


def large_row(bqsim, pq, work, timeout_s, notes):
    """The large row: wall time, CPU time and peak memory of both engines beside the loop."""
    L = LARGE
    scenario = {"name": "bench-large", "seed": 1,
                "protocol": {"name": L["protocol"], "f": L["f"]},
                "workload": {"clients": L["clients"], "ops_per_client": L["ops"],
                             "read_fraction": READ_FRACTION, "value_bytes": 64},
                "network": {"delay": DELAYS["exponential"]}}
    print(f"large row: {L['protocol']} f={L['f']} (n={3 * L['f'] + 1}), {L['clients']:,} "
          f"clients, {L['ops']} operations each, exponential delays (one run each):",
          flush=True)
    failed, res = 0, {}
    for engine in ("native", "simgrid"):
        print(f"running the large row on {engine} ...", file=sys.stderr, flush=True)
        res[engine] = run_bqsim(bqsim, engine, scenario, work,
                                timeout_s * (4 if engine == "simgrid" else 1))
    delivered = next((r["delivered"] for r in res.values() if "error" not in r), None)
    if delivered:
        print("running the large row on the loop ...", file=sys.stderr, flush=True)
        res["loop"] = run_pq(pq, L["protocol"], L["f"], L["clients"], "exponential",
                             delivered, work, timeout_s)
    for prog, r in res.items():
        if "error" in r:
            notes.append(f"large row {prog}: {r['error']}")
            failed += 1
            print(f"  {prog:7s} FAILED")
            continue
        extra = ""
        if "manifest" in r:
            stats = r["manifest"].get("engine_stats", {})
            pending = stats.get("peak_pending_events", 0)
            if pending:
                extra = (f"; {pending:,} events pending at the peak, queues "
                         f"{stats['queue_bytes'] / pending:.0f} bytes each")
        print(f"  {prog:7s} {r['delivered']:,} messages in {r['wall']:.0f} s wall "
              f"({r['cpu']:.0f} s CPU), {rate_text(r['delivered'] / r['wall'])} msg/s, peak "
              f"{mb(r['rss_kb'])} MB{extra}")
    nat, loop = res.get("native", {}), res.get("loop", {})
    if "error" not in nat and "wall" in loop and "error" not in loop:
        t, c, m = nat["wall"] / loop["wall"], nat["cpu"] / loop["cpu"], \
            nat["rss_kb"] / loop["rss_kb"]
        print(f"  native within 2x of the loop: time {t:.2f}x [CPU {c:.2f}x] {verdict(t <= 2)}, "
              f"memory {m:.2f}x {verdict(m <= 2)}")
    return failed


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
