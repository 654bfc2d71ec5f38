#!/usr/bin/env python3
"""One run of a batch, as every engine executes it: `bqsim run FILE --point P --seed S` into a
temporary directory under OUT/.bqsim-batch/tmp/, then renamed to OUT/<scenario>/<point>/seed-<s>,
so a run directory appears whole or not at all (on a shared filesystem too). Its batch.json
records how the run ended (exit code, note, error line); bqsim.log holds what bqsim printed.

As a script it is what a Slurm array task or a GNU parallel job runs:
  batch_worker.py PLAN.json --slot I      the runs of slot I of the plan (a Slurm array task)
  batch_worker.py PLAN.json --runs K,...  these runs of the plan (a parallel job)
SIGTERM or SIGINT stops the running bqsim, records the run as interrupted, and exits 143 or
130 without starting another. Standard library only.
"""
import errno
import os
import shutil
import signal
import socket
import sys
import threading
from pathlib import Path

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_plan import Run, state_dir  # noqa: E402
from bqsim_common import (Children, Parser, Result, UserError, main_guard,  # noqa: E402
                          read_json, run_child, signal_name, status_of, write_json)


class Context:
    """What every run of a batch shares."""

    def __init__(self, bqsim, out, sets, timeout, children):
        self.bqsim, self.out, self.sets, self.timeout = bqsim, Path(out), list(sets), timeout
        self.children = children


def execute(run, ctx):
    """Runs one run and puts its directory in place; returns its batch.json record."""
    host = socket.gethostname()
    tmp = state_dir(ctx.out) / "tmp" / f"{run.hash}.{host}.{os.getpid()}.{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    record = {"scenario_file": run.file, "scenario": run.scenario, "point": run.point,
              "sweep": run.overrides, "seed": run.seed, "scenario_hash": run.hash,
              "set": ctx.sets, "host": host, "pid": os.getpid(),
              "exit_code": None, "note": "running"}
    write_json(tmp / "batch.json", record)
    cmd = [ctx.bqsim, "run", run.file, "--point", run.point, "--seed", str(run.seed),
           "--out", str(tmp), *(x for s in ctx.sets for x in ("--set", s))]
    try:
        res = run_child(cmd, ctx.children, key=run.index, timeout=ctx.timeout)
    except OSError as e:
        res = Result(127, None, b"", f"error: cannot run {ctx.bqsim}: {e.strerror or e}\n"
                     .encode(), 0.0)
    # bqsim names the directory it wrote; the run's is where it is about to be renamed to.
    log = (res.out + res.err).replace(str(tmp).encode(), str(run.dir).encode())
    (tmp / "bqsim.log").write_bytes(log)
    note, error = res.note, res.error_line().replace(str(tmp), str(run.dir))
    if note is None and res.code in (0, 1) and not (tmp / "manifest.json").is_file():
        note, error = "incomplete", f"exited {res.code} without manifest.json"
    record.update(exit_code=res.code, note=note, error=error, seconds=round(res.seconds, 3))
    if note == "interrupted":
        record["reason"] = (f"stopped by {signal_name(ctx.children.stopping)} to the batch; "
                            f"rerun by the next batch or --resume")
    elif note == "timeout":
        record["reason"] = f"killed after --timeout {ctx.timeout} s"
    write_json(tmp / "batch.json", record)
    place(tmp, run)
    run.record = record
    return record


def place(tmp, run):
    """Renames tmp to the run's directory. A directory already there is an earlier, failed
    attempt (replaced) or, after a resubmission raced a slow task, the same run complete
    (kept, and tmp dropped)."""
    final = run.dir
    final.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        if final.exists():
            if run.complete():
                shutil.rmtree(tmp, ignore_errors=True)
                return
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(tmp, final)
            return
        except OSError as e:
            if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    raise OSError(f"cannot rename {tmp} to {final}: another process keeps writing it")


def load_plan(path):
    try:
        return read_json(path)
    except (OSError, ValueError) as e:
        raise UserError(f"{path}: cannot read the plan: {getattr(e, 'strerror', None) or e}")


def run_plan(plan, indices):
    """Runs these runs of a plan in order, skipping complete ones; stops at a signal."""
    out = Path(plan["out"])
    children = Children()

    def on_signal(sig, _frame):
        children.request_stop(sig)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    ctx = Context(plan["bqsim"], out, plan["sets"], plan.get("timeout"), children)
    worst = 0
    for i in indices:
        if children.stopping:
            break
        run = Run.from_dict(plan["runs"][i], out)
        if run.complete():  # a resubmission overlapping a slow task: done already
            continue
        rec = execute(run, ctx)
        state = status_of(rec["exit_code"], rec["note"])
        print(f"{state:<11} {run.rel.as_posix()} ({rec['seconds']:.2f} s)", flush=True)
        worst = max(worst, 0 if state in ("ok", "violation") else 2 if state == "bad-input"
                    else 3)
    if children.stopping:
        return 128 + children.stopping
    return worst


def main(argv):
    p = Parser(prog="batch_worker.py", description=__doc__.split("\n\n")[0])
    p.add_argument("plan", type=Path, metavar="PLAN.json")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--slot", type=int, metavar="I", help="the runs of slot I of the plan")
    g.add_argument("--runs", metavar="K,...", help="these runs (indices into the plan's runs)")
    args = p.parse_args(argv)
    plan = load_plan(args.plan)
    if args.slot is not None:
        if not 0 <= args.slot < len(plan["slots"]):
            p.error(f"--slot: expected 0 to {len(plan['slots']) - 1}, got {args.slot}")
        indices = plan["slots"][args.slot]
    else:
        try:
            indices = [int(x) for x in args.runs.split(",")]
        except ValueError:
            p.error(f"--runs: expected run indices separated by commas, got '{args.runs}'")
        if any(not 0 <= i < len(plan["runs"]) for i in indices):
            p.error(f"--runs: expected indices below {len(plan['runs'])}, got '{args.runs}'")
    return run_plan(plan, indices)


if __name__ == "__main__":
    main_guard(main, sys.argv[1:])
