"""The results database: a batch's runs land in OUT/results.sqlite with the values of their
summary.json, runs.csv holds the same columns, ingest is idempotent, and an ingest killed in
the middle leaves the database as it was."""
import csv
import json
import signal
import sqlite3
import unittest

from helpers import REPO, run_script, small_sweep, start_script, temp_dir, write_scenario

import bqsim_db  # noqa: E402  (helpers puts scripts/ on the path)


def rows(db, sql="SELECT * FROM runs ORDER BY run_dir"):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql)]
    finally:
        con.close()


class BatchIngest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        import shutil
        cls.tmp = tempfile.mkdtemp(prefix="bqsim-db-test-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        from pathlib import Path
        cls.dir = Path(cls.tmp)
        cls.scenario = write_scenario(cls.dir, small_sweep("db-test", ops=100))
        cls.out = cls.dir / "out"
        p = run_script("bqsim-batch", cls.scenario, "--seeds", "3", "--out", cls.out, "-j", "2")
        assert p.returncode == 0, p.stderr
        cls.db = cls.out / "results.sqlite"

    def test_every_run_is_one_row_with_its_summary_values(self):
        """2 protocols × 2 values of f × 3 seeds: 12 rows, each equal to its summary.json."""
        got = rows(self.db)
        self.assertEqual(len(got), 12)
        self.assertEqual(len({r["run_dir"] for r in got}), 12)
        self.assertEqual(sorted((r["protocol.name"], r["protocol.f"], r["seed"]) for r in got),
                         sorted((p, f, s) for p in ("sbq-masking", "mr-masking")
                                for f in (1, 2) for s in (1, 2, 3)))
        for r in got:
            d = self.out / r["run_dir"]
            s = json.loads((d / "summary.json").read_text())
            m = json.loads((d / "manifest.json").read_text())
            rd, wr = s["operations"]["read"], s["operations"]["write"]
            by = s["messages"]["by_type"]
            with self.subTest(run=r["run_dir"]):
                self.assertEqual(r["protocol"], s["protocol"])
                self.assertEqual(r["protocol"], r["protocol.name"])
                self.assertEqual((r["n"], r["f"], r["seed"]), (s["n"], s["f"], s["seed"]))
                self.assertEqual(r["f"], r["protocol.f"])
                self.assertEqual(r["data"], s["data"])
                self.assertEqual(r["scenario"], "db-test")
                self.assertEqual(r["scenario_hash"], m["scenario_hash"])
                self.assertEqual(r["bqsim_version"], m["bqsim_version"])
                self.assertEqual(r["wall_s"], m["wall_clock_s"])
                self.assertEqual(r["verdict"], s["checker"]["verdict"])
                self.assertEqual(r["exit_code"], 0 if s["checker"]["verdict"] == "pass" else 1)
                self.assertEqual((r["safe"], r["regular"], r["atomic"]),
                                 tuple(int(s["checker"][k]) for k in ("safe", "regular", "atomic")))
                self.assertEqual(r["violations"], len(s["checker"]["violations"]))
                self.assertEqual((r["reads"], r["writes"]), (rd["count"], wr["count"]))
                self.assertEqual((r["reads_ok"], r["reads_bottom"], r["reads_stuck"]),
                                 (rd["ok"], rd["bottom"], rd["timeout"]))
                self.assertEqual(r["writes_stuck"], wr["timeout"])
                stats = [rd["latency_s"][k] for k in ("mean", "p50", "p90", "p99", "max")]
                self.assertEqual(len(set(stats)), 5)  # distinct: a swapped column shows
                for k in ("mean", "p50", "p90", "p99", "max"):
                    self.assertEqual(r[f"read_{k}_s"], rd["latency_s"][k])
                for k in ("mean", "p50", "p99"):
                    self.assertEqual(r[f"write_{k}_s"], wr["latency_s"][k])
                    self.assertEqual(r[f"write_effective_{k}_s"], wr["effective_latency_s"][k])
                read_msgs = by["read"]["sent"] + by["read_reply"]["sent"]
                write_msgs = sum(by[t]["sent"] for t in ("ts_query", "ts_reply", "write",
                                                         "write_ack"))
                self.assertEqual(r["msgs_per_read"], read_msgs / rd["count"])
                self.assertEqual(r["msgs_per_write"], write_msgs / wr["count"])
                self.assertEqual(r["bytes_per_read"],
                                 (by["read"]["bytes"] + by["read_reply"]["bytes"]) / rd["count"])
                self.assertEqual(r["retransmissions"], s["messages"]["total"]["retransmissions"])
                self.assertEqual(r["slow_reads"], rd["slow"])
                self.assertEqual(r["sim_time_s"], s["sim_end_s"])
                self.assertEqual(r["point"], d.parent.name)
                self.assertIsNone(r["t"])  # no protocol here takes t
        # The closed forms of PROTOCOLS.md §7, as a cross-check of the message columns: an
        # sbq-masking read sends n requests and gets n replies.
        sbq = [r for r in got if r["protocol"] == "sbq-masking"]
        self.assertTrue(all(r["msgs_per_read"] == 2 * r["n"] for r in sbq))

    def test_violations_and_sweeps_tables(self):
        """Each listed violation is a row; the sweep's grid is recorded for plots."""
        total = sum(len(json.loads((self.out / r["run_dir"] / "summary.json").read_text())
                        ["checker"]["violations"]) for r in rows(self.db))
        self.assertEqual(len(rows(self.db, "SELECT * FROM violations")), total)
        sweep = rows(self.db, "SELECT * FROM sweeps")
        self.assertEqual(len(sweep), 1)
        self.assertEqual(sweep[0]["scenario"], "db-test")
        self.assertEqual(sweep[0]["expected_runs"], 12)
        self.assertEqual(json.loads(sweep[0]["seeds"]), [1, 2, 3])
        self.assertEqual(len(json.loads(sweep[0]["points"])), 4)
        on_disk = json.loads((self.out / "db-test" / "sweep.json").read_text())
        self.assertEqual(on_disk["expected_runs"], 12)

    def test_runs_csv_has_the_columns_and_rows_of_the_table(self):
        """runs.csv: the runs table's columns in its order, one row per run of the batch."""
        with open(self.out / "db-test" / "runs.csv", newline="") as fh:
            table = list(csv.reader(fh))
        con = sqlite3.connect(self.db)
        cols = [c[1] for c in con.execute("PRAGMA table_info(runs)")]
        self.assertEqual(table[0], cols)
        self.assertEqual(table[0][:len(bqsim_db.RUN_COLUMNS)], bqsim_db.RUN_COLUMNS)
        self.assertEqual(table[0][len(bqsim_db.RUN_COLUMNS):], ["protocol.f", "protocol.name"])
        self.assertEqual(len(table) - 1, 12)
        db_rows = {r[0]: r for r in con.execute("SELECT * FROM runs")}
        for line in table[1:]:
            self.assertEqual(line, ["" if v is None else str(v) for v in db_rows[line[0]]])

    def test_reingest_adds_nothing(self):
        """Ingesting the same runs again, by batch or by bqsim-db, changes nothing."""
        before = rows(self.db)
        p = run_script("bqsim-db", "ingest", self.out, "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0 added, 0 replaced", p.stdout)
        p = run_script("bqsim-batch", self.scenario, "--seeds", "3", "--out", self.out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(rows(self.db), before)


class Ingest(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.scenario = write_scenario(self.dir, small_sweep("ingest-test", ops=20, clients=2))
        self.out = self.dir / "runs"
        p = run_script("bqsim-batch", self.scenario, "--seeds", "5", "--out", self.out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.runs = sorted(d.parent for d in self.out.glob("*/*/seed-*/manifest.json"))
        self.assertEqual(len(self.runs), 20)

    def test_a_killed_ingest_leaves_the_database_as_it_was(self):
        """SIGKILL in the middle of an ingest: the database keeps exactly its earlier rows,
        passes SQLite's integrity check, and the next ingest completes it."""
        db = self.dir / "db.sqlite"
        first = [str(d) for d in self.runs[:8]]
        p = run_script("bqsim-db", "ingest", *first, "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        before = rows(db)
        self.assertEqual(len(before), 8)
        proc = start_script("bqsim-db", "ingest", self.out, "--db", db, "--with-ops",
                            env={"BQSIM_DB_TEST_HOLD_AFTER": "15"})
        line = proc.stderr.readline()  # the ingest is inside its transaction, 7 runs added
        self.assertIn("holding after 15 runs", line)
        other = sqlite3.connect(db, timeout=0)
        with self.assertRaises(sqlite3.OperationalError):  # it holds the write lock
            other.execute("BEGIN IMMEDIATE")
        other.close()
        self.assertEqual(rows(db), before)  # and readers do not see its rows yet
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(con.execute("SELECT name FROM sqlite_master WHERE name = 'ops'")
                         .fetchall(), [])  # created inside the killed transaction: gone
        con.close()
        self.assertEqual(rows(db), before)
        p = run_script("bqsim-db", "ingest", self.out, "--db", db, "--with-ops")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("12 added, 0 replaced", p.stdout)
        self.assertEqual(len(rows(db)), 20)
        ops = sum(len((d / "ops.csv").read_text().splitlines()) - 1 for d in self.runs)
        self.assertEqual(len(rows(db, "SELECT * FROM ops")), ops)

    def test_a_failing_ingest_changes_nothing(self):
        """A run whose summary.json is corrupt fails the whole ingest: one line, exit 2, and
        not one of the good runs before it is left in the database."""
        db = self.dir / "db.sqlite"
        (self.runs[10] / "summary.json").write_text("{ not json")
        p = run_script("bqsim-db", "ingest", self.out, "--db", db)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertTrue(p.stderr.startswith(f"error: {self.runs[10]}: cannot read"), p.stderr)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'runs'")
                         .fetchone()[0], 0)
        con.close()

    def test_runs_without_manifest_are_never_ingested(self):
        """A directory without manifest.json is not a run, whatever else it holds; a single
        `bqsim run` directory is a run."""
        (self.runs[0] / "manifest.json").unlink()
        single = self.dir / "single"
        import subprocess
        from helpers import BQSIM
        subprocess.run([BQSIM, "run", str(REPO / "scenarios" / "quickstart.json"), "--out",
                        str(single), "-q"], check=True)
        db = self.dir / "db.sqlite"
        p = run_script("bqsim-db", "ingest", self.out, single, "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        got = rows(db)
        self.assertEqual(len(got), 20)
        keys = {r["run_dir"] for r in got}
        self.assertNotIn(str(self.runs[0].relative_to(self.dir)), keys)
        self.assertIn("single", keys)
        quick = [r for r in got if r["run_dir"] == "single"][0]
        self.assertEqual(quick["scenario"], "quickstart")
        self.assertIsNone(quick["point"])

    def test_a_directory_that_now_holds_another_run_replaces_its_row(self):
        """Key = directory + scenario hash + seed: the same directory rerun with another seed
        is a new run and replaces the old row (and its violations), never adds a second."""
        db = self.dir / "db.sqlite"
        run_script("bqsim-db", "ingest", self.runs[0], "--db", db)
        import subprocess
        from helpers import BQSIM
        batch = json.loads((self.runs[0] / "batch.json").read_text())
        subprocess.run([BQSIM, "run", str(self.scenario), "--point", batch["point"], "--seed",
                        "99", "--out", str(self.runs[0]), "-q"], check=True)
        p = run_script("bqsim-db", "ingest", self.runs[0], "--db", db)
        self.assertIn("0 added, 1 replaced", p.stdout)
        got = rows(db)
        self.assertEqual([r["seed"] for r in got], [99])
        self.assertEqual(rows(db, "SELECT DISTINCT run_dir FROM violations"),
                         [{"run_dir": got[0]["run_dir"]}] if got[0]["violations"] else [])

    def test_bad_arguments_are_one_line(self):
        p = run_script("bqsim-db", "ingest", self.dir / "nothing-here")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr, f"error: {self.dir / 'nothing-here'}: expected a run "
                                   f"directory or a directory of runs, got nothing\n")
        notdb = self.dir / "text.sqlite"
        notdb.write_text("this is not a database, but long enough to have a header " * 4)
        p = run_script("bqsim-db", "ingest", self.runs[0], "--db", notdb)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)


if __name__ == "__main__":
    unittest.main()
