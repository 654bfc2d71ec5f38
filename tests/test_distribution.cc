// Random streams and delay distributions: sample means against mean(), bounds, and stream
// determinism (STYLE.md: streams derived from (seed, purpose, id)).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "sim/model/distribution.h"
#include "sim/model/random.h"

using namespace bqsim;

namespace {

constexpr int kDraws = 200000;

struct Stats {
  double mean = 0;
  double sd = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
};

Stats sample(const Distribution& d, uint64_t seed) {
  Rng rng(seed, "distribution-test", static_cast<uint64_t>(d.kind));
  double sum = 0, sum_sq = 0;
  Stats s;
  for (int i = 0; i < kDraws; ++i) {
    const double x = d.sample(rng);
    sum += x;
    sum_sq += x * x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean = sum / kDraws;
  s.sd = std::sqrt(std::max(0.0, sum_sq / kDraws - s.mean * s.mean));
  return s;
}

// The sample mean lies within 5 standard errors of the true mean (a 1-in-3.5-million miss
// for a correct sampler; the seed is fixed, so this is deterministic anyway).
void check_mean(const Distribution& d) {
  INFO(d.describe());
  const Stats s = sample(d, 42);
  const double se = s.sd / std::sqrt(static_cast<double>(kDraws));
  CHECK(std::abs(s.mean - d.mean()) <= 5 * se + 1e-12);
  CHECK(s.min >= d.lower_bound());
  CHECK(s.max <= d.upper_bound());
}

}  // namespace

TEST_CASE("distribution: sample means match mean() and stay within bounds") {
  // 200k draws each; heavy tails use parameters with finite variance (pareto shape 5).
  check_mean(Distribution::constant(0.003));
  check_mean(Distribution{DistKind::uniform, 0.001, 0.005});
  check_mean(Distribution{DistKind::normal, 0.010, 0.002});
  check_mean(Distribution{DistKind::normal, 0.001, 0.001});  // truncation matters here
  check_mean(Distribution{DistKind::exponential, 0.002, 0});
  check_mean(Distribution{DistKind::lognormal, 0.002, 0.5});
  check_mean(Distribution{DistKind::pareto, 0.001, 5});
}

TEST_CASE("distribution: bounds of each kind") {
  // constant is exact, uniform inside [min, max], pareto at least its scale, normal truncated
  // at 0, exponential and lognormal never negative.
  Rng rng(7, "bounds", 0);
  const Distribution constant = Distribution::constant(0.25);
  const Distribution uniform{DistKind::uniform, 1.0, 2.0};
  const Distribution pareto{DistKind::pareto, 0.5, 1.5};
  const Distribution normal{DistKind::normal, 0.0, 1.0};
  const Distribution exponential{DistKind::exponential, 1.0, 0};
  const Distribution lognormal{DistKind::lognormal, 1.0, 2.0};
  int normal_zero_or_more = 0, constant_exact = 0;
  for (int i = 0; i < 100000; ++i) {
    constant_exact += constant.sample(rng) == 0.25;
    const double u = uniform.sample(rng);
    REQUIRE(u >= 1.0);
    REQUIRE(u <= 2.0);
    REQUIRE(pareto.sample(rng) >= 0.5);
    normal_zero_or_more += normal.sample(rng) >= 0;
    REQUIRE(exponential.sample(rng) >= 0);
    REQUIRE(lognormal.sample(rng) > 0);
  }
  CHECK(constant_exact == 100000);
  CHECK(normal_zero_or_more == 100000);
  CHECK(constant.lower_bound() == 0.25);
  CHECK(constant.upper_bound() == 0.25);
  CHECK(uniform.lower_bound() == 1.0);
  CHECK(uniform.upper_bound() == 2.0);
  CHECK(pareto.lower_bound() == 0.5);
  CHECK(std::isinf(pareto.upper_bound()));
  CHECK(normal.lower_bound() == 0);
  // A normal centred at 0 and truncated there has mean sd * sqrt(2/pi).
  CHECK(normal.mean() == Approx(std::sqrt(2 / std::numbers::pi)));
  // Pareto with shape <= 1 has no finite mean.
  CHECK(std::isinf(Distribution{DistKind::pareto, 1.0, 1.0}.mean()));
}

TEST_CASE("distribution: describe() and the name list") {
  // What `bqsim list` and error messages show.
  CHECK(Distribution{DistKind::exponential, 0.001, 0}.describe() == "exponential(mean_s=0.001)");
  CHECK(Distribution{DistKind::uniform, 1, 2}.describe() == "uniform(min_s=1, max_s=2)");
  const std::vector<std::string> names = {"constant",    "uniform",   "normal",
                                          "exponential", "lognormal", "pareto"};
  CHECK(distribution_names() == names);
}

TEST_CASE("random: streams are reproducible and independent") {
  // Same (seed, purpose, id): identical draws; another id, purpose or seed: a different stream.
  Rng a(123, "delay", 4), b(123, "delay", 4);
  Rng other_id(123, "delay", 5), other_purpose(123, "loss", 4), other_seed(124, "delay", 4);
  int same_id = 0, same_purpose = 0, same_seed = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next_u64();
    REQUIRE(x == b.next_u64());
    same_id += x == other_id.next_u64();
    same_purpose += x == other_purpose.next_u64();
    same_seed += x == other_seed.next_u64();
  }
  CHECK(same_id == 0);
  CHECK(same_purpose == 0);
  CHECK(same_seed == 0);

  // Distributions drawn from equal streams agree draw for draw.
  Rng c(9, "think", 1), d(9, "think", 1);
  const Distribution exp{DistKind::exponential, 0.5, 0};
  for (int i = 0; i < 100; ++i) REQUIRE(exp.sample(c) == exp.sample(d));
}

TEST_CASE("random: below() stays under its bound and is unbiased") {
  // 700k draws below 7: each bucket within 5 standard errors of 100k; the unit interval
  // helpers stay in their half-open ranges; huge bounds are respected.
  Rng rng(1, "below", 0);
  std::vector<int> count(7, 0);
  const int draws = 700000;
  for (int i = 0; i < draws; ++i) {
    const uint64_t x = rng.below(7);
    REQUIRE(x < 7);
    ++count[x];
  }
  const double p = 1.0 / 7, expect = draws * p, se = std::sqrt(draws * p * (1 - p));
  for (int c : count) CHECK(std::abs(c - expect) <= 5 * se);

  for (int i = 0; i < 1000; ++i) CHECK(rng.below(1) == 0);
  const uint64_t big = (uint64_t{1} << 63) + 12345;
  int upper_half = 0;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t x = rng.below(big);
    REQUIRE(x < big);
    upper_half += x >= big / 2;
  }
  CHECK(std::abs(upper_half - 5000) <= 5 * 50);  // sd of a fair binomial(10000) is 50

  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
    const double v = rng.uniform_open0();
    REQUIRE(v > 0);
    REQUIRE(v <= 1);
    sum += u;
  }
  CHECK(std::abs(sum / 100000 - 0.5) <= 5 * std::sqrt(1.0 / 12 / 100000));
}

TEST_CASE("random: standard normal has mean 0 and variance 1") {
  // Box-Muller: 200k draws, mean within 5 SE of 0, variance within 2%.
  Rng rng(5, "normal", 0);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = rng.standard_normal();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kDraws;
  CHECK(std::abs(mean) <= 5 / std::sqrt(static_cast<double>(kDraws)));
  CHECK(sum_sq / kDraws - mean * mean == Approx(1.0).epsilon(0.02));
}

TEST_CASE("rng: below() draws exactly what the 128-bit Lemire method drew") {
  // Pins the stream below() produced when it multiplied in unsigned __int128, so the portable
  // multiply changes no run (contact quorums and the tests' histories draw through it). The
  // bounds include rejection-heavy ones (just above 2^63) and the largest.
  Rng rng(42, "below-test", 3);
  const std::vector<std::pair<uint64_t, std::vector<uint64_t>>> expected = {
      {1ULL, {0ULL, 0ULL, 0ULL, 0ULL}},
      {2ULL, {0ULL, 1ULL, 1ULL, 1ULL}},
      {3ULL, {1ULL, 1ULL, 1ULL, 2ULL}},
      {7ULL, {5ULL, 5ULL, 6ULL, 1ULL}},
      {10ULL, {2ULL, 6ULL, 7ULL, 4ULL}},
      {1000ULL, {178ULL, 981ULL, 721ULL, 724ULL}},
      {4294967295ULL, {2818891948ULL, 1123167745ULL, 4148078912ULL, 2513783203ULL}},
      {4294967297ULL, {2113225170ULL, 706180524ULL, 2930084248ULL, 931181324ULL}},
      {9223372036854775809ULL,
       {351907439033936686ULL, 4841218501768113310ULL, 1910369254764953687ULL,
        8795844127049129953ULL}},
      {18446744073709551615ULL,
       {17659360106978274252ULL, 4384232267466134230ULL, 12313590499906248776ULL,
        6277276225551009160ULL}},
  };
  for (const auto& [bound, draws] : expected) {
    for (uint64_t want : draws) CHECK(rng.below(bound) == want);
  }
  // The product itself, at the edges: (2^64-1)^2 = 2^128 - 2^65 + 1.
  const Wide top = multiply_wide(~0ULL, ~0ULL);
  CHECK(top.high == 0xfffffffffffffffeULL);
  CHECK(top.low == 1);
  const Wide mid = multiply_wide(0x100000000ULL, 0x100000000ULL);
  CHECK((mid.high == 1 && mid.low == 0));
}
