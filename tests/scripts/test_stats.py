"""The statistics behind bqsim-plot's figures (scripts/bqsim_stats.py, plot_points.py,
plot_design.py) on known data: t-intervals against hand computation and scipy, the bootstrap
against exact enumeration and scipy, stuck operations in CDF denominators and percentiles,
numeric ordering of swept values, and explicit grouping."""
import math
import sys
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import numpy as np  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

import bqsim_stats as st  # noqa: E402
from plot_collect import UserError  # noqa: E402
from plot_design import Design  # noqa: E402
from plot_points import latency_point  # noqa: E402

INF = math.inf


class TInterval(unittest.TestCase):
    def test_hand_computed(self):
        """[1, 2, 3, 4]: mean 2.5, s = sqrt(5/3), t(0.975, 3) = 3.182446305 (tables)."""
        m, lo, hi = st.t_interval([1, 2, 3, 4])
        half = 3.182446305284263 * math.sqrt(5 / 3) / 2
        self.assertAlmostEqual(m, 2.5)
        self.assertAlmostEqual(lo, 2.5 - half, places=9)
        self.assertAlmostEqual(hi, 2.5 + half, places=9)
        self.assertAlmostEqual(lo, 0.44574, places=5)  # written out by hand

    def test_matches_scipy(self):
        """Five seeds' means: the same interval as scipy.stats.t.interval."""
        x = [0.0031, 0.0029, 0.0035, 0.0030, 0.0033]
        m, lo, hi = st.t_interval(x)
        ref = scipy_stats.t.interval(0.95, len(x) - 1, loc=np.mean(x),
                                     scale=scipy_stats.sem(x))
        self.assertAlmostEqual(lo, ref[0], places=12)
        self.assertAlmostEqual(hi, ref[1], places=12)

    def test_one_seed_has_no_interval(self):
        self.assertEqual(st.t_interval([0.25]), (0.25, None, None))

    def test_a_stuck_seed_makes_the_mean_stuck(self):
        self.assertEqual(st.t_interval([0.1, INF, 0.2]), (INF, INF, INF))

    def test_seeds_without_operations_are_left_out(self):
        self.assertEqual(st.t_interval([None, 2.0, None])[0], 2.0)
        self.assertEqual(st.t_interval([None]), (None, None, None))


class Percentiles(unittest.TestCase):
    def test_nearest_rank_as_summary_json(self):
        """The definition of sim/.../output.cc: rank ceil(p/100 * m)."""
        xs = list(range(1, 11))
        self.assertEqual(st.percentile(xs, 50), 5)
        self.assertEqual(st.percentile(xs, 90), 9)
        self.assertEqual(st.percentile(xs, 99), 10)
        self.assertEqual(st.percentile(list(range(1, 101)), 99), 99)

    def test_a_percentile_reaching_stuck_operations_is_stuck(self):
        """95 completed reads and 5 stuck: p95 is finite, p96 and p99 are stuck."""
        xs = [0.001 * (i + 1) for i in range(95)] + [INF] * 5
        self.assertAlmostEqual(st.percentile(xs, 95), 0.095)
        self.assertTrue(st.is_stuck(st.percentile(xs, 96)))
        self.assertTrue(st.is_stuck(st.percentile(xs, 99)))
        self.assertEqual(st.show(st.percentile(xs, 99)), "stuck")

    def test_mean_with_a_stuck_operation_is_stuck(self):
        self.assertTrue(st.is_stuck(st.mean([0.1, 0.2, INF])))


class Bootstrap(unittest.TestCase):
    def test_reproducible(self):
        rng = np.random.default_rng(7)
        seeds = [rng.exponential(0.002, 300), rng.exponential(0.002, 250)]
        a = st.bootstrap_percentile(seeds, 99, resamples=500, seed=3)
        b = st.bootstrap_percentile(seeds, 99, resamples=500, seed=3)
        c = st.bootstrap_percentile(seeds, 99, resamples=500, seed=4)
        self.assertEqual(a, b)
        self.assertNotEqual(a[1:], c[1:])
        self.assertEqual(a[0], st.percentile(np.concatenate(seeds), 99))

    def test_exact_distribution_of_a_tiny_sample(self):
        """Median (nearest rank) of two draws from {1, 2}: it is 2 only when both draws are
        2, probability 1/4; so the interval is [1, 2]."""
        value, lo, hi, dist = st.bootstrap_percentile([[1.0, 2.0]], 50, resamples=8000,
                                                      seed=11, distribution=True)
        self.assertEqual((value, lo, hi), (1.0, 1.0, 2.0))
        self.assertAlmostEqual(float(np.mean(dist == 2.0)), 0.25, delta=0.015)

    def test_stratified_by_seed(self):
        """Each resample keeps every seed's size: three 1s and three 5s always, so the
        pooled median (rank 3 of 6) is always 1. Pooled resampling would give 5 often."""
        value, lo, hi = st.bootstrap_percentile([[1.0] * 3, [5.0] * 3], 50, resamples=500)
        self.assertEqual((value, lo, hi), (1.0, 1.0, 1.0))

    def test_agrees_with_scipy(self):
        """One seed of 2000 normal latencies, p90: the interval agrees with scipy's
        percentile bootstrap to a fifth of its width (both are Monte Carlo estimates)."""
        rng = np.random.default_rng(5)
        x = rng.normal(10.0, 2.0, 2000)
        _, lo, hi = st.bootstrap_percentile([x], 90, resamples=4000, seed=1)

        def p90(sample, axis=-1):
            return np.sort(sample, axis=axis)[..., math.ceil(0.9 * sample.shape[axis]) - 1]
        ref = scipy_stats.bootstrap((x,), p90, n_resamples=4000, method="percentile",
                                    confidence_level=0.95, random_state=2).confidence_interval
        width = ref.high - ref.low
        self.assertLess(abs(lo - ref.low), width / 5)
        self.assertLess(abs(hi - ref.high), width / 5)

    def test_stuck_operations_reach_the_interval(self):
        """1.5% stuck: p99 is stuck, and so is the interval's high end."""
        rng = np.random.default_rng(1)
        x = list(rng.exponential(1.0, 985)) + [INF] * 15
        value, lo, hi = st.bootstrap_percentile([x], 99, resamples=1000)
        self.assertTrue(st.is_stuck(value) and st.is_stuck(hi))
        self.assertTrue(math.isfinite(lo))


class Cdf(unittest.TestCase):
    def test_stuck_operations_in_the_denominator(self):
        xs, ys, stuck, total = st.ecdf([0.003, 0.001, INF, 0.002])
        self.assertEqual(list(xs), [0.001, 0.002, 0.003])
        self.assertEqual(list(ys), [0.25, 0.5, 0.75])
        self.assertEqual((stuck, total), (1, 4))

    def test_no_stuck_operation_reaches_one(self):
        _, ys, stuck, _ = st.ecdf([1.0, 2.0])
        self.assertEqual((ys[-1], stuck), (1.0, 0))


class Ordering(unittest.TestCase):
    def test_numbers_sort_numerically(self):
        """The order the issue saw (0, 0.01, 0.1, 0.01, 0.1, 0.05, 0.05) is gone."""
        self.assertEqual(st.sort_values([0.1, 0.01, 0, 0.05, 10, 2, 0.1]),
                         [0, 0.01, 0.05, 0.1, 0.1, 2, 10])
        self.assertEqual(st.sort_values(["b", 3, "a", 1]), [1, 3, "a", "b"])
        self.assertLess(st.natural_key("seed-2"), st.natural_key("seed-10"))


class FakeRun:
    """What plot_design and plot_points read from a run."""

    def __init__(self, seed, latencies=(), **config):
        self.seed, self.config, self.dir = seed, dict(config), Path(f"run-{seed}")
        self.lat = list(latencies)

    def value(self, path):
        return self.config.get(path)

    def latencies(self, what):
        return self.lat


class Options:
    resamples, bootstrap_seed = 300, 1


class Grouping(unittest.TestCase):
    def runs(self):
        return [FakeRun(s, **{"protocol.name": p, "protocol.f": f,
                              "network.loss_probability": loss})
                for p in ("u-masking", "mr-masking") for f in (1, 2)
                for loss in (0.1, 0.01, 0.05, 0) for s in (1, 2)]

    def test_series_split_every_swept_field_and_sort_numerically(self):
        d = Design(self.runs())
        series = d.series("network.loss_probability")
        self.assertEqual([s.label for s in series],
                         ["mr-masking, f=1", "mr-masking, f=2", "u-masking, f=1",
                          "u-masking, f=2"])
        self.assertEqual(series[0].xs(), [0, 0.01, 0.05, 0.1])
        self.assertTrue(all(len(rs) == 2 for s in series for rs in s.cells.values()))

    def test_label_by_that_would_average_different_f_is_refused(self):
        d = Design(self.runs(), label_by="protocol")
        with self.assertRaises(UserError) as e:
            d.series("network.loss_probability")
        self.assertIn("differ in protocol.f", str(e.exception))
        self.assertNotIn("\n", str(e.exception))

    def test_label_by_covering_the_fields_is_accepted(self):
        d = Design(self.runs(), label_by="protocol,f")
        self.assertEqual(len(d.series("network.loss_probability")), 4)


class Points(unittest.TestCase):
    def test_stuck_operations_reach_mean_and_p99(self):
        """Two seeds, one with stuck reads: the mean is stuck and has no interval; p99 of
        the pooled 200 reads with 3 stuck (rank 198) is stuck; with 2 it would not be."""
        a = FakeRun(1, [0.01] * 100)
        b = FakeRun(2, [0.02] * 97 + [INF] * 3)
        mean = latency_point(0, [a, b], "read", "mean", Options)
        self.assertTrue(st.is_stuck(mean.value))
        self.assertEqual((mean.low, mean.high, mean.interval), (None, None, "none"))
        p99 = latency_point(0, [a, b], "read", "p99", Options)
        self.assertTrue(st.is_stuck(p99.value))
        self.assertEqual((p99.stuck, p99.ops, p99.seeds), (3, 200, 2))
        p50 = latency_point(0, [a, b], "read", "p50", Options)
        self.assertEqual(p50.value, 0.01)
        b.lat = [0.02] * 98 + [INF] * 2
        self.assertEqual(latency_point(0, [a, b], "read", "p99", Options).value, 0.02)

    def test_mean_over_seeds_with_t_interval(self):
        runs = [FakeRun(s, [v]) for s, v in ((1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0))]
        p = latency_point(0, runs, "read", "mean", Options)
        self.assertEqual((p.value, p.interval, p.seeds), (2.5, "t95", 4))
        self.assertAlmostEqual(p.low, 0.44574, places=5)


if __name__ == "__main__":
    unittest.main()
