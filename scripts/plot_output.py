"""What a figure function returns (the figure, the exact data it plots, its caption) and
writing it: the figure in the asked format and its data as <figure>.csv beside it, each to a
temp name renamed into place."""
import csv
import math
import os
from pathlib import Path

from bqsim_stats import show
from plot_collect import UserError
from plot_style import save


class Skip(Exception):
    """A figure the runs cannot support (e.g. only one f): said on stderr, nothing written."""


class Result:
    """name: file stem; columns: the CSV header; rows: dicts (None/"" empty, +inf "stuck");
    caption: what is drawn and which interval (the figure's footnote, and captions.csv)."""

    def __init__(self, name, fig, columns, rows, caption):
        self.name, self.fig, self.columns, self.rows = name, fig, columns, rows
        self.caption = caption


def cell(v):
    """Floats in full (the shortest text that reads back as the same double), so a CSV
    holds exactly what was plotted; +inf as "stuck"."""
    if isinstance(v, float):
        return show(v) if math.isinf(v) or math.isnan(v) else repr(v)
    return "" if v is None else v


def write_csv(path, columns, rows):
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(columns)
            for row in rows:
                w.writerow([cell(row.get(c)) for c in columns])
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {e.strerror or e}")


def write_result(result, path, fmt):
    """The figure to path (in fmt) and its data to the same name with .csv."""
    path = Path(path)
    write_csv(path.with_suffix(".csv"), result.columns, result.rows)
    save(result.fig, path, fmt)
    return path
