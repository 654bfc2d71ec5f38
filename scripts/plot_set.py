"""The figure set of bqsim-plot: which figures the runs support, drawing them, flagging an
incomplete sweep on every figure and on stderr, and writing each figure with its CSV (or all
of them as pages of one PDF)."""
import sys
from pathlib import Path

from fig_cdf import latency_cdf
from fig_sweep import (FILE_NAMES, faults_vs_x, latency_vs_x, messages_vs_x, name_of,
                       read_latency_vs_n)
from fig_timeline import pick_run, timeline
from fig_verdicts import verdicts
from plot_collect import Run, UserError
from plot_design import Design
from plot_grid import check
from plot_names import canonical
from plot_output import Skip, write_csv, write_result
from plot_style import footnote, warn_on_figure


PER_X = ("latency-vs-", "messages-vs-", "faults-vs-")
FILE_FIELDS = {v: k for k, v in FILE_NAMES.items()}  # timeout -> protocol.timeout_s


def plan(design, xs, runs, incomplete, gaps, args):
    """(name, draw function) for every figure of the set, in the set's order."""
    steps = []
    for x in xs:
        steps += [(f"latency-vs-{name_of(x)}", lambda o, k, x=x: latency_vs_x(design, x, o, k)),
                  (f"messages-vs-{name_of(x)}", lambda o, k, x=x: messages_vs_x(design, x, o, k)),
                  (f"faults-vs-{name_of(x)}", lambda o, k, x=x: faults_vs_x(design, x, o, k))]
    steps.append(("latency-cdf", lambda o, k: latency_cdf(design, o, k)))
    steps.append(("read-latency-vs-n", lambda o, k: read_latency_vs_n(design, o, k)))
    steps.append(("timeline", lambda o, k: timeline(timeline_run(runs, args), o, k)))
    steps.append(("verdicts", lambda o, k: verdicts(design, incomplete, gaps, o, k)))
    return steps


def timeline_run(runs, args):
    if args.timeline_run is None:
        return pick_run(runs)
    want = args.timeline_run.resolve()
    for r in runs:
        if r.dir.resolve() == want:
            return r
    if not (args.timeline_run / "manifest.json").is_file():
        raise UserError(f"--timeline-run {args.timeline_run}: not a complete run (no "
                        f"manifest.json)")
    return Run(args.timeline_run)


def x_fields(design, args):
    """--x as given, else every numeric field that varies between the runs."""
    return args.x or design.numeric_fields()


def selected(steps, args):
    if args.cmd == "figure":
        chosen = [s for s in steps if s[0] == args.name]
        if not chosen:
            raise UserError(f"figure {args.name}: not a figure of these runs; they have "
                            f"{', '.join(n for n, _ in steps)}")
        return chosen
    if getattr(args, "only", None):
        wanted = args.only.split(",")
        chosen = [s for s in steps if any(s[0].startswith(w) for w in wanted)]
        unknown = [w for w in wanted if not any(s[0].startswith(w) for s in steps)]
        if unknown:
            raise UserError(f"--only {unknown[0]}: no such figure; figures for these runs: "
                            f"{', '.join(n for n, _ in steps)}")
        return chosen
    return steps


def draw_set(args, runs, incomplete, look, fmt):
    design = Design(runs, args.label_by)
    if args.cmd == "figure" and args.name.startswith(PER_X) and not args.x:
        # `figure latency-vs-loss`: the field is in the name (short name or dotted path).
        args.x = [FILE_FIELDS.get(args.name.split("-vs-", 1)[1],
                                  canonical(args.name.split("-vs-", 1)[1]))]
    xs = x_fields(design, args)
    for x in args.x:
        if all(r.value(x) is None for r in runs):
            raise UserError(f"--x {x}: no run has this field (read from each run's "
                            f"scenario.resolved.json, or the summary for protocol.n/f)")
    gaps = check(runs, incomplete)
    for g in gaps:
        print(f"warning: {g.text()}", file=sys.stderr)
    if incomplete:
        print(f"note: {len(incomplete)} incomplete run directories (no manifest.json), e.g. "
              f"{incomplete[0]}: listed on the verdict table", file=sys.stderr)
    steps = selected(plan(design, xs, runs, incomplete, gaps, args), args)
    results = []
    import matplotlib.pyplot as plt
    for name, draw in steps:
        with plt.rc_context(look.rc()):
            try:
                res = draw(args, look)
            except Skip as e:
                if args.cmd == "figure":
                    raise UserError(f"figure {name}: cannot be drawn from these runs: {e}")
                print(f"note: {name}: skipped: {e}", file=sys.stderr)
                continue
            if gaps:
                warn_on_figure(res.fig, "INCOMPLETE SWEEP: " + "; ".join(
                    f"{g.found} of {g.expected} runs" for g in gaps) + " (see stderr)", look)
                res.caption += " " + " ".join(g.text() + "." for g in gaps)
            footnote(res.fig, res.caption, look)
        results.append(res)
    return write_all(args, results, fmt, runs)


def write_all(args, results, fmt, runs):
    if args.cmd == "figures":
        args.out.mkdir(parents=True, exist_ok=True)
        for res in results:
            write_result(res, args.out / f"{res.name}.{fmt}", fmt)
        write_csv(args.out / "captions.csv", ["figure", "file", "data", "caption"],
                  [{"figure": r.name, "file": f"{r.name}.{fmt}", "data": f"{r.name}.csv",
                    "caption": r.caption} for r in results])
        print(f"wrote {len(results)} figures ({fmt}) with their CSVs to {args.out} "
              f"from {len(runs)} runs: {', '.join(r.name for r in results)}")
    elif args.cmd == "figure":
        write_result(results[0], args.output, fmt)
        print(f"wrote {args.output} and {Path(args.output).with_suffix('.csv')}")
    else:
        write_report(args.output, results)
        print(f"wrote {args.output} ({len(results)} pages, {len(runs)} runs) and the data of "
              f"each page as {Path(args.output).stem}.<figure>.csv beside it")
    return 0


def write_report(path, results):
    """Every figure as a page of one PDF, temp name renamed into place; each page's data as
    <stem>.<figure>.csv beside it."""
    import os
    from matplotlib.backends.backend_pdf import PdfPages
    import matplotlib.pyplot as plt
    path = Path(path)
    for res in results:
        write_csv(path.with_name(f"{path.stem}.{res.name}.csv"), res.columns, res.rows)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with PdfPages(tmp, metadata={"Creator": "bqsim-plot", "CreationDate": None}) as pdf:
            for res in results:
                pdf.savefig(res.fig, bbox_inches="tight", pad_inches=0.05)
                plt.close(res.fig)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {e.strerror or e}")

