"""Figure f: the checker's verdicts as a table, one row per configuration (its seeds counted,
never merged with another configuration), rows in the order of their values (numbers
numerically), then a row per sweep point with no complete run and per incomplete run
directory."""
import json

from plot_collect import read_json
from plot_design import order_fields
from plot_grid import canon
from plot_names import label
from plot_output import Result

HEADER = ["configuration", "n", "f", "promised", "seeds", "pass", "safe", "regular", "atomic",
          "stuck", "violations"]
SHORT_HEADER = ["configuration", "n", "f", "promise", "seeds", "pass", "safe", "reg.", "atom.",
                "stuck", "viol."]
PASS_BG, FAIL_BG = "#d9ecf7", "#f6d5c3"  # pale Okabe-Ito blue / vermillion


def fit_columns(fig, ax, table, size, smallest=4.5):
    """Columns as wide as their widest text (measured), the table as wide as the axes; the
    font shrinks (down to `smallest` pt) until the texts fit."""
    table.auto_set_font_size(False)
    renderer = fig.canvas.get_renderer()
    avail = ax.get_window_extent(renderer).width
    while True:
        table.set_fontsize(size)
        for (r, c), cell in table.get_celld().items():
            cell.get_text().set_fontweight("bold" if r == 0 else "normal")
        widths = {}
        for (r, c), cell in table.get_celld().items():
            # A cell keeps a margin of PAD (a fraction of its width) on each side.
            w = cell.get_text().get_window_extent(renderer).width / (1 - 2 * cell.PAD) + 2
            widths[c] = max(widths.get(c, 0), w)
        total = sum(widths.values())
        if total <= avail or size <= smallest:
            break
        size = max(smallest, size * avail / total)
    for (r, c), cell in table.get_celld().items():
        cell.set_width(widths[c] / total)


def incomplete_text(d):
    """An incomplete run as its sweep point and seed (batch.json), else its directory name."""
    try:
        b = read_json(d / "batch.json")
        point = b.get("sweep") or {}
        keys = order_fields(point)
        return label(keys, [point[k] for k in keys]) + f", seed {b['seed']}"
    except (OSError, ValueError, KeyError, AttributeError):
        return d.name


def frac(k, total):
    return f"{k}/{total}"


def verdicts(design, incomplete, gaps, opts, look):
    series = design.series()
    rows, cells, colours, absent = [], [], [], []
    for s in series:
        runs = [r for rs in s.cells.values() for r in rs]
        k = len(runs)
        held = {sem: sum(r.checker().get(sem) is True for r in runs)
                for sem in ("safe", "regular", "atomic")}
        passed = sum(r.checker().get("verdict") == "pass" for r in runs)
        stuck_runs = sum(r.run_stuck() for r in runs)
        viol = sum(len(r.checker().get("violations") or []) for r in runs)
        ns = "/".join(map(str, sorted({r.n for r in runs})))
        fs = "/".join(map(str, sorted({r.f for r in runs})))
        promised = "/".join(sorted({str(r.promised()) for r in runs}))
        unsafe = sum(bool(r.summary.get("unsafe")) for r in runs)
        rows.append({"series": s.label, **dict(zip(s.fields, s.values)), "n": ns, "f": fs,
                     "promised": promised, "seeds": k, "runs_pass": passed,
                     "runs_violation": sum(r.checker().get("verdict") == "violation"
                                           for r in runs),
                     "safe_held": held["safe"], "regular_held": held["regular"],
                     "atomic_held": held["atomic"], "runs_stuck": stuck_runs,
                     "violations": viol, "unsafe_runs": unsafe,
                     "seed_list": " ".join(str(r.seed) for r in runs)})
        text = s.label + (" (UNSAFE)" if unsafe else "")
        cells.append([text, ns, fs, promised, k, frac(passed, k), frac(held["safe"], k),
                      frac(held["regular"], k), frac(held["atomic"], k), frac(stuck_runs, k),
                      viol])
        colours.append(PASS_BG if passed == k else FAIL_BG)
    for g in gaps:  # sweep points with no complete run at all: say so, do not drop them
        present = {tuple(sorted((k, canon(v)) for k, v in r.point.items()))
                   for r in design.runs if r.name == g.scenario}
        for point in sorted({p for p, _ in g.missing} - present):
            text = label(order_fields([k for k, _ in point]),
                         [json.loads(dict(point)[k]) for k in order_fields(dict(point))])
            rows.append({"series": f"missing: {text}", "seeds": 0,
                         **{k: json.loads(v) for k, v in point}})
            absent.append(f"no run of {text}")
    for d in incomplete:
        rows.append({"series": f"incomplete: {d}", "seeds": 0})
        absent.append(f"incomplete (no manifest.json): {incomplete_text(d)}")
    height = 0.3 + (len(cells) + 1) * 2.1 * (look.font - 1.5) / 72  # rows of ~2 line heights
    fig, (ax,) = look.figure(1, height=height, sharex=False)
    ax.axis("off")
    header = HEADER if look.size == "page" else SHORT_HEADER
    table = ax.table(cellText=[[str(c) for c in row] for row in cells], colLabels=header,
                     bbox=[0, 0, 1, 1], cellLoc="center", colLoc="center")
    fit_columns(fig, ax, table, look.font - 1.5)
    for (r, c), cell in table.get_celld().items():
        cell.set_linewidth(0.3)
        cell.set_edgecolor("#bbbbbb")
        if r > 0 and c == 0:
            cell.set_text_props(ha="left")
            cell._loc = "left"
        if r > 0 and c == HEADER.index("pass"):
            cell.set_facecolor(colours[r - 1])
    fig.tight_layout()
    caption = ("Not in the table: " + "; ".join(absent) + ". " if absent else "") + (
               "Checker verdicts per configuration over its seeds: runs that passed, runs in "
               "which each semantics held (the protocol promises the one named in its row), runs "
               "with a stuck operation or a limit hit, and violations listed in all "
               "(of any semantics; only the promised one decides pass). Pass cells: blue when "
               "every seed passed, orange otherwise.")
    columns = ["series", *(series[0].fields if series else []), "n", "f", "promised", "seeds",
               "runs_pass", "runs_violation", "safe_held", "regular_held", "atomic_held",
               "runs_stuck", "violations", "unsafe_runs", "seed_list"]
    return Result("verdicts", fig, columns, rows, caption)
