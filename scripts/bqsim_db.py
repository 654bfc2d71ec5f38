"""The results database: complete bqsim runs (directories with manifest.json) as rows of an
SQLite file, for SQL and pandas. Standard library only (sqlite3).

Tables (results/README.md "The results database"):
  runs        one row per run; RUN_COLUMNS, then `point` and one column per swept field
              named by its dotted path ("protocol.f").
  violations  one row per violation the checker listed: run_dir, op, kind, semantics,
              involved (a JSON list of op ids).
  ops         (with --with-ops) ops.csv of each run, with its run_dir.
  sweeps      the expected grid of each scenario a batch ran: its points and seeds, so that
              an incomplete sweep can be told from a complete one.

A run is keyed by its directory (relative to the database's directory when it lies under it),
its scenario hash and its seed. Re-ingesting a run with the same key changes nothing; a run
whose directory now holds a different run (another hash or seed) replaces the old row. Every
ingest is one transaction: a killed ingest leaves the database as it was, or complete.
"""
import csv
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bqsim_common import UserError, read_json

# The runs table's fixed columns, in order (issue: "From a sweep to a paper figure").
RUN_COLUMNS = [
    "run_dir", "scenario", "protocol", "data", "n", "f", "t", "seed", "unsafe", "bqsim_version",
    "simgrid_version", "scenario_hash", "exit_code", "verdict", "safe", "regular", "atomic",
    "violations", "reads", "writes", "reads_ok", "reads_bottom", "reads_stuck", "writes_stuck",
    "read_mean_s", "read_p50_s", "read_p90_s", "read_p99_s", "read_max_s", "write_mean_s",
    "write_p50_s", "write_p99_s", "write_effective_mean_s", "write_effective_p50_s",
    "write_effective_p99_s", "msgs_per_read", "msgs_per_write", "bytes_per_read",
    "bytes_per_write", "retransmissions", "slow_reads", "sim_time_s", "wall_s", "point"]
OPS_COLUMNS = ["op_id", "client", "key", "kind", "invoke_s", "return_s", "effective_s",
               "latency_s", "value", "ts", "outcome", "slow", "retransmissions"]
BUSY_TIMEOUT_S = 60  # another ingest holding the write lock: wait for it this long

def quote(name):
    """An SQL identifier: dotted paths need quotes ("protocol.f")."""
    return '"' + name.replace('"', '""') + '"'


def schema():
    cols = ", ".join("run_dir TEXT PRIMARY KEY" if c == "run_dir" else quote(c)
                     for c in RUN_COLUMNS)
    return [f"CREATE TABLE IF NOT EXISTS runs ({cols})",
            "CREATE TABLE IF NOT EXISTS violations (run_dir TEXT NOT NULL, op INTEGER, "
            "kind TEXT, semantics TEXT, involved TEXT)",
            "CREATE INDEX IF NOT EXISTS violations_run ON violations(run_dir)",
            "CREATE TABLE IF NOT EXISTS sweeps (scenario TEXT PRIMARY KEY, scenario_file TEXT, "
            "swept_paths TEXT, points TEXT, seeds TEXT, expected_runs INTEGER)"]


def ops_schema():
    cols = ", ".join(["run_dir TEXT NOT NULL"] + [quote(c) for c in OPS_COLUMNS])
    return [f"CREATE TABLE IF NOT EXISTS ops ({cols})",
            "CREATE INDEX IF NOT EXISTS ops_run ON ops(run_dir)"]


def find_run_dirs(paths):
    """Every directory with manifest.json under `paths` (each a run or a tree of runs), in a
    stable order. Hidden directories (a batch's temporary run directories) are never entered;
    a directory without a manifest is not a run and is never ingested."""
    found = []
    for p in map(Path, paths):
        if not p.is_dir():
            raise UserError(f"{p}: expected a run directory or a directory of runs, "
                            f"got {'nothing' if not p.exists() else 'a file'}")
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if "manifest.json" in files:
                found.append(Path(root))
                dirs.clear()  # a run directory holds no runs
    return list({d.resolve(): d for d in found}.values())


def dig(doc, *keys):
    for k in keys:
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


def stored(v):
    """A value as SQLite stores it: booleans as 0/1, objects and arrays as JSON text."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True, separators=(",", ":"))
    return v


class Catalogue:
    """What ingest needs from `bqsim list --json`: the default of `t` for the protocols that
    take it (messages per read and per write come from each run's summary.json)."""

    def __init__(self, listing):
        self.t_default = {}
        for p in listing["protocols"]:
            for o in p["options"]:
                if o["key"] == "t":
                    self.t_default[p["name"]] = int(o["default"])


def run_row(d, key, cat, point=None):
    """(row dict, violations, swept {path: value}) of the complete run in directory d; point:
    its sweep point, when batch.json does not name it (batches before points were named)."""
    where = d
    try:
        manifest = read_json(d / "manifest.json")
        summary = read_json(d / "summary.json")
        resolved = read_json(d / "scenario.resolved.json") \
            if (d / "scenario.resolved.json").is_file() else {}
        batch = read_json(d / "batch.json") if (d / "batch.json").is_file() else {}
    except (OSError, ValueError) as e:
        raise UserError(f"{where}: cannot read the run's outputs: "
                        f"{getattr(e, 'strerror', None) or e}")
    ops = summary.get("operations", {})
    r, w = ops.get("read", {}), ops.get("write", {})
    lat_r, lat_w = r.get("latency_s") or {}, w.get("latency_s") or {}
    eff_w = w.get("effective_latency_s") or {}
    checker = summary.get("checker", {})
    per_read = dig(summary, "messages", "per_read") or {}
    per_write = dig(summary, "messages", "per_write") or {}
    reads, writes = r.get("count", 0), w.get("count", 0)
    protocol = summary.get("protocol")
    t = dig(resolved, "protocol", "t")
    if t is None:
        t = cat.t_default.get(protocol)
    row = {
        "run_dir": key, "scenario": dig(summary, "scenario", "name"), "protocol": protocol,
        "data": summary.get("data"), "n": summary.get("n"), "f": summary.get("f"), "t": t,
        "seed": summary.get("seed"), "unsafe": summary.get("unsafe"),
        "bqsim_version": manifest.get("bqsim_version"),
        "simgrid_version": manifest.get("simgrid_version"),
        "scenario_hash": manifest.get("scenario_hash"),
        # A run with a manifest exited 0 (pass) or 1 (violation): bqsim writes it last.
        "exit_code": 0 if checker.get("verdict") == "pass" else 1,
        "verdict": checker.get("verdict"), "safe": checker.get("safe"),
        "regular": checker.get("regular"), "atomic": checker.get("atomic"),
        "violations": len(checker.get("violations") or []),
        "reads": reads, "writes": writes, "reads_ok": r.get("ok"),
        "reads_bottom": r.get("bottom"), "reads_stuck": r.get("timeout"),
        "writes_stuck": w.get("timeout"),
        "read_mean_s": lat_r.get("mean"), "read_p50_s": lat_r.get("p50"),
        "read_p90_s": lat_r.get("p90"), "read_p99_s": lat_r.get("p99"),
        "read_max_s": lat_r.get("max"), "write_mean_s": lat_w.get("mean"),
        "write_p50_s": lat_w.get("p50"), "write_p99_s": lat_w.get("p99"),
        "write_effective_mean_s": eff_w.get("mean"), "write_effective_p50_s": eff_w.get("p50"),
        "write_effective_p99_s": eff_w.get("p99"),
        "msgs_per_read": per_read.get("messages"), "msgs_per_write": per_write.get("messages"),
        "bytes_per_read": per_read.get("bytes"), "bytes_per_write": per_write.get("bytes"),
        "retransmissions": dig(summary, "messages", "total", "retransmissions"),
        "slow_reads": r.get("slow"), "sim_time_s": summary.get("sim_end_s"),
        "wall_s": manifest.get("wall_clock_s"), "point": batch.get("point", point),
    }
    if manifest.get("seed") != row["seed"] or row["scenario_hash"] is None:
        raise UserError(f"{d / 'manifest.json'}: expected the seed and scenario hash of "
                        f"summary.json, got seed {manifest.get('seed')}")
    violations = [(key, v.get("op"), v.get("kind"), v.get("semantics"),
                   json.dumps(v.get("involved", []))) for v in checker.get("violations") or []]
    return row, violations, batch.get("sweep") or {}


def db_key(d, db_dir):
    """A run's directory as the database names it: relative to the database's directory when
    the run lies under it (so a results directory can be moved whole), else absolute."""
    real = Path(os.path.realpath(d))
    try:
        return real.relative_to(db_dir).as_posix()
    except ValueError:
        return real.as_posix()


def open_db(path):
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        con.execute("PRAGMA schema_version").fetchone()  # fails now on a file that is not one
    except sqlite3.Error as e:
        raise UserError(f"--db {path}: expected an SQLite database, got {e}")
    return con


def columns(con, table):
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def ingest(db_path, run_dirs, cat, with_ops=False, sweeps=(), points=None, hold_after=None):
    """Adds the complete runs in run_dirs to the database at db_path in one transaction;
    returns (added, replaced, unchanged). sweeps: dicts for the sweeps table; points: the
    sweep point of each run, by directory, where known. hold_after (for tests): after that
    many runs, say so on stderr and wait to be killed."""
    db_path = Path(db_path)
    db_dir = Path(os.path.realpath(db_path.parent))
    con = open_db(db_path)
    added = replaced = unchanged = 0
    try:
        con.execute("BEGIN IMMEDIATE")  # the write lock now: no other ingest interleaves
        for statement in schema():      # execute(), not executescript(): that commits
            con.execute(statement)
        if with_ops:
            for statement in ops_schema():
                con.execute(statement)
        have = set(columns(con, "runs"))
        has_ops = bool(columns(con, "ops"))
        known = {k: (h, s) for k, h, s in
                 con.execute("SELECT run_dir, scenario_hash, seed FROM runs")}
        for i, d in enumerate(run_dirs):
            if hold_after is not None and i == hold_after:
                print(f"bqsim-db: holding after {i} runs", file=sys.stderr, flush=True)
                while True:
                    signal.pause()
            key = db_key(d, db_dir)
            manifest = read_json(d / "manifest.json")
            old = known.get(key)
            if old == (manifest.get("scenario_hash"), manifest.get("seed")):
                if with_ops and not con.execute("SELECT 1 FROM ops WHERE run_dir = ? LIMIT 1",
                                                (key,)).fetchone():
                    insert_ops(con, d, key)
                unchanged += 1
                continue
            row, violations, swept = run_row(d, key, cat, (points or {}).get(d))
            for path in swept:
                if path not in have:
                    con.execute(f"ALTER TABLE runs ADD COLUMN {quote(path)}")
                    have.add(path)
            if old is not None:
                for table in ("runs", "violations") + (("ops",) if has_ops else ()):
                    con.execute(f"DELETE FROM {table} WHERE run_dir = ?", (key,))
                replaced += 1
            else:
                added += 1
            row.update(swept)
            names = list(row)
            con.execute(f"INSERT INTO runs ({', '.join(quote(c) for c in names)}) VALUES "
                        f"({', '.join('?' * len(names))})", [stored(row[c]) for c in names])
            con.executemany("INSERT INTO violations VALUES (?, ?, ?, ?, ?)", violations)
            if with_ops:
                insert_ops(con, d, key)
            known[key] = (row["scenario_hash"], row["seed"])
        for s in sweeps:
            con.execute("INSERT OR REPLACE INTO sweeps VALUES (?, ?, ?, ?, ?, ?)",
                        (s["scenario"], s["scenario_file"], json.dumps(s["swept_paths"]),
                         json.dumps(s["points"]), json.dumps(s["seeds"]), s["expected_runs"]))
        con.execute("COMMIT")
    except sqlite3.Error as e:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise UserError(f"{db_path}: {e}; the database is unchanged")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return added, replaced, unchanged


def insert_ops(con, d, key):
    try:
        with open(d / "ops.csv", newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            if header != OPS_COLUMNS:
                raise UserError(f"{d / 'ops.csv'}: expected the columns "
                                f"{','.join(OPS_COLUMNS)}, got {','.join(header)}")
            con.executemany(f"INSERT INTO ops VALUES ({', '.join('?' * (len(OPS_COLUMNS) + 1))})",
                            ([key] + [None if x == "" else x for x in line] for line in reader))
    except OSError as e:
        raise UserError(f"{d / 'ops.csv'}: cannot read: {e.strerror or e}")


def runs_rows(db_path, keys):
    """(columns, rows) of the runs table for these run_dir keys, in their order."""
    con = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    try:
        cols = columns(con, "runs")
        by_key = {}
        for chunk in range(0, len(keys), 500):  # SQLite limits the parameters of a statement
            part = keys[chunk:chunk + 500]
            for row in con.execute(f"SELECT * FROM runs WHERE run_dir IN "
                                   f"({', '.join('?' * len(part))})", part):
                by_key[row[0]] = row
    finally:
        con.close()
    return cols, [by_key[k] for k in keys if k in by_key]


def write_csv(path, cols, rows):
    """runs.csv: the runs table's columns and rows, written to a temp name and renamed."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
    os.replace(tmp, path)
