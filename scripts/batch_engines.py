"""Where the runs of a batch execute, for scripts/bqsim-batch: `local` (a pool of worker
threads, each running one `bqsim run` at a time: SimGrid allows one engine per process) and
`parallel` (GNU parallel, on this machine or on --sshlogin machines that share the
filesystem). The Slurm engine is in batch_slurm.py. Standard library only.

Every engine returns the signal that stopped the batch (SIGINT, SIGTERM) or None; the runs'
outcomes are read back from their directories (batch.json), whichever engine ran them.
"""
import concurrent.futures
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from batch_plan import state_dir
from batch_worker import execute
from bqsim_common import UserError, find_python, signal_group, write_json

WORKER = Path(__file__).resolve().parent / "batch_worker.py"


class StopSignals:
    """While active, SIGINT and SIGTERM call on_signal(sig) instead of ending the script;
    the previous handlers come back on exit."""

    def __init__(self, on_signal):
        self.on_signal, self.saved = on_signal, {}

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.saved[sig] = signal.signal(sig, lambda s, _f: self.on_signal(s))
        return self

    def __exit__(self, *exc):
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def run_local(todo, ctx, jobs, progress):
    """Runs todo on `jobs` threads; a signal stops the running bqsim processes (each in its
    own process group) and starts no more."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(todo))))

    def task(run):
        if ctx.children.stopping:
            return None  # never started: no directory, run next time
        return execute(run, ctx)

    with StopSignals(ctx.children.request_stop):
        try:
            futures = {pool.submit(task, r): r for r in todo}
            for fut in concurrent.futures.as_completed(futures):
                if fut.result() is not None:
                    progress(futures[fut])
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return ctx.children.stopping


def write_plan(ctx, todo, slots, engine):
    """A plan for workers on other machines or processes: OUT/.bqsim-batch/<engine>-<n>/
    plan.json. Returns the plan's directory."""
    base = state_dir(ctx.out)
    base.mkdir(parents=True, exist_ok=True)
    n = 1 + max((int(p.name.rsplit("-", 1)[1]) for p in base.glob(f"{engine}-*")
                 if p.name.rsplit("-", 1)[1].isdigit()), default=0)
    d = base / f"{engine}-{n}"
    (d / "logs").mkdir(parents=True)
    write_json(d / "plan.json", {"bqsim": ctx.bqsim, "out": str(ctx.out.resolve()),
                                 "sets": ctx.sets, "timeout": ctx.timeout,
                                 "runs": [r.as_dict() for r in todo], "slots": slots})
    return d


def worker_command(plan_dir, python):
    return [python, str(WORKER), str(plan_dir / "plan.json")]


def run_parallel(todo, ctx, args, progress):
    """One GNU parallel job per run; --sshlogin and --ssh are passed through. The machines
    must see OUT and the bqsim binary at the same paths (a shared filesystem)."""
    d = write_plan(ctx, todo, [[i] for i in range(len(todo))], "parallel")
    base = " ".join(shlex.quote(x) for x in worker_command(d, python_for_workers()))
    (d / "commands").write_text("".join(f"{base} --runs {i}\n" for i in range(len(todo))),
                                encoding="utf-8")
    cmd = ["parallel", "--will-cite", "-j", str(args.jobs), "--joblog", str(d / "joblog"),
           # A stopped worker needs a moment to record its run as interrupted.
           "--termseq", "TERM,5000,KILL,25"]
    for login in args.sshlogin:
        cmd += ["--sshlogin", login]
    if args.ssh:
        cmd += ["--ssh", args.ssh]
    # GNU parallel runs each command through $SHELL; without it (cron, CI, `env -i`) every
    # job over --sshlogin fails before starting. The worker command needs only a POSIX sh.
    env = dict(os.environ)
    env.setdefault("SHELL", "/bin/sh")
    with open(d / "commands", encoding="utf-8") as commands, \
            open(d / "logs" / "parallel.log", "wb") as log:
        try:
            proc = subprocess.Popen(cmd, stdin=commands, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True, env=env)
        except OSError as e:
            raise UserError(f"--engine parallel: cannot run GNU parallel: {e.strerror or e} "
                            f"(install the Debian package parallel)")
        stopped = []

        def on_signal(sig):
            stopped.append(sig)
            signal_group(proc, sig)  # parallel stops its jobs (--termseq) and starts no more

        with StopSignals(on_signal):
            seen = set()
            while proc.poll() is None:
                time.sleep(0.5)
                for i, r in enumerate(todo):  # progress: runs whose directory appeared
                    if i not in seen and r.dir.is_dir() and r.load_record() is not None:
                        seen.add(i)
                        progress(r)
    # parallel exits with the number of jobs that failed (a run's failure is in its
    # batch.json), 255 when it could not run at all.
    if not stopped and proc.returncode == 255:
        raise UserError(f"GNU parallel exited {proc.returncode}; see {d / 'logs' / 'parallel.log'}")
    return stopped[0] if stopped else None


def python_for_workers():
    """The interpreter workers run under, by a path other machines have too: $BQSIM_PYTHON,
    else Debian's /usr/bin/python3 (a version-managed python3 in the submitter's home may not
    exist on a compute node), else this one. Workers need only the standard library."""
    return find_python([]) or os.path.realpath(sys.executable)
