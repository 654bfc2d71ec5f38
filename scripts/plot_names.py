"""Readable names for scenario fields and statistics: one table, so every axis label, legend
entry and CSV caption says the same thing with the same unit."""
import json

from bqsim_stats import is_number

# dotted path -> (axis label with unit, short legend name, scale to the unit shown).
FIELDS = {
    "name": ("scenario", "", 1),
    "protocol.name": ("protocol", "", 1),
    "protocol.f": ("f (Byzantine servers tolerated)", "f", 1),
    "protocol.n": ("n (servers)", "n", 1),
    "protocol.t": ("t (failures without slow reads)", "t", 1),
    "protocol.timeout_s": ("time-out T (ms)", "T", 1e3),
    "protocol.contact": ("contact", "contact", 1),
    "protocol.ts_choice": ("timestamp choice", "ts", 1),
    "protocol.buffers": ("buffers per client", "buffers", 1),
    "protocol.retransmit_initial_s": ("first retransmission time-out (ms)", "RTO", 1e3),
    "protocol.signature_bytes": ("signature size (bytes)", "sig", 1),
    "network.loss_probability": ("message loss probability", "loss", 1),
    "network.bound_s": ("delay bound (ms)", "bound", 1e3),
    "network.gst_s": ("GST (s)", "GST", 1),
    "network.delay.median_s": ("median one-way delay (ms)", "delay", 1e3),
    "network.delay.mean_s": ("mean one-way delay (ms)", "delay", 1e3),
    "network.delay.value_s": ("one-way delay (ms)", "delay", 1e3),
    "network.delay.sigma": ("delay sigma (lognormal)", "sigma", 1),
    "network.delay.shape": ("delay shape (Pareto)", "shape", 1),
    "workload.clients": ("clients", "clients", 1),
    "workload.read_fraction": ("read fraction", "reads", 1),
    "workload.value_bytes": ("value size (bytes)", "value", 1),
    "workload.think_time.mean_s": ("mean think time (ms)", "think", 1e3),
    "timestamp_bits": ("timestamp bits", "bits", 1),
}

# Short names accepted by --label-by and --x.
ALIASES = {"protocol": "protocol.name", "f": "protocol.f", "n": "protocol.n",
           "t": "protocol.t", "loss": "network.loss_probability", "T": "protocol.timeout_s",
           "timeout": "protocol.timeout_s", "scenario": "name"}

# What is measured, with units (seconds are shown as ms or s per figure).
MEASURES = {
    "read": "read latency",
    "write": "write return latency",
    "effective": "write effective completion",
}
STATS = {"mean": "mean", "p50": "median (p50)", "p90": "p90", "p99": "p99"}
STUCK_WORD = "stuck"  # an operation that never completed (ops.csv outcome `timeout`)


def canonical(field):
    return ALIASES.get(field, field)


def axis_label(path):
    if path in FIELDS:
        return FIELDS[path][0]
    last = path.split(".")[-1]
    if last.endswith("_s"):
        return last[:-2].replace("_", " ") + " (s)"
    if last.endswith("_bytes"):
        return last[:-6].replace("_", " ") + " (bytes)"
    return path.replace("_", " ")


def scale(path):
    return FIELDS[path][2] if path in FIELDS else 1


def short(path):
    if path in FIELDS:
        return FIELDS[path][1]
    return path.split(".")[-1]


def show_value(path, v):
    """A value as a legend shows it, in the field's display unit (T=20 for 0.02 s)."""
    if v is None:
        return "–"
    if is_number(v):
        x = v * scale(path)
        return f"{x:g}" if isinstance(x, float) else str(x)
    if isinstance(v, str) and v.startswith("{"):
        try:
            d = json.loads(v)
            return ",".join(f"{k}={d[k]}" for k in sorted(d))
        except ValueError:
            return v
    return str(v)


def unit(path):
    """The unit a field is shown in (ms, s, bytes), from its axis label; "" for none."""
    text = axis_label(path)
    return text[text.rindex("(") + 1:-1] if text.endswith(")") and text.rindex("(") > 0 \
        and text[text.rindex("(") + 1:-1] in ("ms", "s", "bytes") else ""


def field_text(path, v):
    """One field of a legend label: protocol names bare, the rest `f=2`, `loss=0.05`,
    `T=20 ms`."""
    name = short(path)
    if v is None:
        return f"{name}=–" if name else "–"
    text = show_value(path, v) + (f" {unit(path)}" if is_number(v) and unit(path) else "")
    return text if not name else f"{name}={text}"


def label(fields, values):
    return ", ".join(field_text(f, v) for f, v in zip(fields, values)) or "all runs"
