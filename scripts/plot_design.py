"""Explicit grouping of runs for bqsim-plot: runs whose configuration (the resolved scenario
without its seed) is identical are replicates and are aggregated over their seeds; runs that
differ in any field are never averaged together. A figure asks for series (lines) and, for
plots against a swept field, x positions; by default the series are every field that varies
except x, so no grouping can hide a swept field. --label-by chooses the series fields; runs
that would then share a series and an x but differ in another field are refused with one
line, never silently averaged."""
import json
import sys

from bqsim_stats import is_number, tuple_key, value_key
from plot_collect import UserError
from plot_names import canonical, field_text, label

# Fields shown first in labels and tables, in this order; the rest follow by name.
PREFERRED = ("name", "protocol.name", "protocol.f", "protocol.n", "protocol.t")


def order_fields(fields):
    return sorted(fields, key=lambda f: (PREFERRED.index(f) if f in PREFERRED
                                         else len(PREFERRED), f))


def config_key(run, drop=()):
    return json.dumps({k: v for k, v in run.config.items() if k not in drop}, sort_keys=True)


class Series:
    """One line: its fields' values, label text and runs by x position (None: no x)."""

    def __init__(self, fields, values):
        self.fields, self.values = fields, values
        self.label = label(fields, values)
        self.cells = {}

    def xs(self):
        return sorted(self.cells, key=value_key)


class Design:
    def __init__(self, runs, label_by=None):
        self.runs, dropped = [], []
        seen = {}
        for r in runs:  # one configuration and seed twice: the same run (bqsim is
            key = (config_key(r), r.seed)  # deterministic); count it once
            if key in seen:
                dropped.append((r, seen[key]))
                continue
            seen[key] = r
            self.runs.append(r)
        if dropped:
            r, first = dropped[0]
            print(f"note: {len(dropped)} runs repeat a configuration and seed already found "
                  f"and are counted once (e.g. {r.dir} repeats {first.dir})", file=sys.stderr)
        keys = set().union(*(r.config for r in self.runs))
        self.varying = order_fields(
            k for k in keys if len({json.dumps(r.config.get(k)) for r in self.runs}) > 1)
        self.label_by = [canonical(f) for f in label_by.split(",")] if label_by else None

    def values_of(self, field):
        return sorted({r.value(field) for r in self.runs} - {None}, key=value_key)

    def numeric_fields(self):
        """Varying fields whose values are all numbers: candidates for an x axis."""
        return [f for f in self.varying
                if all(is_number(r.value(f)) for r in self.runs)]

    def series(self, x=None, exclude=()):
        """The runs arranged as series, sorted by their values (numbers numerically), each
        with its runs per x value. exclude: fields held in the series' label elsewhere (a
        figure's panels). Raises UserError when --label-by would average different
        configurations."""
        if x is not None and any(r.value(x) is None for r in self.runs):
            missing = [r for r in self.runs if r.value(x) is None]
            raise UserError(f"--x {x}: {len(missing)} runs do not have this field "
                            f"(e.g. {missing[0].dir}); give the runs of one sweep")
        fields = self.label_by if self.label_by is not None else \
            [f for f in self.varying if f != x and f not in exclude]
        fields = [f for f in fields if f != x]
        found = {}
        for r in self.runs:
            values = tuple(r.value(f) for f in fields)
            s = found.setdefault(values, Series(fields, values))
            s.cells.setdefault(r.value(x) if x else None, []).append(r)
        if len(found) == 1:  # one line: name it by what its runs share
            only = next(iter(found.values()))
            only.label = only.label if only.fields else (self.common_text() or "all runs")
        if self.label_by is not None:
            for s in found.values():
                for xv, rs in s.cells.items():
                    self._check_cell(s, x, xv, rs)
        return [found[k] for k in sorted(found, key=tuple_key)]

    def _check_cell(self, s, x, xv, rs):
        drop = {x} if x else set()
        if len({config_key(r, drop) for r in rs}) == 1:
            return
        differ = [f for f in self.varying if f != x and
                  len({json.dumps(r.value(f)) for r in rs}) > 1]
        where = f"'{s.label}'" + (f" at {field_text(x, xv)}" if x else "")
        what = ", ".join(f"{f} ({', '.join(sorted({str(r.value(f)) for r in rs}))})"
                         for f in differ[:2]) or "other scenario fields"
        raise UserError(f"--label-by {','.join(self.label_by)}: the runs of {where} differ in "
                        f"{what}; add {differ[0] if differ else 'the field'} to --label-by "
                        f"(runs of different configurations are never averaged)")

    def common_text(self):
        """What every run shares, for a figure's caption: the fields that matter most."""
        parts = []
        for f in ("name", "protocol.name", "protocol.f", "protocol.n"):
            vals = {json.dumps(r.value(f)) for r in self.runs}
            if f not in self.varying and len(vals) == 1 and f != "name":
                v = self.runs[0].value(f)
                if v is not None:
                    parts.append(field_text(f, v))
        return ", ".join(parts)

    def seeds(self):
        return sorted({r.seed for r in self.runs}, key=value_key)
