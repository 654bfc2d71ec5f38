"""Figure e: the timeline of one run, Jepsen style: every operation's latency against its
invocation time, stuck operations as carets on the top edge, operations a violation names
ringed, and the Byzantine behaviour windows (scenario.resolved.json) and network fault windows
(events.csv, when the run has one) shaded."""
from matplotlib.patches import Patch
from matplotlib.lines import Line2D

from bqsim_stats import is_stuck
from plot_output import Result
from plot_style import OKABE_ITO, STUCK_COLOUR, legend_above, log_ticks

KINDS = {  # (kind, outcome) -> colour, marker, legend text
    ("read", "ok"): (OKABE_ITO[0], "o", "read"),
    ("read", "bottom"): (OKABE_ITO[4], "x", "read returning ⊥"),
    ("write", "ok"): (OKABE_ITO[1], "s", "write (return)"),
}
WINDOW_COLOURS = ["#999999", OKABE_ITO[5], OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[7]]
VIOLATION_COLOUR = "#B00000"


def pick_run(runs):
    """The run a paper would show: the first with a violation or a stuck operation, else
    the first with scripted faults, else the first."""
    for test in (lambda r: r.violated() or r.run_stuck(),
                 lambda r: r.byzantine_windows() or r.events):
        for r in runs:
            if test(r):
                return r
    return runs[0]


def violation_ops(run):
    ops = set()
    for v in run.checker().get("violations") or []:
        ops.add(v.get("op"))
        ops.update(v.get("involved") or [])
    return ops - {None}


def timeline(run, opts, look):
    ops = run.ops
    end = max([o.invoke_s + (0 if is_stuck(o.latency_s) else o.latency_s) for o in ops] or [1])
    tscale, tunit = (1e3, "ms") if end < 1 else (1.0, "s")
    finite = [o.latency_s for o in ops if not is_stuck(o.latency_s) and o.latency_s > 0]
    lscale, lunit = (1e3, "ms") if not finite or max(finite) < 1 else (1.0, "s")
    fig, (ax,) = look.figure(1, height=look.panel_h * 1.25 + 0.6)
    windows = [("byzantine", *w) for w in run.byzantine_windows()] + \
        [("network", f"{k}" + (f" ({d})" if d else ""), a, b) for k, a, b, d in run.events]
    handles, colour_of, rows = [], {}, []
    for what, text, start, until in windows:
        stop = until if until is not None else max(end, run.sim_end_s or end)
        key = (what, text)
        if key not in colour_of:
            colour_of[key] = WINDOW_COLOURS[len(colour_of) % len(WINDOW_COLOURS)]
            handles.append(Patch(facecolor=colour_of[key], alpha=0.25,
                                 hatch="///" if what == "network" else None,
                                 edgecolor=colour_of[key] if what == "network" else "none",
                                 label=f"{'network' if what == 'network' else 'Byzantine'}: "
                                       f"{key[1]}"))
        ax.axvspan(start * tscale, stop * tscale, color=colour_of[key], alpha=0.18, lw=0,
                   hatch="///" if what == "network" else None, zorder=0)
        rows.append({"what": what, "kind": key[1], "from_s": start, "until_s": until,
                     "detail": text})
    bad = violation_ops(run)
    for (kind, outcome), (colour, marker, text) in KINDS.items():
        sel = [o for o in ops if o.kind == kind and o.outcome == outcome]
        if sel:
            ax.plot([o.invoke_s * tscale for o in sel], [o.latency_s * lscale for o in sel],
                    linestyle="", marker=marker, markersize=2.2, color=colour, alpha=0.8,
                    markeredgewidth=0.6, zorder=2)
            handles.append(Line2D([], [], linestyle="", marker=marker, color=colour,
                                  label=f"{text} ({len(sel)})"))
    stuck = [o for o in ops if is_stuck(o.latency_s)]
    if stuck:
        ax.plot([o.invoke_s * tscale for o in stuck], [1.0] * len(stuck), linestyle="",
                marker=6, markersize=6, color=STUCK_COLOUR, clip_on=False, zorder=4,
                transform=ax.get_xaxis_transform())
        handles.append(Line2D([], [], linestyle="", marker=6, color=STUCK_COLOUR,
                              label=f"stuck, at invocation ({len(stuck)})"))
    ringed = [o for o in ops if o.op_id in bad and not is_stuck(o.latency_s)]
    if ringed:
        ax.plot([o.invoke_s * tscale for o in ringed], [o.latency_s * lscale for o in ringed],
                linestyle="", marker="o", markersize=6, markerfacecolor="none",
                markeredgecolor=VIOLATION_COLOUR, markeredgewidth=0.8, zorder=5)
        handles.append(Line2D([], [], linestyle="", marker="o", markerfacecolor="none",
                              markeredgecolor=VIOLATION_COLOUR,
                              label=f"in a violation ({len(ringed)})"))
    for o in ops:
        rows.append({"what": "op", "op_id": o.op_id, "client": o.client, "kind": o.kind,
                     "from_s": o.invoke_s, "latency": o.latency_s, "outcome":
                     "stuck" if is_stuck(o.latency_s) else o.outcome,
                     "in_violation": int(o.op_id in bad)})
    if finite:
        ax.set_yscale("log")
        ax.set_ylim(min(finite) * lscale / 1.5, max(finite) * lscale * 2)
        log_ticks(ax.yaxis)
    ax.set_xlim(0, end * tscale * 1.03)
    ax.set_xlabel(f"invocation time ({tunit})")
    ax.set_ylabel(f"latency ({lunit})")
    legend_above(fig, handles, look, ncol=2 if look.size == "column" else 3)
    fig.tight_layout()
    c = run.checker()
    tail = ""
    if run.sim_end_s and run.sim_end_s > end * 1.05:
        why = " (time limit)" if c.get("time_limit_hit") else ""
        tail = f" The run ended at {run.sim_end_s:g} s{why}; nothing happened after the last " \
               f"operation shown."
    shaded = ("Shaded: " + " and ".join(
        w for w, present in (("Byzantine behaviour windows", run.byzantine_windows()),
                             ("network fault windows (hatched)", run.events)) if present) + "."
        if windows else "No Byzantine behaviour or network fault window in this run.")
    caption = (f"Timeline of run {short_dir(run.dir)}: {run.protocol} n={run.n} f={run.f}, "
               f"seed {run.seed}, verdict {c.get('verdict', '?')}; each operation's latency "
               f"at its invocation. {shaded}{tail}")
    columns = ["what", "op_id", "client", "kind", "from_s", "until_s", "latency", "outcome",
               "in_violation", "detail"]
    return Result("timeline", fig, columns, rows, caption)


def short_dir(d, parts=3):
    return "/".join(d.parts[-parts:])
