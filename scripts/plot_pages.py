"""The pages bqsim-plot (scripts/plot_runs.py) always draws: read and write latency CDFs,
messages per operation by kind, and the checker's verdicts, plus the colour and legend helpers
the --x pages (plot_sweep.py) share."""
import os

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TABLE_ROWS = 32    # verdict rows per page, so the table stays legible
LEGEND_INSIDE = 8  # above this many entries the legend moves outside the axes


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
