"""Signals: `bqsim run` stopped by SIGINT or SIGTERM exits 130 or 143 and leaves nothing that
looks complete; `bqsim-batch` stopped by SIGTERM stops its workers (none left running),
records them as interrupted, and the next batch completes every run exactly once."""
import json
import signal
import subprocess
import time
import unittest

from helpers import (BQSIM, REPO, db_rows, private_binary, processes_of, run_script, small_sweep,
                     start_script, temp_dir, write_scenario)


class Signals(unittest.TestCase):
    def test_sigint_and_sigterm_to_bqsim_run(self):
        """bqsim run stopped by SIGINT exits 130, by SIGTERM 143: one line, no manifest."""
        d = temp_dir(self)
        for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
            out = d / f"run-{code}"
            proc = subprocess.Popen([BQSIM, "run", str(REPO / "scenarios" / "quickstart.json"),
                                     "--set", "workload.ops_per_client=100000000", "--out",
                                     str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
            time.sleep(0.5)  # inside the simulation, where SimGrid's own handler would act
            proc.send_signal(sig)
            stdout, stderr = proc.communicate(timeout=30)
            with self.subTest(signal=sig.name):
                self.assertEqual(proc.returncode, code)
                self.assertEqual(stderr, f"error: interrupted by {sig.name}; the run is "
                                         f"incomplete (no manifest.json)\n")
                self.assertEqual(stdout, "")
                self.assertFalse((out / "manifest.json").exists())

    def test_sigterm_to_a_batch_leaves_no_bqsim_and_the_resumed_batch_has_every_run_once(self):
        """SIGTERM while workers run: exit 143, no bqsim process left, each stopped run's
        batch.json says interrupted (with a reason, never a null exit code); --resume then
        completes the batch and the database has every run exactly once."""
        d = temp_dir(self)
        bqsim = private_binary(self, d)
        scenario = write_scenario(d, small_sweep("sigterm", ops=40000, clients=4))
        out = d / "out"
        proc = start_script("bqsim-batch", scenario, "--seeds", "2", "--out", out, "-j", "2",
                            "--bqsim", bqsim)
        deadline = time.monotonic() + 60
        while len(processes_of(bqsim)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(processes_of(bqsim)), 2, "two workers should be running")
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 143, stderr)
        self.assertEqual(processes_of(bqsim), [])
        self.assertIn("error: interrupted by SIGTERM: 2 runs stopped", stderr)
        # The two runs under way were stopped (each takes about a second, stopped 0.3 s in); a
        # run a worker finished before would be complete and stay so.
        records = {p.parent: json.loads(p.read_text()) for p in out.glob("sigterm/*/*/batch.json")}
        stopped = {d: rec for d, rec in records.items() if rec["note"] == "interrupted"}
        self.assertEqual(len(stopped), 2, records)
        for d, rec in stopped.items():
            self.assertEqual(rec["exit_code"], 143)  # bqsim's own answer to SIGTERM
            self.assertIn("SIGTERM", rec["reason"])
            self.assertFalse((d / "manifest.json").exists())
        for d, rec in records.items():
            if d not in stopped:
                self.assertEqual((rec["exit_code"], rec["note"]), (0, None))
                self.assertTrue((d / "manifest.json").is_file())
        p = run_script("bqsim-batch", "--resume", "--out", out, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        runs = db_rows(out / "results.sqlite")
        self.assertEqual(len(runs), 8)
        self.assertEqual(sorted(runs), sorted(set(runs)))
        for path in out.glob("sigterm/*/*/batch.json"):
            rec = json.loads(path.read_text())
            self.assertEqual((rec["exit_code"], rec["note"]), (0, None))
        p = run_script("bqsim-batch", "--resume", "--out", out)  # resumable again: a no-op
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("8 runs, 8 already complete (skipped)", p.stderr)



if __name__ == "__main__":
    unittest.main()
