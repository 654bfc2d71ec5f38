"""Figures against a swept field: latency (read, write return, write effective completion)
against x with n annotated (figure a: x = protocol.f), read latency against n at fixed f
(figure d), messages per read and per write against x with the closed forms (figure b), and
stuck operations, retransmissions and slow reads against x."""
from bqsim_stats import is_stuck
from plot_names import MEASURES, axis_label, scale, short
from plot_output import Result, Skip
from plot_points import (dodges, draw_points, finite_values, interval_text, latency_point,
                         set_x, set_y, stat_name, value_point, x_positions)
from plot_style import (legend_above, series_handle, series_style, stuck_handle, time_scale)
from matplotlib.lines import Line2D

STATS = ("mean", "p99")
# Messages per operation without loss or faults, PROTOCOLS.md §7: a read is n requests and n
# replies; an SBQ write is a timestamp phase (2n) and n unacknowledged writes; the others
# acknowledge their writes (4n). Protocols not listed get no closed form.
CLOSED_FORM = {"read": {"*": 2},
               "write": {"sbq-masking": 3, "sbq-dissemination": 3, "mr-masking": 4,
                         "mr-dissemination": 4, "u-masking": 4, "u-dissemination": 4,
                         "sync-threshold": 4}}


# File names: distinct even on case-insensitive file systems (T and t).
FILE_NAMES = {"protocol.timeout_s": "timeout"}


def name_of(x):
    return FILE_NAMES.get(x) or short(x) or x.split(".")[-1]


def base_columns(series, x):
    fields = series[0].fields if series else []
    return ["series", *fields, x] + (["n"] if x != "protocol.n" else []) + \
        (["f"] if x != "protocol.f" else [])


def row_base(s, x, xv, runs):
    row = {"series": s.label, x: xv}
    row.update(dict(zip(s.fields, s.values)))
    ns = sorted({r.n for r in runs})
    fs = sorted({r.f for r in runs})
    row["n"] = ns[0] if len(ns) == 1 else "/".join(map(str, ns))
    row["f"] = fs[0] if len(fs) == 1 else "/".join(map(str, fs))
    return row


def stat_handles(stats, look):
    """Filled markers: means (t-interval); open markers: percentiles (bootstrap interval)."""
    return [Line2D([], [], color="#333333", marker="o", linestyle="",
                   markerfacecolor="#333333" if st == "mean" else "white",
                   label=f"{stat_name(st)} ± 95% " + ("t-interval" if st == "mean"
                                                      else "bootstrap interval"))
            for st in stats]


def check_x(design, x, need=2):
    positions, categorical = x_positions(design.values_of(x), scale(x))
    if len(positions) < need:
        raise Skip(f"{x} takes {len(positions)} value(s) in these runs; need {need}")
    return positions, categorical


def latency_panels(design, x, opts, look, measures, series, name, title_extra=""):
    positions, categorical = check_x(design, x)
    pts = {(i, m, st): [latency_point(xv, s.cells[xv], m, st, opts) for xv in s.xs()]
           for i, s in enumerate(series) for m in measures for st in STATS}
    tscale, unit = time_scale([v for ps in pts.values() for p in ps for v in (p.value, p.high)
                               if v is not None and not is_stuck(v)])
    cols = len(measures) if look.size == "page" else 1
    fig, axes = look.figure(len(measures), cols=cols, sharex=True)
    full = max(p.seeds for ps in pts.values() for p in ps)
    off = dodges(len(series) * len(STATS), positions, categorical)
    rows, any_stuck = [], False
    # One y scale for every panel: log when any panel's values span more than LOG_SPAN.
    log = any(set_y(ax, finite_values([p for (i, mm, st), ps in pts.items() if mm == m
                                       for p in ps], tscale))
              for ax, m in zip(axes, measures))
    for ax, m in zip(axes, measures):
        panel = [p for (i, mm, st), ps in pts.items() if mm == m for p in ps]
        ax.set_yscale("linear")
        set_y(ax, finite_values(panel, tscale), log=log)
        set_x(ax, x, positions, categorical)
        for i, s in enumerate(series):
            for k, st in enumerate(STATS):
                ps = pts[(i, m, st)]
                draw_points(ax, i, ps, positions, tscale, filled=(st == "mean"),
                            dodge=off[i * len(STATS) + k], look=look,
                            seeds_full=full if st == STATS[-1] else None)  # once per x
                any_stuck |= any(is_stuck(p.value) or is_stuck(p.high) for p in ps)
                for p in ps:
                    rows.append({**row_base(s, x, p.x, p.runs or s.cells[p.x]),
                                 "measure": m, "stat": st, "unit": "s", **p.row()})
            if m == measures[0] and x != "protocol.n" and "protocol.n" not in s.fields \
                    and len({r.n for r in design.runs}) > 1:
                annotate_n(ax, i, s, positions, pts[(i, m, "mean")], tscale, look)
        ax.set_ylabel(f"{MEASURES[m]} ({unit})" if cols > 1 or len(measures) == 1
                      else f"{MEASURES[m]}\n({unit})")
        if cols == 1 and ax is not axes[-1]:
            ax.set_xlabel("")
    handles = [series_handle(series_style(i), s.label) for i, s in enumerate(series)]
    handles += stat_handles(STATS, look) + ([stuck_handle()] if any_stuck else [])
    legend_above(fig, handles, look)
    fig.tight_layout(h_pad=0.4, w_pad=0.8)
    caption = (f"{', '.join(MEASURES[m] for m in measures).capitalize()} against "
               f"{axis_label(x)}"
               f"{title_extra}; {interval_text(STATS, opts)}; {full} seeds per point"
               f"{' (fewer where marked)' if any(p.seeds < full for ps in pts.values() for p in ps) else ''}"
               f"; stuck operations count as infinite latency.")
    columns = base_columns(series, x) + ["measure", "stat", "value", "ci_low", "ci_high",
                                         "interval", "unit", "seeds", "ops", "stuck"]
    return Result(name, fig, columns, rows, caption)


def annotate_n(ax, i, s, positions, points, tscale, look):
    """n beside each mean where n follows x (3f+1 against 4f+1): the number of servers each
    point paid for."""
    st = series_style(i)
    for p in points:
        if p.value is None or is_stuck(p.value):
            continue
        ns = sorted({r.n for r in p.runs})
        ax.annotate("n=" + "/".join(map(str, ns)), (positions[p.x], p.value * tscale),
                    xytext=(4, -9 if i % 2 else 4), textcoords="offset points",
                    fontsize=look.font - 2, color=st["color"])


def latency_vs_x(design, x, opts, look):
    series = design.series(x)
    return latency_panels(design, x, opts, look, ("read", "write", "effective"), series,
                          f"latency-vs-{name_of(x)}")


def read_latency_vs_n(design, opts, look):
    """Figure d: read latency against n, one line per remaining configuration (f fixed on
    each line): the read waits for the fastest replies among n."""
    x = "protocol.n"
    series = design.series(x)
    if not any(len(s.cells) > 1 for s in series):
        raise Skip("no configuration has two values of n at a fixed f (sweep protocol.n)")
    series = [s for s in series if len(s.cells) > 1]
    return latency_panels(design, x, opts, look, ("read",), series, "read-latency-vs-n",
                          " at fixed f")


def messages_vs_x(design, x, opts, look):
    """Figure b: messages sent per read and per write (retransmissions included) against x,
    mean over seeds with t-intervals, with the closed forms thin and dotted."""
    positions, categorical = check_x(design, x)
    series = design.series(x)
    cols = 2 if look.size == "page" else 1
    fig, axes = look.figure(2, cols=cols, sharex=True)
    rows, drawn_forms = [], set()
    off = dodges(len(series), positions, categorical)
    for ax, kind in zip(axes, ("read", "write")):
        pts = [[value_point(xv, s.cells[xv], lambda r: r.messages_per(kind)) for xv in s.xs()]
               for s in series]
        forms = []
        for i, s in enumerate(series):
            k = CLOSED_FORM[kind].get("*") or CLOSED_FORM[kind].get(
                str(s.cells[s.xs()[0]][0].protocol))
            if k:
                fx = [(positions[xv], k * s.cells[xv][0].n) for xv in s.xs()]
                forms.append((i, k, fx))
        set_y(ax, finite_values([p for ps in pts for p in ps], 1.0) +
              [y for _, _, fx in forms for _, y in fx], log=False)
        set_x(ax, x, positions, categorical)
        lo, hi = ax.get_xlim()
        ax.set_xlim(lo, hi + 0.08 * (hi - lo))  # room for the closed forms' labels
        labelled = set()
        for i, k, fx in forms:
            # Thin and dark, above the data: where the measurement equals the closed form
            # the dotted line runs inside the coloured one.
            ax.plot([a for a, _ in fx], [b for _, b in fx], color="#222222",
                    linestyle=":", linewidth=0.7, zorder=5)
            if fx[-1] not in labelled:  # lines that coincide get one label
                labelled.add(fx[-1])
                ax.annotate(f"{k}n", fx[-1], xytext=(7, 0), textcoords="offset points",
                            fontsize=look.font - 1, color=series_style(i)["color"],
                            va="center")
            drawn_forms.add(k)
        for i, (s, ps) in enumerate(zip(series, pts)):
            draw_points(ax, i, ps, positions, 1.0, dodge=off[i])
            for p in ps:
                ck = next((k for j, k, _ in forms if j == i), None)
                rows.append({**row_base(s, x, p.x, p.runs or s.cells[p.x]), "kind": kind,
                             **p.row(), "ops": sum(r.count(kind) for r in s.cells[p.x]),
                             "closed_form": f"{ck}n" if ck else "",
                             "closed_form_value": ck * s.cells[p.x][0].n if ck else None})
        ax.set_ylabel(f"messages per {kind}")
        if cols == 1 and kind == "read":
            ax.set_xlabel("")
    handles = [series_handle(series_style(i), s.label) for i, s in enumerate(series)]
    handles.append(Line2D([], [], color="#222222", linestyle=":", linewidth=0.7,
                          label="closed form (no loss)"))
    legend_above(fig, handles, look)
    fig.tight_layout(h_pad=0.4)
    caption = (f"Messages sent per read and per write (requests, replies, retransmissions) "
               f"against {axis_label(x)}; means with 95% t-intervals over seeds; dotted: "
               f"PROTOCOLS.md section 7 closed forms "
               f"{', '.join(f'{k}n' for k in sorted(drawn_forms))}.")
    columns = base_columns(series, x) + ["kind", "value", "ci_low", "ci_high", "interval",
                                         "seeds", "ops", "closed_form", "closed_form_value"]
    return Result(f"messages-vs-{name_of(x)}", fig, columns, rows, caption)


def faults_vs_x(design, x, opts, look):
    """Stuck operations, operations never started, retransmissions and slow reads against x:
    each panel only when it is not zero everywhere."""
    positions, categorical = check_x(design, x)
    series = design.series(x)
    measures = [  # percentages: their intervals are clipped to [0, 100]
        ("stuck", "stuck operations\n(% of invoked)",
         lambda r: 100.0 * sum(r.stuck(k) for k in ("read", "write")) / max(len(r.ops), 1)),
        ("not_started", "operations never started\n(% of planned)",
         lambda r: 100.0 * r.not_started() / r.planned_ops() if r.planned_ops() else None),
        ("retransmissions", "retransmissions\nper operation",
         lambda r: sum(o.retransmissions for o in r.ops) / max(len(r.ops), 1)),
        ("slow_reads", "slow reads (%)\n(ended by the time-out)",
         lambda r: 100.0 * r.count("read", lambda o: o.slow) / max(r.count("read"), 1)),
    ]
    bounds = {"stuck": (0, 100), "not_started": (0, 100), "slow_reads": (0, 100),
              "retransmissions": (0, None)}
    pts = {m: [[value_point(xv, s.cells[xv], fn, bounds[m]) for xv in s.xs()]
               for s in series] for m, _, fn in measures}
    shown = [(m, text) for m, text, _ in measures
             if any(p.value for ps in pts[m] for p in ps)]
    if not shown:
        raise Skip("no stuck or unstarted operation, retransmission or slow read in these runs")
    cols = 2 if look.size == "page" and len(shown) > 1 else 1
    fig, axes = look.figure(len(shown), cols=cols, sharex=True)
    off = dodges(len(series), positions, categorical)
    rows = []
    for ax, (m, text) in zip(axes, shown):
        set_y(ax, finite_values([p for ps in pts[m] for p in ps], 1.0), log=False)
        set_x(ax, x, positions, categorical)
        for i, (s, ps) in enumerate(zip(series, pts[m])):
            draw_points(ax, i, ps, positions, 1.0, dodge=off[i])
            rows += [{**row_base(s, x, p.x, p.runs or s.cells[p.x]), "measure": m, **p.row()}
                     for p in ps]
        ax.set_ylabel(text)
    for ax in axes[:-cols]:
        ax.set_xlabel("")
    legend_above(fig, [series_handle(series_style(i), s.label) for i, s in enumerate(series)],
                 look)
    fig.tight_layout(h_pad=0.4)
    shown_names = [m for m, _ in shown]
    notes = {"stuck": "stuck: never completed (ops.csv outcome timeout)",
             "not_started": "never started: planned operations a stuck client never issued",
             "retransmissions": "retransmissions: resends after a retransmission time-out",
             "slow_reads": "slow: a read ended by the time-out T"}
    caption = (f"{', '.join(t.split(chr(10))[0] for _, t in shown).capitalize()} against "
               f"{axis_label(x)}: per run, then mean with 95% t-intervals over seeds (clipped "
               f"to the possible range); " + "; ".join(notes[m] for m in shown_names) + ".")
    columns = base_columns(series, x) + ["measure", "value", "ci_low", "ci_high", "interval",
                                         "seeds"]
    return Result(f"faults-vs-{name_of(x)}", fig, columns, rows, caption)

