"""The --x pages of bqsim-plot (scripts/plot_runs.py): read and write latency (mean, p50, p99)
against a swept scenario field, one line per remaining label group, then slow reads,
retransmissions and completed operations against it, with stuck or violating runs marked."""
import sys

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from plot_collect import UserError, group_runs, show  # noqa: E402
from plot_pages import LEGEND_INSIDE, colours, time_unit  # noqa: E402



def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def run_problems(r):
    """(stuck, violated) for one run: an operation never completed or a limit ended the run;
    the checker found the promised semantics broken (ignoring weaker flags a protocol does not
    promise, e.g. bottom reads of a safe protocol)."""
    c = r.summary.get("checker", {})
    stuck = bool(c.get("stuck")) or bool(c.get("time_limit_hit")) or \
        bool(c.get("message_limit_hit"))
    promised = c.get("promised", r.summary.get("promised"))
    return stuck, c.get(promised) is False


STATS = (("mean", "-", "o"), ("p50", "--", "s"), ("p99", ":", "^"))


def latency_stats(rs, kind):
    """Mean, p50 and p99 of the latencies of every completed operation of that kind in the
    runs (seeds pooled); NaN where none completed, so the line breaks there."""
    lat = np.asarray([x for r in rs for x in r.lat[kind]])
    if lat.size == 0:
        return {k: np.nan for k, _, _ in STATS}
    return {"mean": lat.mean(), "p50": np.percentile(lat, 50), "p99": np.percentile(lat, 99)}


def sweep_table(runs, x, label_by):
    """The runs arranged for --x: groups (label -> {x position: [runs]}), the sorted x
    positions with their tick labels, whether x is numeric, and the shared label tokens."""
    have = [r for r in runs if r.value(x) is not None]
    if not have:
        raise UserError(f"--x {x}: no run has this field (it is read from batch.json's sweep, "
                        f"scenario.json or scenario.resolved.json of each run)")
    if len(have) < len(runs):
        print(f"note: --x {x}: {len(runs) - len(have)} runs do not have this field; left off "
              f"the --x pages", file=sys.stderr)
    values = [r.value(x) for r in have]
    numeric = all(is_number(v) for v in values)
    if numeric:
        ticks = sorted(set(values))
        where = {v: float(v) for v in ticks}
    else:  # categorical (e.g. protocol.name): in order of first appearance
        ticks = list(dict.fromkeys(show(v) for v in values))
        where = {t: float(i) for i, t in enumerate(ticks)}
    groups, common = group_runs(have, label_by, exclude=x)
    table = {}
    for g, rs in groups.items():
        by_x = {}
        for r in rs:
            v = r.value(x)
            by_x.setdefault(where[v if numeric else show(v)], []).append(r)
        table[g] = dict(sorted(by_x.items()))
    positions = sorted(where.values())
    labels = [show(t) for t in ticks]
    return table, positions, labels, numeric, common


def set_x_axis(ax, x, positions, labels, numeric):
    ax.set_xlabel(x + (" (s)" if x.endswith("_s") else ""))
    if not numeric or len(positions) <= 12:
        ax.set_xticks(positions)
        ax.set_xticklabels(labels, rotation=0 if numeric else 20, fontsize="small")
    if len(positions) == 1:
        ax.set_xlim(positions[0] - 1, positions[0] + 1)
    ax.grid(alpha=0.3)


def mark_problems(ax, table, colour):
    """Stuck (an operation never completed, or a limit hit) and violating runs, as markers
    along the top of the axes at their x, one row per label group. Returns the kinds drawn."""
    drawn = set()
    trans = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for gi, (g, by_x) in enumerate(table.items()):
        y = 0.95 - 0.07 * gi
        for xp, rs in by_x.items():
            flags = [run_problems(r) for r in rs]
            stuck, bad = sum(s for s, _ in flags), sum(b for _, b in flags)
            unsafe = sum(bool(r.summary.get("unsafe")) for r in rs)
            text = []
            if stuck:
                ax.plot([xp], [y], marker="v", markersize=10, color=colour[g],
                        markeredgecolor="black", transform=trans, clip_on=False, zorder=5)
                text.append(f"{stuck}/{len(rs)} stuck")
                drawn.add("stuck")
            if bad:
                ax.plot([xp], [y], marker="X", markersize=11, color="red",
                        markeredgecolor=colour[g], transform=trans, clip_on=False, zorder=6)
                text.append(f"{bad}/{len(rs)} violated")
                drawn.add("violation")
            if unsafe:  # below the minimum n or beyond f (allow_unsafe): say so at the point
                text.append("UNSAFE" if unsafe == len(rs) else f"{unsafe}/{len(rs)} UNSAFE")
            if text:
                ax.annotate(", ".join(text), (xp, y), xycoords=trans, xytext=(7, -3),
                            textcoords="offset points", fontsize=7, color=colour[g])
    return drawn


def style_legend(ax, colour, drawn, extra=()):
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color=c, linewidth=2, label=g) for g, c in colour.items()]
    handles += [Line2D([], [], color="black", linestyle=ls, marker=m, label=k)
                for k, ls, m in extra]
    if "stuck" in drawn:
        handles.append(Line2D([], [], color="grey", marker="v", markeredgecolor="black",
                              linestyle="", markersize=9, label="runs with stuck operations"))
    if "violation" in drawn:
        handles.append(Line2D([], [], color="red", marker="X", linestyle="", markersize=9,
                              label="runs violating the promised semantics"))
    if len(handles) <= LEGEND_INSIDE + 3:
        ax.legend(handles=handles, fontsize="small", loc="center left",
                  bbox_to_anchor=(1.01, 0.5))
    else:
        ax.legend(handles=handles, fontsize="x-small", loc="upper left",
                  bbox_to_anchor=(1.01, 1.0))


def sweep_pages(runs, x, label_by):
    """--x: latency against the swept field, then (when non-zero) slow reads, retransmissions
    and completed operations against it."""
    table, positions, labels, numeric, common = sweep_table(runs, x, label_by)
    colour = dict(zip(table, colours(len(table))))
    n_runs = sum(len(rs) for by_x in table.values() for rs in by_x.values())
    pages = []

    fig, axes = plt.subplots(2, 1, figsize=(11.7, 8.3), sharex=True)
    stats = {(g, kind): {xp: latency_stats(rs, kind) for xp, rs in by_x.items()}
             for g, by_x in table.items() for kind in ("read", "write")}
    finite = [v for st in stats.values() for d in st.values() for v in d.values()
              if np.isfinite(v) and v > 0]
    scale, unit = time_unit([finite])
    drawn = set()
    any_problem = any(any(run_problems(r)) for by_x in table.values() for rs in by_x.values()
                      for r in rs)
    for ax, kind in zip(axes, ("read", "write")):
        for g, by_x in table.items():
            xs = list(by_x)
            for k, ls, m in STATS:
                ys = [stats[(g, kind)][xp][k] * scale for xp in xs]
                ax.plot(xs, ys, color=colour[g], linestyle=ls, marker=m, markersize=5)
        log = bool(finite) and max(finite) / min(finite) > 30
        if log:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        if any_problem:  # headroom: the markers sit in the top band, above the data
            low, high = ax.get_ylim()
            ax.set_ylim(low, high * (high / low) ** 0.3 if log else high * 1.3)
        ax.set_ylabel(f"{kind} latency ({unit})" + (", return" if kind == "write" else ""))
        drawn |= mark_problems(ax, table, colour)
        ax.grid(alpha=0.3)
    set_x_axis(axes[1], x, positions, labels, numeric)
    axes[0].set_title(f"Latency against {x}: mean, p50 and p99 over {n_runs} runs (seeds pooled)"
                      + (f"\n{common}" if common else ""))
    style_legend(axes[0], colour, drawn, extra=STATS)
    fig.tight_layout()
    pages.append(("latency-vs-x", fig))

    # Slow reads, retransmissions and completed operations, each only where it is not zero.
    def per_point(fn):
        return {g: {xp: fn(rs) for xp, rs in by_x.items()} for g, by_x in table.items()}

    panels = []
    slow = per_point(lambda rs: sum(r.slow["read"] for r in rs) /
                     max(1, sum(r.ops["read"] for r in rs)))
    if any(v for d in slow.values() for v in d.values()):
        panels.append(("fraction of reads that were slow\n(ended by the time-out)", slow, False))
    retrans = per_point(lambda rs: sum(r.retransmissions["read"] + r.retransmissions["write"]
                                       for r in rs) / max(1, sum(sum(r.ops.values()) for r in rs)))
    if any(v for d in retrans.values() for v in d.values()):
        panels.append(("retransmissions per operation", retrans, False))
    if any(run_problems(r)[0] for by_x in table.values() for rs in by_x.values() for r in rs):
        done = per_point(lambda rs: float(np.mean([sum(r.ops.values()) - sum(r.unfinished.values())
                                                  for r in rs])))
        panels.append(("completed operations per run\n(mean over seeds)", done, True))
    if panels:
        fig, axes = plt.subplots(len(panels), 1, figsize=(11.7, 8.3), sharex=True, squeeze=False)
        axes = axes[:, 0]
        drawn = set()
        for ax, (what, values, problems) in zip(axes, panels):
            for g, d in values.items():
                ax.plot(list(d), list(d.values()), color=colour[g], marker="o")
            ax.set_ylabel(what, fontsize="small")
            ax.set_ylim(bottom=0)
            if problems:
                ax.set_ylim(top=ax.get_ylim()[1] * 1.3)  # room for the markers
                drawn |= mark_problems(ax, table, colour)
            ax.grid(alpha=0.3)
        set_x_axis(axes[-1], x, positions, labels, numeric)
        axes[0].set_title(f"Slow reads, retransmissions and completed operations against {x}"
                          + (f"\n{common}" if common else ""))
        style_legend(axes[0], colour, drawn)
        fig.tight_layout()
        pages.append(("faults-vs-x", fig))
    return pages

