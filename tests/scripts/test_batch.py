"""The batch runner: its runs are what `bqsim expand` lists, named as the old Python expansion
named its directories; bad input creates nothing; shards and the GNU parallel engine cover a
batch exactly once. Signals are in test_signals.py."""
import hashlib
import json
import random
import re
import unittest

from helpers import (REPO, db_rows, expand, private_binary, processes_of, run_script,
                     small_sweep, temp_dir, write_scenario)


# The directory labels of scripts/bqsim_sweep.py (removed when `bqsim expand` took over), kept
# as the oracle the C++ names must equal so that existing result directories stay valid.
def old_value_text(v):
    return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), sort_keys=True)


def old_label_parts(path, v):
    if isinstance(v, dict) and v:
        return [p for k in sorted(v) for p in old_label_parts(f"{path}.{k}", v[k])]
    if isinstance(v, list):
        return [f"{path}=" + "+".join(old_value_text(x) for x in v)]
    return [f"{path}={old_value_text(v)}"]


def old_sanitise(text):
    s = re.sub(r"[^A-Za-z0-9._,=+@-]+", "_", text).lstrip(".-") or "_"
    if len(s) > 200:
        s = s[:180] + "~" + hashlib.sha1(text.encode()).hexdigest()[:12]
    return s


def old_labels(sweep):
    import itertools
    axes = sorted(sweep)
    return [old_sanitise(",".join(p for a, v in zip(axes, values)
                                  for p in old_label_parts(a, v))) if axes else "default"
            for values in itertools.product(*(sweep[a] for a in axes))]


class PointNames(unittest.TestCase):
    def test_shipped_sweeps_keep_their_directory_names(self):
        """Every shipped scenario: expand's point names are the old labels, in order."""
        for path in sorted((REPO / "scenarios").glob("*.json")):
            doc = json.loads(path.read_text())
            if path.name == "schema.json":
                continue
            with self.subTest(scenario=path.name):
                got = [l["point"] for l in expand(path) if l["seed"] == doc.get("seed", 1)]
                self.assertEqual(got, old_labels(doc.get("sweep", {})))

    def test_random_values_are_named_as_python_named_them(self):
        """Random floats of every magnitude, odd strings (non-ASCII, punctuation, long ones)
        and distribution objects: the same names as the old Python labels."""
        rng = random.Random(8)
        floats = sorted({float(f"{rng.uniform(1, 10):.{rng.randint(1, 17)}g}") *
                         10.0 ** rng.randint(-12, 20) for _ in range(300)} | {0.0, 1e16, 1e15})
        alphabet = "aZ09._,=+@- /\\\"'é😀\n\t:;~"
        texts = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
                        for _ in range(200)} | {"x" * 250, "..lead", "-dash", "é" * 120})
        # One text per directory name (two that sanitise alike are refused, rightly).
        texts = list({old_labels({"description": [t]})[0]: t for t in texts}.values())
        objects = [{"dist": "uniform", "min_s": 0, "max_s": x} for x in floats[:40]] + \
                  [{"dist": "exponential", "mean_s": x} for x in floats[40:80] if x > 0]
        base = {"name": "names", "protocol": {"name": "sbq-masking", "f": 1},
                "workload": {"clients": 1, "ops_per_client": 1}}
        d = temp_dir(self)
        for sweep in ({"network.delay.value_s": floats}, {"description": texts},
                      {"network.delay": objects},
                      {"byzantine.0.servers": [[0], [1], [0, 1], [1, 0]], "allow_unsafe": [True]}):
            doc = dict(base, sweep=sweep)
            if "network.delay.value_s" in sweep:
                doc["network"] = {"delay": {"dist": "constant", "value_s": 0}}
            if "byzantine.0.servers" in sweep:
                doc["byzantine"] = [{"servers": [0], "behaviours": [{"kind": "silent"}]}]
            path = write_scenario(d, doc)
            with self.subTest(sweep=next(iter(sweep))):
                names = [l["point"] for l in expand(path)]
                self.assertEqual(names, old_labels(sweep))
                self.assertEqual(len(set(names)), len(names))


class Batch(unittest.TestCase):
    def test_out_that_is_a_file_is_a_one_line_error_naming_out(self):
        d = temp_dir(self)
        (d / "file").write_text("x")
        p = run_script("bqsim-batch", REPO / "scenarios" / "quickstart.json", "--out", d / "file")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr, f"error: --out: expected a directory, got the file "
                                   f"{d / 'file'}\n")

    def test_bad_input_creates_nothing(self):
        """A sweep bqsim refuses: bqsim's one line, exit 2, no output directory."""
        d = temp_dir(self)
        doc = small_sweep()
        doc["sweep"]["protocol.f"] = [1, -1]
        scenario = write_scenario(d, doc)
        p = run_script("bqsim-batch", scenario, "--out", d / "out")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn("/sweep/protocol.f/1: expected", p.stderr)
        self.assertFalse((d / "out").exists())

    def test_shards_together_are_the_batch_exactly_once(self):
        """--shard 0/3, 1/3 and 2/3 into one OUT: every run once, each shard only its own."""
        d = temp_dir(self)
        scenario = write_scenario(d, small_sweep("shards", ops=10, clients=2))
        out = d / "out"
        seen = []
        for i in range(3):
            p = run_script("bqsim-batch", scenario, "--seeds", "3", "--out", out,
                           "--shard", f"{i}/3")
            self.assertEqual(p.returncode, 0, p.stderr)
            runs = set(db_rows(out / "results.sqlite"))
            new = runs - set(seen)
            self.assertEqual(len(new), 4)  # 12 runs, round robin over 3 shards
            expected = {l["dir"] for l in expand(scenario, "--seeds", 3, "--shard", f"{i}/3")}
            self.assertEqual(new, expected)
            seen += sorted(new)
        self.assertEqual(len(seen), 12)
        csv_lines = (out / "shards" / "runs.csv").read_text().splitlines()
        self.assertEqual(len(csv_lines), 1 + 12)

    def test_parallel_engine_through_sshlogin(self):
        """--engine parallel with an --sshlogin whose ssh runs the command here (no sshd in
        CI): every run done once, ingested, nothing left running."""
        d = temp_dir(self)
        bqsim = private_binary(self, d)
        scenario = write_scenario(d, small_sweep("par", ops=10, clients=2))
        fake_ssh = d / "fake-ssh"
        # GNU parallel calls `SSH HOST -- WORDS...`; ssh would join the words for the remote
        # shell: do that here.
        fake_ssh.write_text('#!/bin/sh\nshift\n[ "$1" = "--" ] && shift\nexec sh -c "$*"\n')
        fake_ssh.chmod(0o755)
        out = d / "out"
        p = run_script("bqsim-batch", scenario, "--seeds", "2", "--out", out, "--engine",
                       "parallel", "-j", "2", "--sshlogin", "2/fakehost", "--ssh", fake_ssh,
                       "--bqsim", bqsim)
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
        runs = db_rows(out / "results.sqlite")
        self.assertEqual(len(runs), 8)
        self.assertEqual(len(set(runs)), 8)
        log = next(out.glob(".bqsim-batch/parallel-*/joblog")).read_text().splitlines()
        self.assertEqual(len(log), 1 + 8)
        self.assertTrue(all(line.split("\t")[1] == "fakehost" for line in log[1:]), log)
        self.assertEqual(processes_of(bqsim), [])


if __name__ == "__main__":
    unittest.main()
