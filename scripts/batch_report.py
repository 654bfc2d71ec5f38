"""What scripts/bqsim-batch prints: a progress line per finished run (or a tqdm bar on a
terminal), and at the end a table of runs, counts by outcome and one line per distinct
problem. Outcomes are read from the runs' directories, whichever engine ran them."""
import sys

from bqsim_common import status_of

TABLE_ROWS = 40  # above this many runs the final table lists only the runs that did not pass
GOOD = ("ok", "violation")


def run_status(run, verdict):
    """ok or violation for a complete run (from the database's verdict), else from its
    batch.json: bad-input, crash (SIGSEGV), timeout, incomplete, interrupted, or "not run"
    (no directory: a task cancelled before it started the run)."""
    if verdict is not None:
        return "ok" if verdict == "pass" else "violation"
    rec = run.load_record()
    if rec is None:
        return "not run"
    return status_of(rec.get("exit_code"), rec.get("note"))


class Progress:
    def __init__(self, total):
        self.total, self.done, self.failed, self.bar = total, 0, 0, None
        try:
            from tqdm import tqdm
        except ImportError:
            tqdm = None
        if tqdm and sys.stderr.isatty() and total:
            self.bar = tqdm(total=total, unit="run", file=sys.stderr)

    def __call__(self, run):
        rec = run.record or run.load_record() or {}
        state = status_of(rec.get("exit_code"), rec.get("note"))
        self.done += 1
        self.failed += state not in GOOD + ("interrupted",)
        if self.bar:
            self.bar.set_postfix(failed=self.failed)
            self.bar.update(1)
            return
        print(f"[{self.done:>{len(str(self.total))}}/{self.total}] {state:<11} "
              f"{run.rel.as_posix()} ({rec.get('seconds', 0):.2f} s)"
              f"{f', {self.failed} failed' if self.failed else ''}", file=sys.stderr, flush=True)

    def close(self):
        if self.bar:
            self.bar.close()


def report(runs, verdicts, grids, out):
    """Prints the table and the summary; returns the batch's exit status."""
    states = {id(r): run_status(r, verdicts[id(r)]) for r in runs}
    rows = [r for r in runs if len(runs) <= TABLE_ROWS or states[id(r)] != "ok"]
    if rows:
        width = max(len(r.rel.as_posix()) for r in rows)
        print(f"{'run':<{width}}  status")
        for r in rows:
            note = " (skipped: already complete)" if r.skipped else ""
            print(f"{r.rel.as_posix():<{width}}  {states[id(r)]}{note}")
    if len(rows) < len(runs):
        print(f"({len(runs) - len(rows)} more runs passed; see runs.csv)")
    counts = {}
    for r in runs:
        kind = states[id(r)] if states[id(r)] in GOOD + ("bad-input",) else "failed"
        counts[kind] = counts.get(kind, 0) + 1
    print(f"{len(runs)} runs ({sum(r.skipped for r in runs)} skipped as complete): "
          f"{counts.get('ok', 0)} ok, {counts.get('violation', 0)} found violations "
          f"(results, not failures), {counts.get('bad-input', 0)} bad input, "
          f"{counts.get('failed', 0)} failed (crashed, timed out, interrupted or not run)")
    problems = {}  # one line per distinct message (the run's own path aside), in plan order
    for r in runs:
        if states[id(r)] not in GOOD:
            error = (r.record or r.load_record() or {}).get("error", "")
            key = (states[id(r)], error.replace(str(r.dir), "RUN"))
            problems.setdefault(key, []).append(r)
    for (kind, _), group in problems.items():
        r, more = group[0], f" (and {len(group) - 1} more runs)" if len(group) > 1 else ""
        error = (r.record or {}).get("error") or "(no message)"
        print(f"{kind}: {r.rel.as_posix()}: {error}{more}; log: "
              f"{(r.dir / 'bqsim.log').as_posix()}", file=sys.stderr)
    for g in grids:
        print(f"wrote {(out / g['dir'] / 'runs.csv').as_posix()}")
    if counts.get("failed"):
        return 3
    return 2 if counts.get("bad-input") else 0
