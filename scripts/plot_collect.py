"""Reading bqsim run directories for bqsim-plot: finding complete runs (manifest.json written
last), and loading each run's configuration, operations (stuck ones as +inf latency), message
counts, Byzantine windows and network fault windows. Grouping runs into series lives in
plot_design.py, the sweep's expected grid in plot_grid.py."""
import csv
import json
import math
import os
from pathlib import Path

from bqsim_stats import STUCK, natural_key

KINDS = ("read", "write")
# Fields the summary knows when the scenario leaves them to their defaults (n = n_min(f)).
SUMMARY_FALLBACK = {"protocol.name": "protocol", "protocol.n": "n", "protocol.f": "f"}


from bqsim_common import UserError  # noqa: E402,F401  (one definition for every script)


def find_runs(paths):
    """(complete run directories, incomplete ones) under the given directories, each sorted
    naturally. A run directory is complete when it holds manifest.json; one with a summary,
    ops.csv or batch.json but no manifest is incomplete (interrupted or never finished)."""
    runs, incomplete = [], []
    for p in map(Path, paths):
        if not p.is_dir():
            raise UserError(f"{p}: not a directory")
        for root, dirs, files in os.walk(p):
            # Hidden directories hold the batch runner's runs in progress (.bqsim-batch/tmp).
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if "manifest.json" in files:
                runs.append(Path(root))
                dirs.clear()  # a run directory has no runs inside
            elif {"summary.json", "ops.csv", "batch.json"} & set(files):
                incomplete.append(Path(root))
    unique = {r.resolve(): r for r in runs}
    return sorted(unique.values(), key=natural_key), sorted(set(incomplete), key=natural_key)


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def flatten(doc, prefix=""):
    """A JSON document as {dotted path: leaf value}; arrays of scalars stay one value (their
    JSON text), arrays of objects are indexed (byzantine.0.servers)."""
    out = {}
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(doc, list) and any(isinstance(x, (dict, list)) for x in doc):
        for i, v in enumerate(doc):
            out.update(flatten(v, f"{prefix}{i}."))
    elif isinstance(doc, list):
        out[prefix[:-1]] = json.dumps(doc, separators=(",", ":"))
    else:
        out[prefix[:-1]] = doc
    return out


def num(text):
    return float(text) if text not in ("", None) else None


class Op:
    __slots__ = ("op_id", "client", "kind", "invoke_s", "latency_s", "effective_s", "outcome",
                 "slow", "retransmissions")

    def __init__(self, row):
        self.op_id = int(row["op_id"])
        self.client = int(row["client"])
        self.kind = row["kind"]
        self.invoke_s = float(row["invoke_s"])
        self.outcome = row["outcome"]  # ok | bottom | timeout (timeout = stuck: never returned)
        lat = num(row["latency_s"])
        self.latency_s = STUCK if lat is None or self.outcome == "timeout" else lat
        eff = num(row["effective_s"])
        # A write that never took effect at the last correct server of its quorum: stuck too.
        self.effective_s = STUCK if eff is None else eff - self.invoke_s
        self.slow = row.get("slow") == "1"
        self.retransmissions = int(row.get("retransmissions") or 0)

    @property
    def stuck(self):
        return math.isinf(self.latency_s)


class Run:
    """One complete run directory."""

    def __init__(self, d):
        self.dir = Path(d)
        self.summary = read_json(self.dir / "summary.json")
        self.batch = self._optional_json("batch.json")
        self.resolved = self._optional_json("scenario.resolved.json") or \
            self._optional_json("scenario.json")
        self.seed = self.summary.get("seed", self.resolved.get("seed"))
        self.name = str(self.summary.get("scenario", {}).get("name")
                        or self.resolved.get("name", ""))
        # Everything that defines the run except its seed: runs equal here are replicates.
        self.config = {k: v for k, v in flatten(self.resolved).items()
                       if k != "seed" and k != "description"}
        self.config.setdefault("name", self.name)
        self.point = self.batch.get("sweep") or {}  # the batch runner's swept values
        self.n, self.f = self.summary.get("n"), self.summary.get("f")
        self.protocol = self.summary.get("protocol", self.config.get("protocol.name"))
        self.sim_end_s = self.summary.get("sim_end_s")
        self.ops = []
        with open(self.dir / "ops.csv", newline="", encoding="utf-8") as fh:
            self.ops = [Op(row) for row in csv.DictReader(fh) if row["kind"] in KINDS]
        self.events = self._events()

    def _optional_json(self, name):
        p = self.dir / name
        return read_json(p) if p.is_file() else {}

    def _events(self):
        """Network fault windows from events.csv (kind, from_s, until_s, detail), if the run
        wrote one; an empty until_s lasts to the end of the run."""
        p = self.dir / "events.csv"
        if not p.is_file():
            return []
        with open(p, newline="", encoding="utf-8") as fh:
            return [(row["kind"], num(row["from_s"]) or 0.0, num(row.get("until_s")),
                     row.get("detail") or "") for row in csv.DictReader(fh)]

    def value(self, path):
        """A dotted scenario field of this run: its configured value, else (for protocol.name,
        n and f left to their defaults) what the summary says; None if neither."""
        if path in self.config:
            return self.config[path]
        if path in SUMMARY_FALLBACK:
            return self.summary.get(SUMMARY_FALLBACK[path])
        prefix = path + "."
        sub = {k[len(prefix):]: v for k, v in self.config.items() if k.startswith(prefix)}
        return json.dumps(sub, sort_keys=True) if sub else None

    # --- per-run statistics --------------------------------------------------------------
    def latencies(self, what):
        """Latencies of every operation of a kind, stuck ones as +inf. what: read, write
        (return) or effective (writes: effective completion, PROTOCOLS.md §2)."""
        if what == "effective":
            return [o.effective_s for o in self.ops if o.kind == "write"]
        return [o.latency_s for o in self.ops if o.kind == what]

    def count(self, kind, pred=lambda o: True):
        return sum(1 for o in self.ops if o.kind == kind and pred(o))

    def stuck(self, kind):
        return self.count(kind, lambda o: o.stuck)

    def messages_per(self, kind):
        """Messages sent by the phases of `kind` operations per such operation (PROTOCOLS.md §7
        counts requests and replies, retransmissions included), as bqsim's summary counts them
        from its own message-type table; None without such operations."""
        per = (self.summary.get("messages") or {}).get(f"per_{kind}")
        return per["messages"] if per else None

    def planned_ops(self):
        """Operations the workload would have run (clients x ops_per_client); None for a
        duration-bounded workload."""
        clients = self.config.get("workload.clients")
        per = self.config.get("workload.ops_per_client")
        if clients is None or per is None:
            return None if "workload.duration_s" in self.config else \
                (clients or 1) * (per or 100)  # the reader's defaults: 1 client, 100 ops
        return clients * per

    def not_started(self):
        """Planned operations never invoked: in a closed loop a stuck client issues no more."""
        planned = self.planned_ops()
        return max(planned - len(self.ops), 0) if planned is not None else 0

    def checker(self):
        return self.summary.get("checker", {})

    def promised(self):
        return self.checker().get("promised", self.summary.get("promised"))

    def violated(self):
        c = self.checker()
        return c.get(self.promised()) is False

    def run_stuck(self):
        c = self.checker()
        return bool(c.get("stuck")) or bool(c.get("time_limit_hit")) or \
            bool(c.get("message_limit_hit"))

    def byzantine_windows(self):
        """(label, from_s, until_s) for each scripted behaviour; until_s None: to the end."""
        out = []
        for entry in self.resolved.get("byzantine") or []:
            servers = entry.get("servers")
            who = (f"server {servers[0]}" if len(servers) == 1 else
                   "servers " + ",".join(map(str, servers))) if servers else \
                f"{entry.get('count', '?')} servers"
            for b in entry.get("behaviours") or []:
                kind = b.get("kind", "?")
                start = b.get("at_s", 0.0) if kind == "crash" else b.get("from_s", 0.0)
                out.append((f"{who}: {kind}", float(start or 0.0),
                            None if kind == "crash" else b.get("until_s")))
        return out


def load_runs(paths):
    """Every complete run under paths, and the incomplete directories; UserError if a run
    cannot be read or none is found."""
    dirs, incomplete = find_runs(paths)
    if not dirs:
        raise UserError(f"no complete run (a directory with manifest.json) under "
                        f"{', '.join(map(str, paths))}")
    runs = []
    for d in dirs:
        try:
            runs.append(Run(d))
        except (OSError, ValueError, KeyError, TypeError) as e:
            what = f"missing column {e}" if isinstance(e, KeyError) else (
                getattr(e, "strerror", None) or str(e))
            raise UserError(f"{d}: cannot read run outputs: {what}")
    return runs, incomplete
