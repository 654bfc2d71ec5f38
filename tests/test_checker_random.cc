// Semantics checker (PROTOCOLS.md §2) against a brute-force reference (checker_reference.h):
// safe and regular checked naively from their definitions, atomic by exhaustive search for a
// linearization, on random small histories. fuzz/fuzz_checker.cc runs the same comparison on
// histories a fuzzer builds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "sim/judge/checker.h"
#include "sim/model/random.h"
#include "tests/checker_fixture.h"
#include "tests/checker_reference.h"

namespace bqsim::test {
namespace {

std::vector<OpRecord> random_history(Rng& rng) {
  std::vector<OpRecord> h;
  const int writes = 1 + static_cast<int>(rng.below(4));
  const int reads = static_cast<int>(rng.below(6));
  const bool consistent_ts = rng.bernoulli(0.7);
  std::vector<double> invokes;
  for (int i = 0; i < writes; ++i) invokes.push_back(static_cast<double>(rng.below(12)));
  if (consistent_ts) std::sort(invokes.begin(), invokes.end());
  OpId id = 1;
  for (int i = 0; i < writes; ++i) {
    const double a = invokes[static_cast<size_t>(i)];
    const auto k = static_cast<uint32_t>(i + 1);
    const uint64_t counter = consistent_ts ? k : 1 + rng.below(9);
    if (rng.bernoulli(0.15)) {  // never returned
      h.push_back(write_op(id++, a, kNever, kNever, val(0, k), Timestamp{}));
    } else {
      const double ret = a + 1 + static_cast<double>(rng.below(3));
      const double eff = rng.bernoulli(0.1) ? kNever : a + static_cast<double>(rng.below(5));
      h.push_back(write_op(id++, a, ret, eff, val(0, k), Timestamp{counter, k}));
    }
  }
  for (int i = 0; i < reads; ++i) {
    const double s = static_cast<double>(rng.below(16));
    const double t = s + static_cast<double>(rng.below(4));
    const uint64_t pick = rng.below(static_cast<uint64_t>(writes) + 3);
    if (pick < static_cast<uint64_t>(writes)) {
      const OpRecord& w = h[pick];
      h.push_back(read_op(id++, s, t, w.value, w.returned() ? w.ts : Timestamp{7, 7}));
    } else if (pick == static_cast<uint64_t>(writes)) {
      h.push_back(bottom_read(id++, s, t));
    } else if (rng.bernoulli(0.1)) {
      h.push_back(read_op(id++, s, t, kForgedBit | 5, Timestamp{50, 1}));
    } else {
      h.push_back(read_op(id++, s, t, kInitialValue, {}));
    }
  }
  return h;
}

}  // namespace

TEST_CASE("checker: agrees with brute force on 20000 random small histories") {
  // safe/regular against the definitions checked naively, atomic against exhaustive search
  // for a linearization (the checker's atomic also requires regular, since "latest" is by ts).
  Rng rng(2024, "checker-test", 0);
  int atomic_yes = 0, atomic_no = 0, regular_not_atomic = 0, safe_not_regular = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const std::vector<OpRecord> h = random_history(rng);
    const CheckReport rep = check_history(h);
    const auto [safe, regular] = naive_safe_regular(h);
    const bool atomic = regular && brute_linearizable(h);
    INFO("history " << iter);
    REQUIRE(rep.safe == safe);
    REQUIRE(rep.regular == regular);
    REQUIRE(rep.atomic == atomic);
    // Every failed level is backed by a listed violation (completion failures do not count).
    const bool listed = std::any_of(rep.violations.begin(), rep.violations.end(),
                                    [](const Violation& v) {
                                      return v.kind != "stuck" && v.kind != "never-effective";
                                    });
    REQUIRE(listed == !rep.atomic);
    atomic_yes += atomic;
    atomic_no += !atomic;
    regular_not_atomic += regular && !atomic;
    safe_not_regular += safe && !regular;
  }
  // The generator must exercise every distinction, or the comparison proves little.
  CHECK(atomic_yes > 1000);
  CHECK(atomic_no > 1000);
  CHECK(regular_not_atomic > 100);
  CHECK(safe_not_regular > 100);
}

}  // namespace bqsim::test
