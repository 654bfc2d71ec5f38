"""Statistics over seeds for bqsim's figures (scripts/bqsim-plot): means with a 95% t-interval
over seeds, nearest-rank percentiles with a seeded (reproducible) bootstrap interval, empirical
CDFs, and the ordering of swept values. Needs numpy and scipy (Debian's python3-numpy,
python3-scipy).

Stuck operations (ops.csv outcome `timeout`: the operation never completed) enter every
statistic as an infinite latency, so nothing is drawn from the survivors only: a mean over a
run with a stuck operation is stuck, a percentile whose rank reaches the stuck operations is
stuck, and a CDF counts them in its denominator (it ends below 1). `STUCK` is that value;
`show()` prints it as the word "stuck", never as a number.
"""
import math
import re

import numpy as np
from scipy import stats as _scipy_stats

STUCK = math.inf
LEVEL = 0.95          # every interval drawn is a 95% interval
RESAMPLES = 2000      # bootstrap resamples: the 2.5% and 97.5% points move by well under a
                      # percent of the interval's width between seeds at this count
BOOTSTRAP_SEED = 1    # the default generator seed: the same data give the same interval
CHUNK = 256           # resamples drawn at once: bounds memory to CHUNK x operations floats

T_NAME = "t95"                # the CSV's `interval` column: 95% Student t over seed means
BOOTSTRAP_NAME = "bootstrap95"  # 95% percentile bootstrap, operations resampled within seeds
NO_INTERVAL = "none"


def is_stuck(x):
    return x is not None and math.isinf(x) and x > 0


def show(x, digits=6):
    """A statistic as text for tables and CSVs: "stuck" for +inf, "" for None/NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if is_stuck(x):
        return "stuck"
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def nearest_rank(sorted_values, p):
    """The nearest-rank p-th percentile (0 < p <= 100) of ascending values, the definition
    bqsim's summary.json uses (sim/*/output.cc): the value at rank ceil(p/100 * m). Infinite
    values sort last, so the percentile is stuck exactly when its rank falls on a stuck
    operation. None for no values."""
    m = len(sorted_values)
    if m == 0:
        return None
    rank = min(max(math.ceil(p / 100.0 * m), 1), m)
    return float(sorted_values[rank - 1])


def percentile(values, p):
    return nearest_rank(np.sort(np.asarray(values, dtype=float)), p)


def mean(values):
    """Mean of latencies, stuck (+inf) if any is stuck; None for no values."""
    a = np.asarray(values, dtype=float)
    return float(a.mean()) if a.size else None


def t_interval(values, level=LEVEL):
    """(mean, low, high): the mean of per-seed values with a Student t interval over them
    (k - 1 degrees of freedom). low and high are None with one value (no spread to estimate);
    all three are stuck when any value is (an infinite mean has no interval). None values
    (a seed with no operation of that kind) are left out; (None, None, None) if none remain."""
    a = np.asarray([v for v in values if v is not None], dtype=float)
    if a.size == 0:
        return None, None, None
    if np.isinf(a).any():
        return STUCK, STUCK, STUCK
    m = float(a.mean())
    if a.size < 2:
        return m, None, None
    half = float(_scipy_stats.t.ppf(0.5 + level / 2, a.size - 1) * a.std(ddof=1)
                 / math.sqrt(a.size))
    return m, m - half, m + half


def bootstrap_percentile(samples, p, level=LEVEL, resamples=RESAMPLES, seed=BOOTSTRAP_SEED,
                         distribution=False):
    """The p-th nearest-rank percentile of all operations pooled over seeds, with a percentile
    bootstrap interval: each resample draws, for every seed, as many operations as that seed
    has, with replacement from that seed's operations (a stratified bootstrap, so every
    resample keeps the design's seeds and sizes), and takes the pooled percentile. The
    interval is the nearest-rank (1-level)/2 and (1+level)/2 points of the resampled
    percentiles; stuck operations (+inf) make a resample's percentile stuck when its rank
    reaches them, so the high end is stuck when that happens in more than 2.5% of resamples.
    samples: one sequence of latencies per seed. Returns (value, low, high), plus the sorted
    resampled percentiles with distribution=True. Same inputs and seed, same numbers."""
    arrays = [np.asarray(s, dtype=float) for s in samples if len(s)]
    if not arrays:
        return (None, None, None, np.array([])) if distribution else (None, None, None)
    pooled = np.concatenate(arrays)
    value = percentile(pooled, p)
    rng = np.random.default_rng(seed)
    m = pooled.size
    rank = min(max(math.ceil(p / 100.0 * m), 1), m)
    out = np.empty(resamples)
    for start in range(0, resamples, CHUNK):
        b = min(CHUNK, resamples - start)
        draws = np.concatenate([a[rng.integers(0, a.size, size=(b, a.size))] for a in arrays],
                               axis=1)
        out[start:start + b] = np.partition(draws, rank - 1, axis=1)[:, rank - 1]
    out.sort()
    low = nearest_rank(out, 100 * (1 - level) / 2)
    high = nearest_rank(out, 100 * (1 + level) / 2)
    return (value, low, high, out) if distribution else (value, low, high)


def ecdf(values):
    """The empirical CDF of latencies with stuck operations in the denominator:
    (xs, ys, stuck, total) where xs are the finite latencies ascending and ys[i] the fraction
    of all operations, stuck ones included, at or below xs[i]. The curve therefore ends at
    (total - stuck) / total, below 1 when any operation is stuck."""
    a = np.sort(np.asarray(values, dtype=float))
    finite = a[np.isfinite(a)]
    total = a.size
    ys = np.arange(1, finite.size + 1) / total if total else np.array([])
    return finite, ys, int(total - finite.size), int(total)


# --- ordering ---------------------------------------------------------------------------

def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def value_key(v):
    """Sort key for swept values: numbers numerically (0 < 0.01 < 0.05 < 0.1 < 2 < 10), before
    strings, which sort naturally (seed-2 < seed-10); other JSON values by their text.
    None (a run without the field) sorts last."""
    if v is None:
        return (3, ())
    if is_number(v):
        return (0, float(v))
    if isinstance(v, str):
        return (1, natural_key(v))
    return (2, repr(v))


def natural_key(text):
    """Digits compare as numbers: seed-2 before seed-10, f=2 before f=10."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t)
                 for t in re.split(r"(\d+)", str(text)) if t != "")


def tuple_key(values):
    return tuple(value_key(v) for v in values)


def sort_values(values):
    return sorted(values, key=value_key)
