"""Reading bqsim run directories for bqsim-plot (scripts/plot_runs.py): finding complete runs,
loading each run's summary, scenario, operations and message counts, and grouping runs into
labelled lines. Needs only the standard library."""
import csv
import json
import os
import re
from pathlib import Path

from bqsim_common import UserError  # noqa: F401  (one definition for every script)

LABEL_FIELDS = ("name", "protocol", "n", "f", "data", "seed", "unsafe", "sweep")
READ_TYPES = {"read", "read_reply"}
WRITE_TYPES = {"ts_query", "ts_reply", "write", "write_ack"}



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
