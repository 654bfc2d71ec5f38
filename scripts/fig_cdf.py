"""Figure c: latency CDFs (read, write return, write effective completion), one line per
configuration with its seeds pooled. Stuck operations are in every denominator: a line ends
below 1 by the fraction stuck, and its legend says how many."""
import numpy as np

from bqsim_stats import ecdf
from plot_names import MEASURES
from plot_output import Result
from plot_style import legend_above, log_ticks, series_handle, series_style, time_scale

MEASURES_DRAWN = ("read", "write", "effective")


def latency_cdf(design, opts, look):
    series = design.series()
    data = {(i, m): [v for rs in s.cells.values() for r in rs for v in r.latencies(m)]
            for i, s in enumerate(series) for m in MEASURES_DRAWN}
    tscale, unit = time_scale([v for vs in data.values() for v in vs if np.isfinite(v)])
    measures = [m for m in MEASURES_DRAWN if any(data[(i, m)] for i in range(len(series)))]
    cols = len(measures) if look.size == "page" else 1
    fig, axes = look.figure(len(measures), cols=cols, sharex=True)
    rows, notes = [], []
    for ax, m in zip(axes, measures):
        for i, s in enumerate(series):
            runs = [r for rs in s.cells.values() for r in rs]
            xs, ys, stuck, total = ecdf(data[(i, m)])
            st = series_style(i)
            if total == 0:
                continue
            if xs.size:
                ax.step(np.concatenate(([xs[0]], xs)) * tscale, np.concatenate(([0.0], ys)),
                        where="post", color=st["color"], linestyle=st["linestyle"],
                        linewidth=1.1)
                # The marker at each line's end shows where it stops: below 1 when stuck.
                ax.plot([xs[-1] * tscale], [ys[-1]], marker=st["marker"], color=st["color"],
                        linestyle="")
            if stuck:
                ax.annotate(f"{stuck} stuck", (xs[-1] * tscale if xs.size else 0,
                                               ys[-1] if xs.size else 0),
                            xytext=(5, -2), textcoords="offset points", va="top",
                            fontsize=look.font - 2, color=st["color"])
            base = {"series": s.label, **dict(zip(s.fields, s.values)), "measure": m,
                    "seeds": len(runs), "ops": total, "stuck": stuck, "unit": "s"}
            rows += [{**base, "latency": float(x), "fraction": float(y)}
                     for x, y in zip(xs, ys)]
            if stuck:  # the stuck operations as the CSV's last row of the line
                rows.append({**base, "latency": float("inf"), "fraction": 1.0})
            unstarted = sum(r.not_started() for r in runs)
            if unstarted and m == "read":
                notes.append(f"{s.label}: {unstarted} planned operations never started")
        if opts.log_x:
            ax.set_xscale("log")
            log_ticks(ax.xaxis)
        ax.set_ylim(0, 1.02)
        ax.axhline(1.0, color="#999999", linewidth=0.5, zorder=0)
        ax.set_ylabel("fraction of\noperations" if cols == 1 else "fraction of operations")
        ax.set_title(MEASURES[m], fontsize=look.font, loc="left")
        if cols > 1 or m == measures[-1]:
            ax.set_xlabel(f"latency ({unit})" + (", log scale" if opts.log_x else ""))
    finite = [v * tscale for vs in data.values() for v in vs if np.isfinite(v) and v > 0]
    if finite:  # one range for every panel (they share x), set once all are drawn
        lo, hi = min(finite), max(finite)
        axes[0].set_xlim(lo / 1.2 if opts.log_x else 0, hi * (1.3 if opts.log_x else 1.04))
    handles = []
    for i, s in enumerate(series):
        runs = [r for rs in s.cells.values() for r in rs]
        stuck = sum(r.stuck(k) for r in runs for k in ("read", "write"))
        extra = f", {stuck} stuck" if stuck else ""
        handles.append(series_handle(series_style(i),
                                     f"{s.label} ({len(runs)} seeds{extra})"))
    legend_above(fig, handles, look)
    fig.tight_layout(h_pad=0.5, w_pad=0.8)
    caption = ("Latency CDFs, operations of all seeds pooled (no interval drawn); stuck "
               "operations count in the denominator, so a line ends below 1 by the fraction "
               "stuck." + (" " + "; ".join(notes) + " (a stuck client issues no more)."
                           if notes else ""))
    columns = ["series", *(series[0].fields if series else []), "measure", "latency",
               "fraction", "unit", "seeds", "ops", "stuck"]
    return Result("latency-cdf", fig, columns, rows, caption)
