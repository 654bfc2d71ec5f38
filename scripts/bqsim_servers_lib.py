"""The server-count table of scripts/bqsim-servers: the protocol configurations, the theory it
is checked against (PROTOCOLS.md §3), the scenario each search runs, and the table's rows.
Standard library only.
"""
import csv
import io

COLUMNS = ["protocol", "data", "t", "f", "n_min_theory", "n_min_found", "broke_below", "seed",
           "scenario", "trials"]


class Config:
    """One row group of the table: a protocol, its data kind and (sync-threshold) t."""

    def __init__(self, protocol, data, t=None):
        self.protocol, self.data, self.t = protocol, data, t

    def label(self, f):
        t = "" if self.t is None else f"-t{self.t_value(f)}"
        return f"{self.protocol}-{self.data}{t}-f{f}"

    def t_value(self, f):
        """t = 0 or t = f for sync-threshold ("0" and "f" in the list), None elsewhere."""
        if self.t is None:
            return None
        return 0 if self.t == "0" else f

    def n_min(self, f):
        """PROTOCOLS.md §3: the paper's and Malkhi-Reiter's server counts."""
        p, t = self.protocol, self.t_value(f)
        if p in ("mr-masking", "u-masking"):
            return 4 * f + 1
        if p in ("mr-dissemination", "u-dissemination", "sbq-masking"):
            return 3 * f + 1
        if p == "sbq-dissemination":
            return 2 * f + 1
        if p == "sync-threshold":
            return (2 * f + 1 if self.data == "generic" else f + 1) + t
        raise ValueError(f"no theory for {p}")


CONFIGS = [
    Config("mr-masking", "generic"),
    Config("mr-dissemination", "self-verifying"),
    Config("sbq-masking", "generic"),
    Config("sbq-dissemination", "self-verifying"),
    Config("sync-threshold", "generic", "0"),
    Config("sync-threshold", "generic", "f"),
    Config("sync-threshold", "self-verifying", "0"),
    Config("sync-threshold", "self-verifying", "f"),
    Config("u-masking", "generic"),
    Config("u-dissemination", "self-verifying"),
]


def scenario(config, f, n, unsafe):
    """The scenario one search runs: generic data with ts_choice f+1-th (below), three
    clients, 30 operations each, reads 60%, a think
    time of twice the mean delay so that most reads overlap no write (safe semantics then
    constrains them in full), random delays (bounded on the synchronous network
    sync-threshold needs), and a short time limit so that a stuck run ends quickly."""
    sync = config.protocol == "sync-threshold"
    proto = {"name": config.protocol, "f": f, "n": n}
    if config.data == "generic":
        # §6: with ts_choice max one inflating server wraps the writers' counters at any n,
        # which says nothing about server counts; the (f+1)-th largest counter defeats it.
        proto["ts_choice"] = "f+1-th"
    if sync:
        proto["data"] = config.data
        proto["t"] = config.t_value(f)
    network = {"delay": {"dist": "exponential", "mean_s": 0.001}}
    if sync:
        network = {"delay": {"dist": "uniform", "min_s": 0.0002, "max_s": 0.002},
                   "synchrony": "sync", "bound_s": 0.002}
    doc = {
        "name": "servers-" + config.label(f) + f"-n{n}",
        "description": "scripts/bqsim-servers: attack search at n = " + str(n) +
                       (" (below the minimum, allow_unsafe)" if unsafe else ""),
        "seed": 1,
        "protocol": proto,
        "workload": {"clients": 3, "ops_per_client": 30, "read_fraction": 0.6,
                     "think_time": {"dist": "exponential", "mean_s": 0.002}},
        "network": network,
        "limits": {"max_sim_time_s": 5},
    }
    if unsafe:
        doc["allow_unsafe"] = True
    return doc


def markdown(rows):
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(str(r[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def csv_text(rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r[c] for c in COLUMNS})
    return out.getvalue()


def rows_for(config, f, n_min_found, below, trials_at_min):
    """The table rows of one configuration. `below` maps "liveness" and "safety" to the search
    at n_min - 1 that targeted it: {"found": {...} or None, "trials": k}. One row per kind of
    break found (safety first); one row with broke_below "none" if neither was found."""
    base = {"protocol": config.protocol, "data": config.data,
            "t": "" if config.t is None else config.t_value(f), "f": f,
            "n_min_theory": config.n_min(f), "n_min_found": n_min_found}
    rows = []
    for target in ("safety", "liveness"):
        s = below.get(target)
        if not s or not s["found"]:
            continue
        found = s["found"]
        broke = next((b for b in found["broke"] if b.startswith(target)), target)
        rows.append(dict(base, broke_below=broke, seed=found["run_seed"],
                         scenario=found["scenario"], trials=s["trials"] + trials_at_min))
    if not rows:
        trials = sum(s["trials"] for s in below.values()) + trials_at_min
        rows.append(dict(base, broke_below="none", seed="", scenario="", trials=trials))
    return rows
