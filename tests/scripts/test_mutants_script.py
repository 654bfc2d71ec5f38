"""scripts/bqsim-mutants, run for real: every mutant of the suite is caught and the score is
all of them (each control scenario holds without its mutant). Run by ctest with $BQSIM set.
"""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class MutationScore(unittest.TestCase):
    def test_every_mutant_caught(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bqsim-mutants"),
                                   "--out", tmp], capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn("mutation score: 6/6", proc.stdout)
            caught = [l for l in proc.stdout.splitlines() if l.startswith("caught ")]
            self.assertEqual(len(caught), 6)
            self.assertNotIn("MISSED", proc.stdout)
            self.assertEqual(len(list(Path(tmp).glob("*.json"))), 6)


if __name__ == "__main__":
    unittest.main()
