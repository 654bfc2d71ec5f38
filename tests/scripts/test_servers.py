"""scripts/bqsim-servers and bqsim-search --target, run for real (subprocesses of the built
bqsim; nothing mocked). At f = 1 with a CI-sized budget the attack search rediscovers every
protocol's minimum number of servers: each breaks one server below it (a stuck operation or a
violation of its promised semantics) and holds at it. --target passes over a failing trial that
failed the wrong way. Run by ctest (CMakeLists.txt) with $BQSIM set to the built binary.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BUDGET = int(os.environ.get("BQSIM_SERVERS_BUDGET", "20"))


class ServerTable(unittest.TestCase):
    def test_f1_table_matches_theory(self):
        """n_min_found == n_min_theory for every protocol, and each breaks below it."""
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "servers"
            proc = subprocess.run(
                [PYTHON, str(ROOT / "scripts" / "bqsim-servers"), "--f", "1", "--budget",
                 str(BUDGET), "-j", "2", "--out", str(out)],
                capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
            with open(out / "servers.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(list(rows[0].keys()),
                             ["protocol", "data", "t", "f", "n_min_theory", "n_min_found",
                              "broke_below", "seed", "scenario", "trials"])
            configs = {(r["protocol"], r["data"], r["t"]) for r in rows}
            self.assertEqual(len(configs), 10)  # sync-threshold: 2 data kinds x t = 0, f
            for r in rows:
                with self.subTest(row=r):
                    self.assertEqual(r["n_min_found"], r["n_min_theory"])
                    self.assertNotEqual(r["broke_below"], "none")
                    self.assertTrue(r["broke_below"] == "liveness" or
                                    r["broke_below"].startswith("safety:"))
                    # The scenario reproduces the break: bqsim run exits 1 on it.
                    found = out / r["scenario"]
                    doc = json.loads(found.read_text())
                    self.assertEqual(doc["protocol"]["n"], int(r["n_min_theory"]) - 1)
                    self.assertEqual(doc["seed"], int(r["seed"]))
                    run = subprocess.run([os.environ.get("BQSIM", str(ROOT / "build" / "bqsim")),
                                          "run", str(found), "--out", str(Path(tmp) / "rerun"),
                                          "-q"], capture_output=True, text=True)
                    self.assertEqual(run.returncode, 1, run.stderr)
            # Theory of PROTOCOLS.md §3 at f = 1.
            theory = {(r["protocol"], r["data"], r["t"]): int(r["n_min_theory"]) for r in rows}
            self.assertEqual(theory[("mr-masking", "generic", "")], 5)
            self.assertEqual(theory[("sbq-masking", "generic", "")], 4)
            self.assertEqual(theory[("sbq-dissemination", "self-verifying", "")], 3)
            self.assertEqual(theory[("sync-threshold", "generic", "0")], 3)
            self.assertEqual(theory[("sync-threshold", "self-verifying", "1")], 3)
            self.assertTrue((out / "servers.md").read_text().startswith("| protocol | data |"))
            self.assertIn("seconds", json.loads((out / "servers.json").read_text()))


class SearchTarget(unittest.TestCase):
    def search(self, tmp, target):
        scenario = Path(tmp) / "sync.json"
        scenario.write_text(json.dumps({
            "protocol": {"name": "sync-threshold", "f": 1, "n": 2, "t": 0},
            "workload": {"clients": 3, "ops_per_client": 20, "read_fraction": 0.6,
                         "think_time": {"dist": "exponential", "mean_s": 0.002}},
            "network": {"delay": {"dist": "uniform", "min_s": 0.0002, "max_s": 0.002},
                        "synchrony": "sync", "bound_s": 0.002},
            "allow_unsafe": True}))
        out = Path(tmp) / f"search-{target}"
        proc = subprocess.run(
            [PYTHON, str(ROOT / "scripts" / "bqsim-search"), str(scenario), "--budget", "6",
             "-j", "2", "--byzantine", "1", "--target", target, "--out", str(out)],
            capture_output=True, text=True)
        return proc, json.loads((out / "search.json").read_text())

    def test_target_passes_over_the_wrong_kind_of_failure(self):
        """sync-threshold below its minimum breaks safety but never stalls (its time-out ends
        every wait): --target safety finds it, --target liveness runs the whole budget."""
        with tempfile.TemporaryDirectory() as tmp:
            proc, record = self.search(tmp, "safety")
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertTrue(record["found"]["broke"][0].startswith("safety:"))
            self.assertEqual(record["target"], "safety")
            proc, record = self.search(tmp, "liveness")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIsNone(record["found"])
            self.assertEqual(record["trials_run"], 6)

    def test_forbid_unknown_behaviour_is_bad_input(self):
        proc = subprocess.run(
            [PYTHON, str(ROOT / "scripts" / "bqsim-search"),
             str(ROOT / "scenarios" / "attack-sbq-masking.json"), "--budget", "1",
             "--forbid", "silentt", "--out", "/nonexistent/never"],
            capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertTrue(proc.stderr.startswith("error: --forbid: expected one of silent,"),
                        proc.stderr)


if __name__ == "__main__":
    unittest.main()
