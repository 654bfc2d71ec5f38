"""The Slurm engine against a real single-node cluster (slurmctld, slurmd and munged from
Debian's slurm-wlm and munge, started in a temporary directory by the test and stopped by it
whatever happens): a small sweep goes in as a job array, one array task is cancelled while it
runs, `bqsim-batch --resume` resubmits what it left undone, and every run ends up in the
database exactly once."""
import json
import re
import sqlite3
import subprocess
import sys
import time
import unittest

from helpers import (expand, private_binary, processes_of, run_script, small_sweep, temp_dir,
                     write_scenario)
from slurm_cluster import SlurmCluster, missing, tool


def squeue(env, *args):
    p = subprocess.run([tool("squeue"), "-h", *args], capture_output=True, text=True, env=env)
    return p.stdout.split()


class SlurmEngine(unittest.TestCase):
    def setUp(self):
        absent = missing()
        if "slurmctld" in absent:
            print("\n*** SKIPPED: slurmctld is not installed, so the Slurm engine is NOT tested. "
                  "Install slurm-wlm and munge (scripts/setup.sh does). ***", file=sys.stderr)
            self.skipTest("slurmctld is not installed")
        self.assertEqual(absent, [], "slurmctld is installed but these are missing")

    def test_a_sweep_survives_a_cancelled_array_task(self):
        """12 runs in 4 array tasks of 3; task 1 is cancelled while it runs; the resumed
        batch resubmits exactly the runs without a manifest and ingests all 12 once."""
        start = time.monotonic()
        d = temp_dir(self)
        bqsim = private_binary(self, d)
        scenario = write_scenario(d, small_sweep("slurm-test", ops=4000, clients=4))
        out = d / "out"
        with SlurmCluster(d / "cluster", cpus=2) as cluster:
            env = cluster.env
            p = run_script("bqsim-batch", scenario, "--seeds", "3", "--out", out, "--engine",
                           "slurm", "--runs-per-task", "3", "--partition", "test", "--time",
                           "10", "--no-wait", "--bqsim", bqsim, env=env)
            self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
            job = re.search(r"submitted Slurm job (\d+): 12 runs in 4 array tasks", p.stdout)
            self.assertIsNotNone(job, p.stdout)
            job = job.group(1)
            self.assertFalse((out / "results.sqlite").exists())  # --no-wait: nothing yet

            # Cancel array task 1 as soon as it runs: its first run is under way.
            deadline = time.monotonic() + 60
            while squeue(env, "-j", f"{job}_1", "-o", "%T") != ["RUNNING"]:
                self.assertLess(time.monotonic(), deadline, cluster.logs())
                time.sleep(0.05)
            subprocess.run([tool("scancel"), f"{job}_1"], check=True, env=env)
            while squeue(env, "-j", job, "-o", "%i"):
                self.assertLess(time.monotonic(), deadline + 60, cluster.logs())
                time.sleep(0.2)

            plan = json.loads((out / ".bqsim-batch" / "slurm-1" / "plan.json").read_text())
            slot1 = [out / plan["runs"][i]["dir"] for i in plan["slots"][1]]
            undone = [r for r in slot1 if not (r / "manifest.json").is_file()]
            self.assertTrue(undone, "cancelling task 1 left all its runs complete")
            for r in undone:  # the run it was in: recorded as interrupted, never a null code
                if (r / "batch.json").exists():
                    rec = json.loads((r / "batch.json").read_text())
                    self.assertEqual(rec["note"], "interrupted", rec)
                    self.assertIsNotNone(rec["exit_code"])
            others = [out / plan["runs"][i]["dir"] for s in (0, 2, 3) for i in plan["slots"][s]]
            self.assertTrue(all((r / "manifest.json").is_file() for r in others))

            p = run_script("bqsim-batch", "--resume", "--out", out, "--poll", "0.5", env=env,
                           timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
            again = json.loads((out / ".bqsim-batch" / "slurm-2" / "plan.json").read_text())
            self.assertEqual(sorted(r["dir"] for r in again["runs"]),
                             sorted(str(r.relative_to(out)) for r in undone))
        self.assertEqual(processes_of(bqsim), [])
        for name, proc in cluster.procs.items():
            self.assertIsNotNone(proc.poll(), f"{name} still running")

        con = sqlite3.connect(out / "results.sqlite")
        runs = [r[0] for r in con.execute("SELECT run_dir FROM runs")]
        con.close()
        self.assertEqual(len(runs), 12)
        self.assertEqual(sorted(runs), sorted(l["dir"] for l in expand(scenario, "--seeds", 3)))
        print(f"\nSlurm test: {time.monotonic() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
