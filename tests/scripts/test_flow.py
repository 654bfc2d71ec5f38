"""`bqsim-plot flow`: the space-time diagram of one operation from a real `bqsim run
--trace-messages`. Two colluding forgers (one more than sbq-masking tolerates) make reads
return a forged value; the diagram of such a read holds exactly its messages and those of the
write its violation names, and a run without a trace is a one-line error."""
import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

from figure_fixture import BQSIM, plot, read_csv  # noqa: E402

SCENARIO = {
    "name": "forgers", "seed": 1,
    "protocol": {"name": "sbq-masking", "f": 1},
    "workload": {"clients": 3, "ops_per_client": 30, "read_fraction": 0.7, "registers": 1,
                 "think_time": {"dist": "exponential", "mean_s": 0.02}},
    "network": {"delay": {"dist": "lognormal", "median_s": 0.001, "sigma": 0.5}},
    "byzantine": [{"servers": [1, 2], "behaviours": [{"kind": "forge", "coalition": "l"}]}],
    "allow_unsafe": True,
}


class Flow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="bqsim-flowtest-"))
        scenario = cls.tmp / "forgers.json"
        scenario.write_text(json.dumps(SCENARIO))
        for name, extra in (("traced", ["--trace-messages"]), ("plain", [])):
            r = subprocess.run([BQSIM, "run", scenario, "--out", cls.tmp / name, "-q", *extra],
                               capture_output=True, text=True)
            assert r.returncode == 1, r.stderr  # the forged reads are violations
        cls.run_dir = cls.tmp / "traced"
        summary = json.loads((cls.run_dir / "summary.json").read_text())
        cls.violation = next(v for v in summary["checker"]["violations"]
                             if v["kind"] == "forged-value" and v["involved"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_diagram_holds_the_operation_and_the_writes_its_verdict_involves(self):
        op = self.violation["op"]
        out = self.tmp / "flow.pdf"
        r = plot("flow", self.run_dir, "--op", str(op), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(out.read_bytes().startswith(b"%PDF"))
        rows = read_csv(out.with_suffix(".csv"))
        shown = {op, *self.violation["involved"]}
        self.assertEqual({int(r["op_id"]) for r in rows if r["what"] == "operation"}, shown)
        trace = [t for t in read_csv(self.run_dir / "messages_trace.csv")
                 if int(t["op_id"]) in shown]
        drawn = [r for r in rows if r["what"] == "message"]
        self.assertEqual(len(drawn), len(trace))
        self.assertEqual(sorted((r["op_id"], r["type"], r["from"], r["to"], float(r["send_s"]))
                                for r in drawn),
                         sorted((t["op_id"], t["type"], t["from"], t["to"], float(t["send_s"]))
                                for t in trace))
        read = next(r for r in rows if r["what"] == "operation" and int(r["op_id"]) == op)
        self.assertIn("forged", read["outcome"])

    def test_client_and_sequence_name_the_same_operation(self):
        op = self.violation["op"]
        out = self.tmp / "flow-by-name.png"
        r = plot("flow", self.run_dir, "--op", f"{op >> 32}:{op & 0xffffffff}", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(out.read_bytes().startswith(b"\x89PNG"))

    def test_a_run_without_a_trace_is_a_one_line_error(self):
        r = plot("flow", self.tmp / "plain", "--op", "1", "-o", self.tmp / "none.pdf")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)
        self.assertIn("--trace-messages", r.stderr)
        self.assertFalse((self.tmp / "none.pdf").exists())

    def test_an_unknown_operation_is_a_one_line_error(self):
        r = plot("flow", self.run_dir, "--op", "999999", "-o", self.tmp / "x.pdf")
        self.assertEqual((r.returncode, len(r.stderr.strip().splitlines())), (2, 1))


if __name__ == "__main__":
    unittest.main()
