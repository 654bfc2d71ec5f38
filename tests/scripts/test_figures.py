"""bqsim-plot's figure set from a small real sweep: every figure is written with its CSV,
each CSV holds exactly what the runs contain (recomputed here from ops.csv, messages.csv and
summary.json), an incomplete sweep is flagged, and the output format follows the file name."""
import math
import shutil
import sys
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

from figure_fixture import (Sweep, latencies, messages_per, nearest_rank, number,  # noqa: E402
                            plot, point, read_csv, summary)

SWEEP = None
FIGURES = {"latency-vs-f", "messages-vs-f", "faults-vs-f", "latency-vs-n", "messages-vs-n",
           "faults-vs-n", "latency-cdf", "read-latency-vs-n", "timeline", "verdicts"}


def setUpModule():
    global SWEEP
    SWEEP = Sweep()
    # A network fault window as the engine's events.csv records it (kind, from_s, until_s,
    # detail); the timeline must shade it.
    (SWEEP.runs[0] / "events.csv").write_text(
        "kind,from_s,until_s,detail\npartition,0.03,0.05,servers 1-2 cut off\n")
    SWEEP.figs = SWEEP.tmp / "figs"
    SWEEP.result = plot("figures", SWEEP.dir, "--out", SWEEP.figs, "--timeline-run",
                        SWEEP.runs[0], "--resamples", "400")


def tearDownModule():
    SWEEP.close()


def cell_runs(**want):
    """The runs of one configuration: every swept field given."""
    return [d for d in SWEEP.runs
            if all(point(d)[k] == v for k, v in want.items())]


def as_value(text):
    try:
        return int(text)
    except ValueError:
        return text


class FigureSet(unittest.TestCase):
    def test_every_figure_with_its_csv(self):
        """One PDF per figure and its CSV beside it; nothing else but the captions."""
        self.assertEqual(SWEEP.result.returncode, 0, SWEEP.result.stderr)
        names = {p.stem for p in SWEEP.figs.glob("*.pdf")}
        self.assertEqual(names, FIGURES)
        for name in FIGURES:
            self.assertTrue((SWEEP.figs / f"{name}.pdf").read_bytes().startswith(b"%PDF"))
            self.assertTrue(read_csv(SWEEP.figs / f"{name}.csv"), name)
        captions = read_csv(SWEEP.figs / "captions.csv")
        self.assertEqual({c["figure"] for c in captions}, FIGURES)
        self.assertIn("bootstrap", next(c for c in captions
                                        if c["figure"] == "latency-vs-f")["caption"])
        self.assertNotIn("incomplete", SWEEP.result.stderr)

    def check_latency_rows(self, rows, x):
        checked = 0
        for row in rows:
            runs = cell_runs(**{"protocol.name": row["protocol.name"],
                                "protocol.n": int(row["protocol.n"]),
                                "protocol.f": int(row["protocol.f"])})
            self.assertEqual(int(row["seeds"]), len(runs))
            lat = [latencies(d, row["measure"]) for d in runs]
            self.assertEqual(int(row["ops"]), sum(map(len, lat)))
            self.assertEqual(int(row["stuck"]), sum(math.isinf(v) for s in lat for v in s))
            value = number(row["value"])
            if row["stat"] == "mean":
                means = [sum(s) / len(s) for s in lat]
                self.assertEqual(math.isinf(value), any(map(math.isinf, means)))
                if not math.isinf(value):
                    self.assertAlmostEqual(value, float(np.mean(means)), places=9)
                    lo, hi = scipy_stats.t.interval(0.95, len(means) - 1, loc=np.mean(means),
                                                    scale=scipy_stats.sem(means))
                    self.assertAlmostEqual(number(row["ci_low"]), lo, places=9)
                    self.assertAlmostEqual(number(row["ci_high"]), hi, places=9)
                    self.assertEqual(row["interval"], "t95")
                else:
                    self.assertEqual(row["interval"], "none")
            else:
                pooled = [v for s in lat for v in s]
                self.assertEqual(value, nearest_rank(pooled, float(row["stat"][1:])))
                self.assertEqual(row["interval"], "bootstrap95")
                low, high = number(row["ci_low"]), number(row["ci_high"])
                self.assertLessEqual(low, high)
                self.assertLessEqual(low, value if not math.isinf(value) else low)
            checked += 1
        return checked

    def test_latency_vs_f_equals_the_runs(self):
        rows = read_csv(SWEEP.figs / "latency-vs-f.csv")
        # 2 protocols x 2 n x 2 f, 3 measures, 2 statistics.
        self.assertEqual(self.check_latency_rows(rows, "protocol.f"), 48)
        self.assertTrue(any(r["value"] == "stuck" for r in rows),
                        "the lossy mr-masking runs have stuck reads: some point is stuck")
        self.assertEqual({r["stat"] for r in rows}, {"mean", "p99"})

    def test_read_latency_vs_n_equals_the_runs(self):
        rows = read_csv(SWEEP.figs / "read-latency-vs-n.csv")
        self.assertEqual({r["measure"] for r in rows}, {"read"})
        self.assertEqual(self.check_latency_rows(rows, "protocol.n"), 16)

    def test_messages_equal_the_runs_with_closed_forms(self):
        rows = read_csv(SWEEP.figs / "messages-vs-f.csv")
        self.assertEqual(len(rows), 16)
        for row in rows:
            runs = cell_runs(**{"protocol.name": row["protocol.name"],
                                "protocol.n": int(row["protocol.n"]),
                                "protocol.f": int(row["protocol.f"])})
            per = [messages_per(d, row["kind"]) for d in runs]
            self.assertAlmostEqual(float(row["value"]), float(np.mean(per)), places=9)
            n = int(row["protocol.n"])
            k = 2 if row["kind"] == "read" else (3 if row["protocol.name"] == "sbq-masking"
                                                 else 4)
            self.assertEqual((row["closed_form"], int(float(row["closed_form_value"]))),
                             (f"{k}n", k * n))

    def test_cdf_counts_stuck_operations_in_the_denominator(self):
        rows = read_csv(SWEEP.figs / "latency-cdf.csv")
        lines = {}
        for r in rows:
            lines.setdefault((r["protocol.name"], r["protocol.f"], r["protocol.n"],
                              r["measure"]), []).append(r)
        self.assertEqual(len(lines), 8 * 3)
        ends_below_one = 0
        for (name, f, n, measure), line in lines.items():
            lat = [v for d in cell_runs(**{"protocol.name": name, "protocol.f": int(f),
                                           "protocol.n": int(n)})
                   for v in latencies(d, measure)]
            stuck = sum(map(math.isinf, lat))
            finite = [r for r in line if r["latency"] != "stuck"]
            self.assertEqual(len(finite), len(lat) - stuck)
            self.assertEqual(int(line[0]["ops"]), len(lat))
            self.assertEqual(int(line[0]["stuck"]), stuck)
            self.assertAlmostEqual(float(finite[-1]["fraction"]), (len(lat) - stuck) / len(lat))
            self.assertEqual([number(r["latency"]) for r in finite],
                             sorted(v for v in lat if not math.isinf(v)))
            ends_below_one += stuck > 0
        self.assertGreater(ends_below_one, 0)

    def test_faults_equal_the_runs(self):
        rows = [r for r in read_csv(SWEEP.figs / "faults-vs-f.csv") if r["measure"] == "stuck"]
        self.assertEqual(len(rows), 8)
        for row in rows:
            runs = cell_runs(**{"protocol.name": row["protocol.name"],
                                "protocol.n": int(row["protocol.n"]),
                                "protocol.f": int(row["protocol.f"])})
            pct = [100.0 * sum(math.isinf(v) for k in ("read", "write") for v in latencies(d, k))
                   / sum(len(latencies(d, k)) for k in ("read", "write")) for d in runs]
            self.assertAlmostEqual(float(row["value"]), float(np.mean(pct)), places=9)
            if row["ci_low"]:
                self.assertGreaterEqual(float(row["ci_low"]), 0.0)
                self.assertLessEqual(float(row["ci_high"]), 100.0)

    def test_timeline_has_every_operation_and_both_kinds_of_window(self):
        rows = read_csv(SWEEP.figs / "timeline.csv")
        ops = [r for r in rows if r["what"] == "op"]
        self.assertEqual(len(ops), len(read_csv(SWEEP.runs[0] / "ops.csv")))
        byz = [r for r in rows if r["what"] == "byzantine"]
        self.assertEqual([(r["detail"], float(r["from_s"]), float(r["until_s"])) for r in byz],
                         [("server 0: silent", 0.02, 0.06)])
        net = [r for r in rows if r["what"] == "network"]
        self.assertEqual([(float(r["from_s"]), float(r["until_s"])) for r in net],
                         [(0.03, 0.05)])

    def test_verdicts_equal_the_summaries(self):
        rows = read_csv(SWEEP.figs / "verdicts.csv")
        self.assertEqual(len(rows), 8)
        for row in rows:
            runs = cell_runs(**{"protocol.name": row["protocol.name"],
                                "protocol.n": int(row["protocol.n"]),
                                "protocol.f": int(row["protocol.f"])})
            checker = [summary(d)["checker"] for d in runs]
            self.assertEqual(int(row["runs_pass"]), sum(c["verdict"] == "pass" for c in checker))
            self.assertEqual(int(row["safe_held"]), sum(c["safe"] for c in checker))
            self.assertEqual(int(row["violations"]), sum(len(c["violations"]) for c in checker))
        # Rows sorted numerically within each protocol: f then n.
        keys = [(r["protocol.name"], int(r["protocol.f"]), int(r["protocol.n"])) for r in rows]
        self.assertEqual(keys, sorted(keys))

    def test_same_runs_same_bytes(self):
        again = SWEEP.tmp / "figs-again"
        r = plot("figures", SWEEP.dir, "--out", again, "--timeline-run", SWEEP.runs[0],
                 "--resamples", "400", "--only", "latency-vs-f,verdicts")
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("latency-vs-f.pdf", "latency-vs-f.csv", "verdicts.pdf"):
            self.assertEqual((again / name).read_bytes(), (SWEEP.figs / name).read_bytes(), name)


class IncompleteSweep(unittest.TestCase):
    def test_missing_runs_are_flagged_on_stderr_figure_and_table(self):
        """One run without its manifest (interrupted) and one sweep point gone entirely."""
        copy = SWEEP.tmp / "partial"
        shutil.copytree(SWEEP.dir, copy)
        (copy / SWEEP.runs[1].relative_to(SWEEP.dir) / "manifest.json").unlink()
        gone = SWEEP.runs[-1].parent.name
        shutil.rmtree(copy / gone)
        out = SWEEP.tmp / "figs-partial"
        r = plot("figures", copy, "--out", out, "--only", "latency-vs-f,verdicts",
                 "--resamples", "200")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("fig-test: incomplete sweep: 13 of 16 runs (8 points x 2 seeds)",
                      r.stderr)
        for c in read_csv(out / "captions.csv"):
            self.assertIn("incomplete sweep: 13 of 16 runs", c["caption"])
        series = [r["series"] for r in read_csv(out / "verdicts.csv")]
        self.assertEqual(sum(s.startswith("incomplete: ") for s in series), 1)
        self.assertEqual(sum(s.startswith("missing: ") for s in series), 1)

    def test_complete_sweep_is_not_flagged(self):
        self.assertNotIn("incomplete sweep", SWEEP.result.stderr)


class Formats(unittest.TestCase):
    def test_png_and_svg_follow_the_extension(self):
        for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
            out = SWEEP.tmp / f"one.{ext}"
            r = plot("figure", "latency-cdf", SWEEP.dir, "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(out.read_bytes().startswith(magic), ext)
            self.assertTrue((SWEEP.tmp / "one.csv").is_file())

    def test_unknown_extension_is_one_line_exit_2_nothing_written(self):
        out = SWEEP.tmp / "bad.xyz"
        r = plot("figure", "latency-cdf", SWEEP.dir, "-o", out)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)
        self.assertTrue(r.stderr.startswith("error: ") and "xyz" in r.stderr)
        self.assertFalse(out.exists() or (SWEEP.tmp / "bad.csv").exists())

    def test_figures_in_png(self):
        out = SWEEP.tmp / "figs-png"
        r = plot("figures", SWEEP.dir, "--out", out, "--format", "png", "--only", "verdicts")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue((out / "verdicts.png").read_bytes().startswith(b"\x89PNG"))

    def test_report_is_one_pdf_with_the_data_beside_it(self):
        out = SWEEP.tmp / "report.pdf"
        r = plot(SWEEP.dir, "-o", out, "--x", "f", "--resamples", "200")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(out.read_bytes().startswith(b"%PDF"))
        self.assertTrue((SWEEP.tmp / "report.verdicts.csv").is_file())
        r = plot(SWEEP.dir, "-o", SWEEP.tmp / "report.png")
        self.assertEqual((r.returncode, len(r.stderr.strip().splitlines())), (2, 1))

    def test_label_by_averaging_different_configurations_is_refused(self):
        r = plot("figure", "latency-vs-f", SWEEP.dir, "--label-by", "protocol", "-o",
                 SWEEP.tmp / "merged.pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("differ in protocol.n", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
