#!/usr/bin/env python3
"""Plot bqsim runs into one multi-page PDF: read latency CDFs, write latency CDFs (return and
effective completion), messages per operation by kind, and the checker's verdicts; with
--x PATH also latency (mean, p50, p99) against a swept scenario field, one line per remaining
label group, with slow reads, retransmissions and stuck or violating runs marked.

Run it through scripts/bqsim-plot, which picks a python3 that has matplotlib and numpy.
A run is a directory with manifest.json (written last by bqsim: directories without it are
incomplete and skipped); batch directories are searched recursively. Runs that get the same
label are drawn as one line, so the seeds of one sweep point are merged.
"""
import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

LABEL_FIELDS = ("name", "protocol", "n", "f", "data", "seed", "unsafe", "sweep")
READ_TYPES = {"read", "read_reply"}
WRITE_TYPES = {"ts_query", "ts_reply", "write", "write_ack"}
TABLE_ROWS = 32    # verdict rows per page, so the table stays legible
LEGEND_INSIDE = 8  # above this many entries the legend moves outside the axes


class UserError(Exception):
    """Bad input: reported as one line, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def natural_key(path):
    """seed-2 before seed-10, f=2 before f=10: digits compare as numbers."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(path))]


def find_runs(paths):
    runs, incomplete = [], []
    for p in map(Path, paths):
        if not p.is_dir():
            raise UserError(f"{p}: not a directory")
        for root, dirs, files in os.walk(p):
            dirs.sort()
            if "manifest.json" in files:
                runs.append(Path(root))
                dirs.clear()  # a run directory has no runs inside
            elif {"summary.json", "ops.csv", "batch.json"} & set(files):
                incomplete.append(Path(root))
    unique = {r.resolve(): r for r in runs}
    return sorted(unique.values(), key=natural_key), incomplete


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def num(text):
    return float(text) if text not in ("", None) else None


class Run:
    """One run directory: its summary, sweep values, latencies and message counts."""

    def __init__(self, d):
        self.dir = d
        self.summary = read_json(d / "summary.json")
        self.sweep = {}
        self.scenario = {}
        self.expanded = {}  # scenario.json: the batch runner's expanded scenario, if any
        if (d / "batch.json").is_file():
            self.sweep = read_json(d / "batch.json").get("sweep") or {}
        if (d / "scenario.json").is_file():
            self.expanded = read_json(d / "scenario.json")
        for name in ("scenario.resolved.json", "scenario.json"):  # defaults filled in, if any
            if (d / name).is_file():
                self.scenario = read_json(d / name)
                break
        self.lat = {"read": [], "write": [], "effective": []}
        self.ops = {"read": 0, "write": 0}
        self.timeouts = {"read": 0, "write": 0}
        self.slow = {"read": 0, "write": 0}             # ended by a time-out (sync-threshold)
        self.retransmissions = {"read": 0, "write": 0}  # resends (u-protocols)
        self.unfinished = {"read": 0, "write": 0}       # never returned
        with open(d / "ops.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                kind = row["kind"]
                if kind not in self.ops:
                    continue
                self.ops[kind] += 1
                self.timeouts[kind] += row["outcome"] == "timeout"
                self.slow[kind] += row.get("slow") == "1"
                self.retransmissions[kind] += int(row.get("retransmissions") or 0)
                self.unfinished[kind] += row["return_s"] == ""
                lat = num(row["latency_s"])
                if lat is not None:
                    self.lat[kind].append(lat)
                eff, inv = num(row["effective_s"]), num(row["invoke_s"])
                if kind == "write" and eff is not None and inv is not None:
                    self.lat["effective"].append(eff - inv)
        # Messages sent, by the kind of operation that sends them (PROTOCOLS.md §7 counts sends).
        self.sent = {"read": 0, "write": 0, "all": 0}
        if (d / "messages.csv").is_file():
            with open(d / "messages.csv", newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    sent = int(row["sent"])
                    self.sent["all"] += sent
                    if row["type"] in READ_TYPES:
                        self.sent["read"] += sent
                    elif row["type"] in WRITE_TYPES:
                        self.sent["write"] += sent
        else:  # older or partial outputs: only the summary's overall figure
            per_op = self.summary.get("messages", {}).get("per_operation", {}).get("messages")
            self.sent = {"read": None, "write": None,
                         "all": per_op * sum(self.ops.values()) if per_op is not None else None}

    def get(self, field):
        s = self.summary
        if field == "name":
            return str(s.get("scenario", {}).get("name", ""))
        if field == "protocol":
            return str(s.get("protocol", "?"))
        if field in ("n", "f", "seed"):
            return f"{field}={s.get(field, '?')}"
        if field == "data":
            return str(s.get("data", ""))
        if field == "unsafe":
            return "UNSAFE" if s.get("unsafe") else ""
        node = self.sweep.get(field, self.scenario)  # a dotted path: swept value, else the file
        if field not in self.sweep:
            for part in field.split("."):
                if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    node = node.get(part) if isinstance(node, dict) else None
        return f"{field}={show(node)}" if node is not None else ""

    def value(self, path):
        """The raw value of a dotted scenario path in this run: the swept value (batch.json),
        else the expanded scenario the batch runner wrote (scenario.json), else bqsim's
        resolved scenario; protocol.name/n/f fall back to the summary (defaults). None if
        the run does not say."""
        if path in self.sweep:
            return self.sweep[path]
        for doc in (self.expanded, self.scenario):
            node = doc
            for part in path.split("."):
                if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    node = node.get(part) if isinstance(node, dict) else None
            if node is not None:
                return node
        fallback = {"protocol.name": "protocol", "protocol.n": "n", "protocol.f": "f"}
        return self.summary.get(fallback[path]) if path in fallback else None


def show(v):
    """A compact, readable rendering of a swept value; distributions as bqsim describes them."""
    if isinstance(v, dict):
        inner = ", ".join(f"{k}={show(v[k])}" for k in sorted(v) if k != "dist")
        return f"{v['dist']}({inner})" if "dist" in v else "{" + inner + "}"
    if isinstance(v, list):
        return "[" + ", ".join(show(x) for x in v) + "]"
    return v if isinstance(v, str) else json.dumps(v)


# The label field that shows a swept path, where one does (--x drops it from the labels).
SWEEP_FIELD = {"protocol.name": "protocol", "protocol.n": "n", "protocol.f": "f"}


def label_tokens(run, fields, exclude=None):
    parts = []
    for field in fields:
        if field == "sweep":
            parts += [f"{k}={show(v)}" for k, v in sorted(run.sweep.items())
                      if SWEEP_FIELD.get(k) not in fields and k != exclude]
        elif field != exclude:
            parts.append(run.get(field))
    return tuple(p for p in parts if p)


def group_runs(runs, label_by, exclude=None):
    """Runs with the same label tokens, in first-appearance order, and the tokens they all
    share (for titles). exclude: a swept path (--x) that labels must not split on."""
    fields = label_by.split(",") if label_by else None
    if fields is None:
        names = {r.get("name") for r in runs}
        fields = (["name"] if len(names) > 1 else []) + ["protocol", "n", "f", "unsafe", "sweep"]
        if exclude:  # n and f follow the swept field (n_min(f)) and show when swept; unsafe
            # runs are marked at their points (mark_problems) rather than split into lines
            fields = [x for x in fields if x not in ("n", "f", "unsafe")]
    if exclude:
        fields = [x for x in fields if x != SWEEP_FIELD.get(exclude)]
    keyed = {}
    for r in runs:  # dict order = first appearance in natural run order: deterministic
        keyed.setdefault(label_tokens(r, fields, exclude), []).append(r)
    # What every line shares goes to the page titles, so legends show only what differs.
    common = [t for t in next(iter(keyed)) if all(t in k for k in keyed)] if len(keyed) > 1 \
        else []
    groups = {" ".join(t for t in k if t not in common) or "all runs": rs
              for k, rs in keyed.items()}
    return groups, " ".join(common)


def colours(k):
    cmap = plt.get_cmap("tab10" if k <= 10 else "tab20" if k <= 20 else "viridis")
    return [cmap(i if k <= 20 else i / max(k - 1, 1)) for i in range(k)]


def finish_legend(fig, ax, entries):
    if entries == 0:
        return
    if entries <= LEGEND_INSIDE:
        ax.legend(fontsize="small", loc="lower right")
    else:
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))


def time_unit(values):
    top = max((max(v) for v in values if v), default=0)
    return (1e3, "ms") if top < 1 else (1.0, "s")


def cdf(ax, values, scale, **kw):
    xs = np.sort(np.asarray(values)) * scale
    ys = np.arange(1, len(xs) + 1) / len(xs)
    ax.step(np.concatenate(([xs[0]], xs)), np.concatenate(([0.0], ys)), where="post", **kw)


def latency_page(groups, colour, kind, common):
    fig, ax = plt.subplots(figsize=(11.7, 8.3))
    lat = {g: [x for r in rs for x in r.lat[kind]] for g, rs in groups.items()}
    eff = {g: [x for r in rs for x in r.lat["effective"]] for g, rs in groups.items()}
    scale, unit = time_unit(list(lat.values()) + (list(eff.values()) if kind == "write" else []))
    entries = 0
    for g, rs in groups.items():
        n_ops = sum(r.ops[kind] for r in rs)
        timeouts = sum(r.timeouts[kind] for r in rs)
        note = f"{n_ops} {kind}s" + (f", {timeouts} timed out" if timeouts else "")
        if not lat[g]:
            ax.plot([], [], color=colour[g], label=f"{g} (no completed {kind}s)")
        else:
            cdf(ax, lat[g], scale, color=colour[g], label=f"{g} ({note})")
        entries += 1
        # Effective completion (PROTOCOLS.md §2) differs from return for SBQ writes (later)
        # and for acknowledged writes (earlier): draw it only when it differs.
        if kind == "write" and eff[g] and lat[g] and (
                len(eff[g]) != len(lat[g]) or not np.allclose(sorted(eff[g]), sorted(lat[g]))):
            cdf(ax, eff[g], scale, color=colour[g], linestyle="--", label=f"{g} effective")
            entries += 1
    what = "Read latency" if kind == "read" else "Write latency (solid: return; dashed: " \
                                                  "effective completion)"
    ax.set_title(f"{what}, CDF over {sum(len(rs) for rs in groups.values())} runs" +
                 (f"\n{common}" if common else ""))
    ax.set_xlabel(f"latency ({unit})")
    ax.set_ylabel("fraction of operations")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    if not any(lat.values()):
        ax.text(0.5, 0.5, f"no completed {kind}s in these runs", ha="center",
                transform=ax.transAxes)
    finish_legend(fig, ax, entries)
    return fig


def messages_page(groups, common):
    names = list(groups)
    fig, ax = plt.subplots(figsize=(11.7, max(8.3, 0.45 * len(names) + 2)))
    kinds = [("read", "per read", "#4c72b0"), ("write", "per write", "#dd8452"),
             ("all", "per operation", "#8c8c8c")]
    height = 0.8 / len(kinds)
    for i, (kind, text, c) in enumerate(kinds):
        for y, g in enumerate(names):
            rs = groups[g]
            ops = sum(r.ops[kind] for r in rs) if kind != "all" else \
                sum(r.ops["read"] + r.ops["write"] for r in rs)
            sent = [r.sent[kind] for r in rs]
            pos = y + (i - 1) * height
            if ops == 0 or None in sent:
                ax.text(0, pos, f" no {kind + 's' if kind != 'all' else 'operations'}",
                        va="center", fontsize="x-small", color="grey")
                continue
            value = sum(sent) / ops
            ax.barh(pos, value, height=height, color=c, label=text if y == 0 else None)
            ax.text(value, pos, f" {value:.1f}", va="center", fontsize="x-small")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize="small")
    ax.set_ylim(len(names) - 0.5, -0.5)  # first group on top; keeps "no reads" notes inside
    ax.set_xlabel("messages sent per operation (requests, replies and retransmissions)")
    ax.set_title("Messages per operation by kind (seeds merged)" +
                 (f"\n{common}" if common else ""))
    ax.grid(axis="x", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


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


def yes_no(v):
    return "" if v is None else ("yes" if v is True else "no" if v is False else str(v))


def verdict_pages(runs, groups, incomplete):
    """One row per run; incomplete runs (no manifest.json) are listed too, so a batch's page
    shows every directory it made."""
    common = os.path.commonpath([str(d.resolve()) for d in [r.dir for r in runs] + incomplete])
    group_of = {id(r): g for g, rs in groups.items() for r in rs}
    cols = ["run", "label", "seed", "promised", "verdict", "safe", "regular", "atomic",
            "stuck", "violations"]
    rows, verdicts = [], []

    def short(d, width):
        rel = os.path.relpath(d.resolve(), common) if len(runs) + len(incomplete) > 1 else d.name
        return rel if len(rel) <= width else "…" + rel[-(width - 1):]
    for r in runs:
        c = r.summary.get("checker", {})
        lab = group_of[id(r)]
        rows.append([short(r.dir, 70), lab if len(lab) <= 50 else lab[:49] + "…",
                     r.summary.get("seed", ""), c.get("promised", r.summary.get("promised", "")),
                     c.get("verdict", "?"), yes_no(c.get("safe")), yes_no(c.get("regular")),
                     yes_no(c.get("atomic")), yes_no(c.get("stuck")),
                     len(c.get("violations") or [])])
        verdicts.append(c.get("verdict"))
    for d in incomplete:
        rows.append([short(d, 70), "", "", "", "incomplete", "", "", "", "", ""])
        verdicts.append("incomplete")
    figs, pages = [], range(0, len(rows), TABLE_ROWS)
    for page, start in enumerate(pages):
        fig, ax = plt.subplots(figsize=(11.7, 8.3))
        ax.axis("off")
        chunk = rows[start:start + TABLE_ROWS]
        table = ax.table(cellText=[[str(x) for x in row] for row in chunk], colLabels=cols,
                         loc="upper center", cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(7)
        table.auto_set_column_width(list(range(len(cols))))
        for i, v in enumerate(verdicts[start:start + TABLE_ROWS]):
            table[i + 1, cols.index("verdict")].set_facecolor(
                "#c6efce" if v == "pass" else "#ffc7ce" if v == "violation" else "#eeeeee")
        found = sum(v == "violation" for v in verdicts)
        more = f" (page {page + 1} of {len(pages)})" if len(pages) > 1 else ""
        partial = f", {len(incomplete)} incomplete" if incomplete else ""
        ax.set_title(f"Checker verdicts: {len(runs)} runs, {found} with violations{partial}{more}"
                     f"\nruns under {common}", fontsize="medium")
        figs.append(fig)
    return figs


def parse_args(argv):
    p = Parser(prog="bqsim-plot", description=__doc__.split("\n\n")[0],
               epilog="Exit status: 0 written; 2 bad input (no runs found, unreadable files).")
    p.add_argument("dirs", nargs="+", metavar="RUN_DIR_OR_BATCH_DIR")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="PLOTS.pdf")
    p.add_argument("--label-by", metavar="FIELDS",
                   help="comma-separated label fields: " + ", ".join(LABEL_FIELDS) +
                        ", or dotted scenario paths (default: protocol,n,f,unsafe,sweep, "
                        "with name first when runs come from several scenarios); runs with "
                        "the same label are merged into one line")
    p.add_argument("--png-dir", type=Path, metavar="DIR", help="also write each page as a PNG")
    p.add_argument("--x", metavar="PATH",
                   help="a swept dotted scenario field (protocol.n, protocol.timeout_s, "
                        "network.loss_probability): adds pages plotting read and write latency "
                        "(mean, p50, p99), slow reads, retransmissions and stuck or violating "
                        "runs against it, one line per remaining label group")
    args = p.parse_args(argv)
    if args.x is not None and ("." not in args.x or "" in args.x.split(".")):
        p.error(f"--x: expected a dotted scenario path such as protocol.n, got '{args.x}'")
    for field in (args.label_by or "").split(",") if args.label_by is not None else []:
        if field not in LABEL_FIELDS and "." not in field:
            p.error(f"--label-by: unknown field '{field}'; valid: {', '.join(LABEL_FIELDS)}, "
                    f"or a dotted scenario path")
    return args


def main(argv):
    args = parse_args(argv)
    dirs, incomplete = find_runs(args.dirs)
    if incomplete:
        print(f"note: skipped {len(incomplete)} incomplete runs (no manifest.json), e.g. "
              f"{incomplete[0]}", file=sys.stderr)
    if not dirs:
        raise UserError(f"no complete run (a directory with manifest.json) under "
                        f"{', '.join(args.dirs)}")
    runs = []
    for d in dirs:
        try:
            runs.append(Run(d))
        except (OSError, ValueError, KeyError, TypeError) as e:
            what = f"missing column {e}" if isinstance(e, KeyError) else (
                getattr(e, "strerror", None) or str(e))
            raise UserError(f"{d}: cannot read run outputs: {what}")
    groups, common = group_runs(runs, args.label_by)
    colour = dict(zip(groups, colours(len(groups))))
    pages = [("read-latency", latency_page(groups, colour, "read", common)),
             ("write-latency", latency_page(groups, colour, "write", common)),
             ("messages", messages_page(groups, common))]
    if args.x:
        pages += sweep_pages(runs, args.x, args.label_by)
    pages += [("verdicts", f) for f in verdict_pages(runs, groups, incomplete)]
    tmp = args.output.with_name(args.output.name + ".tmp")
    try:
        # No creation date in the file: the same runs give the same PDF.
        with PdfPages(tmp, metadata={"Creator": "bqsim-plot", "CreationDate": None}) as pdf:
            for _, fig in pages:  # "tight": an outside legend widens the page, never clipped
                pdf.savefig(fig, bbox_inches="tight")
        os.replace(tmp, args.output)
        if args.png_dir:
            args.png_dir.mkdir(parents=True, exist_ok=True)
            for i, (slug, fig) in enumerate(pages, 1):
                fig.savefig(args.png_dir / f"page-{i:02d}-{slug}.png", dpi=100,
                            bbox_inches="tight")
    except OSError as e:
        tmp.unlink(missing_ok=True)
        where = args.output if e.filename in (None, str(tmp)) else e.filename
        raise UserError(f"cannot write {where}: {e.strerror or e}")
    print(f"wrote {args.output} ({len(pages)} pages, {len(runs)} runs, {len(groups)} lines)"
          + (f" and PNGs in {args.png_dir}" if args.png_dir else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
