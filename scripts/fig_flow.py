"""`bqsim-plot flow RUN --op ID`: the space-time diagram of one operation and of the writes
its checker verdict involves, from the run's messages_trace.csv (`bqsim run
--trace-messages`). One horizontal line per node, time to the right; each message an arrow
from its send to its delivery, a lost one ending in a cross, one still travelling when the
run ended running off the right edge; each operation a bar on its client's line from
invocation to return (or to the edge, stuck), its effective completion marked."""
import csv
import math
import re
from pathlib import Path

from matplotlib.lines import Line2D

from plot_collect import Run, UserError
from plot_output import Result, write_result
from plot_style import OKABE_ITO, Look, legend_above, footnote, output_format

REQUESTS = {"ts_query", "read", "write"}
REPLY_TS = {"ts_reply", "read_reply"}  # replies whose timestamp explains a read or a write
OP_COLOURS = [OKABE_ITO[i] for i in (0, 1, 2, 3, 4, 5)]


def parse_op(text):
    """An op_id as ops.csv writes it, or client:sequence (client K's S-th operation)."""
    m = re.fullmatch(r"(\d+):(\d+)", text)
    if m:
        return (int(m.group(1)) << 32) | int(m.group(2))
    if text.isdigit():
        return int(text)
    raise UserError(f"--op: expected an op_id (ops.csv) or CLIENT:SEQ, got '{text}'")


def short_ts(ts):
    """counter.writer with huge parts (a forged ts of 2^62) in short scientific notation."""
    return ".".join(p if len(p) < 7 else f"{float(p):.1e}".replace("e+", "e")
                    for p in ts.split("."))


def op_name(op_id):
    return f"c{op_id >> 32}.{op_id & 0xffffffff}"


def load_trace(run_dir):
    p = run_dir / "messages_trace.csv"
    if not p.is_file():
        raise UserError(f"{run_dir}: no messages_trace.csv; rerun the run with "
                        f"`bqsim run {run_dir / 'scenario.resolved.json'} --trace-messages "
                        f"--out DIR` (same scenario and seed: the same run)")
    with open(p, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def involved(run, op_id):
    """The operations the checker's violations of op_id name, and those violations."""
    found, texts = [], []
    for v in run.checker().get("violations") or []:
        if v.get("op") == op_id:
            texts.append(f"{v.get('semantics')} {v.get('kind')}: {v.get('detail')}")
            found += [o for o in v.get("involved") or [] if o not in found and o != op_id]
    return found, texts


def node_key(name):
    kind, _, k = name.partition(":")
    return (0 if kind == "server" else 1, int(k) if k.isdigit() else 0)


def flow(run_dir, op_id, look):
    run = Run(run_dir)
    trace = load_trace(run.dir)
    ops = {o.op_id: o for o in run.ops}
    if op_id not in ops:
        raise UserError(f"--op {op_id}: no such operation in {run.dir / 'ops.csv'} "
                        f"({len(ops)} operations, e.g. {next(iter(ops), '-')})")
    others, violations = involved(run, op_id)
    shown = [op_id] + [o for o in others if o in ops]
    colour = {o: OP_COLOURS[i % len(OP_COLOURS)] for i, o in enumerate(shown)}
    msgs = [m for m in trace if int(m["op_id"]) in colour]
    byz = {f"server:{s}" for s in run.summary.get("byzantine", {}).get("servers", [])}
    n = run.n or 0
    lanes = sorted({f"server:{i}" for i in range(n)} |
                   {f"client:{ops[o].client}" for o in shown} |
                   {m["from"] for m in msgs} | {m["to"] for m in msgs}, key=node_key)
    y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    times = [float(m["send_s"]) for m in msgs] + [float(m["deliver_s"]) for m in msgs
                                                  if m["deliver_s"]]
    for o in shown:
        times.append(ops[o].invoke_s)
        if not math.isinf(ops[o].latency_s):
            times.append(ops[o].invoke_s + ops[o].latency_s)
    t0, t1 = min(times), max(times)
    pad = 0.04 * (t1 - t0 or 1e-3)
    scale, unit = (1e3, "ms") if t1 < 1 else (1.0, "s")
    fig, (ax,) = look.figure(1, height=0.9 + 0.24 * len(lanes) + 0.4, sharex=False)
    right = (t1 + pad) * scale
    for name, yy in y.items():
        ax.axhline(yy, color="#bbbbbb", linewidth=0.6, zorder=0)
        if name in byz:
            ax.axhspan(yy - 0.4, yy + 0.4, color="#f6d5c3", zorder=0, linewidth=0)
    rows = []
    for m in msgs:
        o = int(m["op_id"])
        c = colour[o]
        xs, ys = float(m["send_s"]) * scale, y[m["from"]]
        style = "-" if m["type"] in REQUESTS else "--"
        if m["outcome"] == "delivered":
            xe, ye = float(m["deliver_s"]) * scale, y[m["to"]]
            ax.annotate("", (xe, ye), (xs, ys), arrowprops=dict(
                arrowstyle="-|>", color=c, linestyle=style, linewidth=0.8,
                shrinkA=0, shrinkB=0, mutation_scale=6), zorder=3)
            if o == op_id and m["type"] in REPLY_TS and m["ts"]:
                # At the tail, beside the replying server: one label per lane, no pile-up.
                ax.annotate(short_ts(m["ts"]), (xs, ys), xytext=(2, 2),
                            textcoords="offset points", fontsize=look.font - 3, color=c)
        elif m["outcome"] == "dropped":  # lost: half way, then a cross
            xe, ye = xs + 0.5 * pad * scale, (ys + y[m["to"]]) / 2
            ax.plot([xs, xe], [ys, ye], color=c, linestyle=style, linewidth=0.8, zorder=3)
            ax.plot([xe], [ye], marker="x", color=c, markersize=5, zorder=4)
        else:  # still travelling when the run ended
            ye = y[m["to"]]
            ax.plot([xs, right], [ys, ys + (ye - ys) * 0.5], color=c, linestyle=":",
                    linewidth=0.8, zorder=3)
        rows.append({"what": "message", "op_id": o, "type": m["type"], "from": m["from"],
                     "to": m["to"], "send_s": float(m["send_s"]),
                     "deliver_s": float(m["deliver_s"]) if m["deliver_s"] else None,
                     "outcome": m["outcome"], "ts": m["ts"]})
    handles = []
    for o in shown:
        op = ops[o]
        yy = y[f"client:{op.client}"]
        end = right if math.isinf(op.latency_s) else (op.invoke_s + op.latency_s) * scale
        ax.plot([op.invoke_s * scale, end], [yy + 0.22, yy + 0.22], color=colour[o],
                linewidth=3, solid_capstyle="butt", zorder=2)
        if op.kind == "write" and not math.isinf(op.effective_s):
            ax.plot([(op.invoke_s + op.effective_s) * scale], [yy + 0.22], marker="|",
                    color="black", markersize=8, zorder=4)
        what = describe(run, op)
        handles.append(Line2D([], [], color=colour[o], linewidth=3, label=what))
        rows.append({"what": "operation", "op_id": o, "type": op.kind,
                     "from": f"client:{op.client}", "send_s": op.invoke_s,
                     "deliver_s": None if math.isinf(op.latency_s)
                     else op.invoke_s + op.latency_s, "outcome": what})
    ax.set_yticks(list(y.values()))
    ax.set_yticklabels([n_ + (" (Byzantine)" if n_ in byz else "") for n_ in y])
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlim((t0 - pad) * scale, right)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.grid(axis="y", visible=False)
    handles += [Line2D([], [], color="#333333", linestyle="-", label="request"),
                Line2D([], [], color="#333333", linestyle="--",
                       label="reply (its ts beside the sender)"),
                Line2D([], [], color="#333333", marker="x", linestyle="", label="lost"),
                Line2D([], [], color="black", marker="|", linestyle="", markersize=8,
                       label="write effective")]
    legend_above(fig, handles, look, ncol=2)
    fig.tight_layout()
    caption = (f"Messages of operation {op_id} ({op_name(op_id)}) in {run.dir}"
               + (f" and of the writes its verdict involves ({', '.join(map(str, others))})"
                  if others else "") + ". " +
               (" ".join(violations) if violations else "No violation names this operation."))
    columns = ["what", "op_id", "type", "from", "to", "send_s", "deliver_s", "outcome", "ts"]
    return Result(f"flow-op-{op_id}", fig, columns, rows, caption)


def describe(run, op):
    """`read c1.5: returned c0.2 (ts 2.1)`, `write c0.3 (ts 3.1)` (its value is named as the
    operation that wrote it), `read c2.7: stuck`."""
    with open(run.dir / "ops.csv", newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if int(r["op_id"]) == op.op_id)
    head = f"{op.kind} {op_name(op.op_id)}"
    if op.outcome == "timeout":
        return f"{head}: stuck"
    if op.kind == "read":
        got = "⊥" if op.outcome == "bottom" else row["value"]
        return f"{head}: returned {got}" + (f" (ts {short_ts(row['ts'])})" if row["ts"] else "")
    value = "" if row["value"] == op_name(op.op_id) else f" of {row['value']}"
    return head + value + (f" (ts {short_ts(row['ts'])})" if row["ts"] else "")


def flow_command(args):
    op_id = parse_op(args.op)
    if not (args.run / "manifest.json").is_file():
        raise UserError(f"{args.run}: not a complete run (no manifest.json)")
    out = args.output or Path(f"flow-op-{op_id}.pdf")
    fmt = output_format(out, args.format)
    look = Look(args.size)
    import matplotlib.pyplot as plt
    with plt.rc_context(look.rc()):
        res = flow(args.run, op_id, look)
        footnote(res.fig, res.caption, look)
    write_result(res, out, fmt)
    print(f"wrote {out} and {out.with_suffix('.csv')}")
    return 0

