"""Points aggregated over seeds and the panels that draw them: each point is a mean over seeds
with a t-interval or a pooled percentile with a bootstrap interval (bqsim_stats), carries its
number of seeds, operations and stuck operations, and is drawn with its interval; a stuck
value is a caret on the top edge, never a finite height."""
import math

import numpy as np

from bqsim_stats import (BOOTSTRAP_NAME, NO_INTERVAL, T_NAME, bootstrap_percentile, is_number,
                         is_stuck, mean, t_interval, value_key)
from plot_names import STATS, axis_label, show_value
from plot_style import draw_stuck, log_ticks, series_style

LOG_SPAN = 20  # a panel whose finite values span more than this factor gets a log y axis
LOG_X_SPAN = 10  # swept values spanning a decade or more get a log x axis


class Point:
    def __init__(self, x, runs, value, low, high, interval, ops=None, stuck=None):
        self.x, self.runs = x, runs
        self.seeds = len(runs)
        self.value, self.low, self.high, self.interval = value, low, high, interval
        self.ops, self.stuck = ops, stuck

    def row(self):
        return {"value": self.value, "ci_low": self.low, "ci_high": self.high,
                "interval": self.interval, "seeds": self.seeds, "ops": self.ops,
                "stuck": self.stuck}


def latency_point(x, runs, measure, stat, opts):
    """measure: read, write or effective; stat: mean (t-interval over the seeds' means) or pNN
    (pooled nearest-rank percentile, bootstrap interval)."""
    samples = [r.latencies(measure) for r in runs]
    have = [s for s in samples if s]
    ops = sum(len(s) for s in samples)
    stuck = sum(1 for s in samples for v in s if is_stuck(v))
    if stat == "mean":
        v, lo, hi = t_interval([mean(s) for s in have])
        interval = T_NAME if lo is not None and not is_stuck(v) else NO_INTERVAL
        if is_stuck(v):
            lo = hi = None
    else:
        v, lo, hi = bootstrap_percentile(have, float(stat[1:]), resamples=opts.resamples,
                                         seed=opts.bootstrap_seed)
        interval = BOOTSTRAP_NAME if v is not None else NO_INTERVAL
    return Point(x, [r for r, s in zip(runs, samples) if s], v, lo, hi, interval, ops, stuck)


def value_point(x, runs, fn, bounds=(None, None)):
    """A per-run number (None: not defined for that run) averaged over seeds, t-interval;
    bounds: the range the number can take (a percentage's [0, 100]), the interval clipped
    to it."""
    vals = [(r, fn(r)) for r in runs]
    vals = [(r, v) for r, v in vals if v is not None]
    v, lo, hi = t_interval([v for _, v in vals])
    if lo is not None and bounds[0] is not None:
        lo = max(lo, bounds[0])
    if hi is not None and bounds[1] is not None:
        hi = min(hi, bounds[1])
    return Point(x, [r for r, _ in vals], v, lo, hi,
                 T_NAME if lo is not None else NO_INTERVAL)


def x_positions(values, factor=1.0):
    """Numeric x values stand for themselves in the unit shown (factor: 1e3 for a field
    in seconds shown in ms); others get positions 0, 1, ... in order."""
    values = sorted(values, key=value_key)
    if all(is_number(v) for v in values):
        return {v: float(v) * factor for v in values}, False
    return {v: float(i) for i, v in enumerate(values)}, True


def x_scale_kind(positions, categorical):
    """log for positive values spanning a decade or more (time-outs 10..200 ms); symlog, linear
    up to the smallest positive value and logarithmic above it, for values that include 0 and
    span a decade above it (loss probabilities 0, 0.01, 0.05, 0.1, whose 0 and 0.01 would
    otherwise print on top of each other); else linear."""
    pos = sorted(positions.values())
    if categorical or len(pos) < 2:
        return "linear"
    positive = [p for p in pos if p > 0]
    if pos[0] > 0 and pos[-1] / pos[0] >= LOG_X_SPAN:
        return "log"
    if pos[0] == 0 and len(positive) >= 2 and positive[-1] / positive[0] >= LOG_X_SPAN:
        return "symlog"
    return "linear"


def set_x(ax, x, positions, categorical):
    ax.set_xlabel(axis_label(x))
    pos = sorted(positions.values())
    kind = x_scale_kind(positions, categorical)
    if kind == "log":
        ax.set_xscale("log")
    elif kind == "symlog":
        ax.set_xscale("symlog", linthresh=min(p for p in pos if p > 0), linscale=0.6)
    ax.minorticks_off()
    if categorical or len(pos) <= 12:
        ax.set_xticks(pos)
        ax.set_xticklabels([show_value(x, v) for v in sorted(positions, key=value_key)],
                           rotation=20 if categorical else 0)
    if len(pos) == 1:
        ax.set_xlim(pos[0] - 1, pos[0] + 1)
        return
    # 6% of the axis as margin on each side, measured in the axis's own scale.
    tr = ax.xaxis.get_transform()
    lo, hi = tr.transform([pos[0], pos[-1]])
    pad = 0.06 * (hi - lo)
    ax.set_xlim(*tr.inverted().transform([lo - pad, hi + pad]))


def shifted(ax, x, dodge):
    """x moved by `dodge`, a fraction of the axis width, in the axis's own scale (linear,
    log or symlog alike)."""
    tr = ax.xaxis.get_transform()
    lo, hi = tr.transform(ax.get_xlim())
    return float(tr.inverted().transform([tr.transform([x])[0] + dodge * (hi - lo)])[0])


def finite_values(points, yscale):
    out = []
    for p in points:
        for v in (p.value, p.low, p.high):
            if v is not None and not math.isinf(v) and not math.isnan(v):
                out.append(v * yscale)
    return out


def set_y(ax, values, log=None, zero=True):
    """Limits from the finite values (stuck points sit on the top edge); log when they span
    more than LOG_SPAN, unless told."""
    pos = [v for v in values if v > 0]
    if log is None:
        log = bool(pos) and max(pos) / min(pos) > LOG_SPAN
    if log and pos:
        ax.set_yscale("log")
        ax.set_ylim(min(pos) / 1.3, max(pos) * 1.6)
        log_ticks(ax.yaxis)
    elif values:
        top = max(values) or 1.0
        ax.set_ylim(0 if zero else min(values), top * 1.15)
    return log


def draw_points(ax, i, points, positions, yscale, filled=True, dodge=0.0, seeds_full=None,
                look=None):
    """One series' points with their intervals, joined by a line that breaks at stuck points;
    an interval whose high end is stuck runs to the top edge. Points with fewer seeds than
    seeds_full are labelled with their count."""
    st = series_style(i)
    xs = [shifted(ax, positions[p.x], dodge) for p in points]
    ys = [p.value * yscale if p.value is not None and not is_stuck(p.value) else np.nan
          for p in points]
    face = st["color"] if filled else "white"
    ax.plot(xs, ys, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
            markerfacecolor=face, markeredgecolor=st["color"], zorder=3,
            linewidth=1.2 if filled else 0.9)
    top = ax.get_ylim()[1]
    for x, p in zip(xs, points):
        if p.value is None:
            continue
        if is_stuck(p.value):
            draw_stuck(ax, x, st["color"])
        if p.low is not None and p.high is not None and not is_stuck(p.low):
            hi = top if is_stuck(p.high) else p.high * yscale
            ax.vlines(x, p.low * yscale, hi, color=st["color"], linewidth=0.8, zorder=2)
            caps = [p.low * yscale] + ([] if is_stuck(p.high) else [hi])
            ax.plot([x] * len(caps), caps, linestyle="", marker="_", markersize=4,
                    color=st["color"], zorder=2)
            if is_stuck(p.high) and not is_stuck(p.value):
                draw_stuck(ax, x, st["color"])
        if seeds_full and p.seeds < seeds_full and look is not None:
            y = 1.0 if is_stuck(p.value) else p.value * yscale
            ax.annotate(f"{p.seeds} seed{'s' if p.seeds != 1 else ''}", (x, y),
                        xycoords=ax.get_xaxis_transform() if is_stuck(p.value) else "data",
                        xytext=(3, 3), textcoords="offset points", fontsize=look.font - 2,
                        color=st["color"])


def dodges(k, positions=None, categorical=False):
    """Horizontal offsets, as fractions of the axis width, so the intervals of k series at one
    x do not hide each other."""
    step = 0.012
    return [(i - (k - 1) / 2) * step for i in range(k)]


def stat_name(stat):
    return STATS.get(stat, stat)


def interval_text(stats, opts):
    parts = []
    if "mean" in stats:
        parts.append("means with 95% t-intervals over seeds")
    pct = [s for s in stats if s != "mean"]
    if pct:
        parts.append(f"{'/'.join(pct)} of all operations pooled over seeds with 95% bootstrap "
                     f"intervals ({opts.resamples} resamples of operations within seeds, "
                     f"generator seed {opts.bootstrap_seed})")
    return "; ".join(parts)

