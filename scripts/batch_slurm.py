"""The Slurm engine of scripts/bqsim-batch: the runs of a batch as one job array, several runs
per array task (MaxArraySize is 1001 by default), each task running its slot of the plan with
batch_worker.py. The submitting command polls squeue until the array is done (sbatch --wait is
slow to notice), then resubmits the runs that left no manifest (a task killed, cancelled or
lost with its node), up to --retries times. With --no-wait it returns after submitting;
`bqsim-batch --resume --out OUT` waits for those jobs and carries on. Standard library only.
"""
import math
import shlex
import subprocess
import time

from batch_engines import StopSignals, python_for_workers, worker_command, write_plan
from batch_plan import save_state
from bqsim_common import UserError

MAX_ARRAY_TASKS = 1000  # indices 0..999: under Slurm's default MaxArraySize of 1001
SQUEUE_FAILURES = 5     # consecutive squeue errors before giving up (slurmctld restarting)


def slots_for(count, runs_per_task):
    """Round robin: slot i holds runs i, i+T, i+2T, ... so each task gets a mix of points."""
    per = runs_per_task or math.ceil(count / MAX_ARRAY_TASKS)
    tasks = math.ceil(count / per)
    if tasks > MAX_ARRAY_TASKS:
        raise UserError(f"--runs-per-task: expected at least {math.ceil(count / MAX_ARRAY_TASKS)}"
                        f" for {count} runs (at most {MAX_ARRAY_TASKS} array tasks), got {per}")
    return [list(range(i, count, tasks)) for i in range(tasks)]


def submit(todo, ctx, args, name):
    """Submits todo as a job array; returns the job id."""
    slots = slots_for(len(todo), args.runs_per_task)
    d = write_plan(ctx, todo, slots, "slurm")
    worker = " ".join(shlex.quote(x) for x in worker_command(d, python_for_workers()))
    (d / "task.sh").write_text(
        "#!/bin/sh\n# One array task of a bqsim batch: the runs of its slot of plan.json.\n"
        f'exec {worker} --slot "$SLURM_ARRAY_TASK_ID"\n', encoding="utf-8")
    cmd = ["sbatch", "--parsable", f"--array=0-{len(slots) - 1}", f"--job-name=bqsim-{name}",
           f"--output={d / 'logs' / '%A_%a.out'}", "--ntasks=1", "--cpus-per-task=1"]
    for opt in ("partition", "time", "account"):
        if getattr(args, opt):
            cmd.append(f"--{opt}={getattr(args, opt)}")
    cmd += args.sbatch_arg + [str(d / "task.sh")]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise UserError(f"--engine slurm: cannot run sbatch: {e.strerror or e} (install the "
                        f"Debian package slurm-client, or run where Slurm is)")
    if p.returncode != 0:
        line = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
        raise UserError(f"--engine slurm: sbatch refused the array: {line}")
    job = p.stdout.strip().split(";")[0]
    (d / "job").write_text(job + "\n", encoding="utf-8")
    print(f"bqsim-batch: submitted Slurm job {job}: {len(todo)} runs in {len(slots)} array "
          f"tasks of up to {len(slots[0])} runs ({d})", flush=True)
    return job


def pending(jobs):
    """The jobs squeue still lists (pending, running or completing)."""
    p = subprocess.run(["squeue", "-h", "-o", "%A", "-j", ",".join(jobs)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        if "Invalid job id" in p.stderr:  # long finished: slurmctld forgot them
            return set()
        raise OSError(p.stderr.strip() or f"squeue exited {p.returncode}")
    return {x.strip() for x in p.stdout.split()} & set(jobs)


def wait(jobs, todo, poll_s, progress):
    """Polls squeue until none of `jobs` is listed. Returns the signal that interrupted the
    wait (the jobs are then cancelled: no work goes on unseen), or None."""
    stopped, failures, seen = [], 0, set()
    with StopSignals(stopped.append):
        while not stopped:
            try:
                left = pending(jobs)
                failures = 0
            except OSError as e:
                failures += 1
                if failures >= SQUEUE_FAILURES:
                    raise UserError(f"squeue failed {failures} times: {e}; the jobs "
                                    f"{', '.join(jobs)} may still run: bqsim-batch --resume "
                                    f"waits for them")
                left = set(jobs)
            for i, r in enumerate(todo):
                if i not in seen and r.dir.is_dir() and r.load_record() is not None:
                    seen.add(i)
                    progress(r)
            if not left:
                return None
            deadline = time.monotonic() + poll_s
            while not stopped and time.monotonic() < deadline:
                time.sleep(min(0.1, poll_s))
    subprocess.run(["scancel", *jobs], capture_output=True)
    return stopped[0]


def retry_worthy(run):
    """A run to resubmit: it did not complete, and not because bqsim refused or crashed on
    it (that would happen again): its task never ran it, was killed, or lost its node."""
    if run.complete():
        return False
    rec = run.load_record()
    return rec is None or rec.get("note") in ("interrupted", "running")


def run_slurm(todo, ctx, args, progress, state, name):
    """Submits todo, waits and resubmits up to args.retries times. Returns a signal, None when
    done, or "submitted" with --no-wait."""
    for attempt in range(args.retries + 1):
        if not todo:
            return None
        job = submit(todo, ctx, args, name)
        state["slurm_jobs"] = [job]
        save_state(ctx.out, state)
        if args.no_wait:
            return "submitted"
        sig = wait([job], todo, args.poll, progress)
        if sig:
            return sig
        state["slurm_jobs"] = []
        save_state(ctx.out, state)
        todo = [r for r in todo if retry_worthy(r)]
        if todo and attempt < args.retries:
            print(f"bqsim-batch: {len(todo)} runs left no manifest (task killed, cancelled or "
                  f"lost); resubmitting them", flush=True)
    return None
