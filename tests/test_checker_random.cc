// Semantics checker (PROTOCOLS.md §2) against a brute-force reference: safe and regular
// checked naively from their definitions, atomic by exhaustive search for a linearization, on
// random small histories.
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

namespace bqsim::test {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A write ends at its effective completion; one that returned ok but never became effective
// ends when it returned (its client saw it complete); one that never returned, never.
double end_of(const OpRecord& op) {
  if (op.kind == OpKind::read) return op.return_s;
  if (op.effective()) return op.effective_s;
  return op.returned() && op.outcome == Outcome::ok ? op.return_s : kInf;
}

// safe/regular straight from the definitions, O(R*W).
std::pair<bool, bool> naive_safe_regular(const std::vector<OpRecord>& h) {
  bool safe = true, regular = true;
  for (const OpRecord& r : h) {
    if (r.kind != OpKind::read || !r.returned() || r.outcome == Outcome::timeout) continue;
    const double s = r.invoke_s, t = r.return_s;
    bool overlapped = false, overlapping_match = false;
    double max_invoke = -kInf;
    for (const OpRecord& w : h) {
      if (w.kind != OpKind::write) continue;
      const bool matches = w.value == r.value && (!w.returned() || w.ts == r.ts);
      if (w.invoke_s <= t && end_of(w) >= s) {
        overlapped = true;
        overlapping_match = overlapping_match || matches;
      }
      if (end_of(w) < s) max_invoke = std::max(max_invoke, w.invoke_s);
    }
    // Latest: the completed writes not preceding another completed one, largest ts.
    ValueId latest_v = kInitialValue;
    Timestamp latest_ts{};
    bool any = false;
    for (const OpRecord& w : h) {
      if (w.kind != OpKind::write || !(end_of(w) < s) || end_of(w) < max_invoke) continue;
      if (!any || latest_ts < w.ts) {
        latest_v = w.value;
        latest_ts = w.ts;
        any = true;
      }
    }
    const bool ok = r.outcome == Outcome::ok;
    const bool is_latest = ok && r.value == latest_v && r.ts == latest_ts;
    if (!overlapped && !is_latest) safe = false;
    if (!is_latest && !(ok && overlapping_match)) regular = false;
  }
  return {safe, regular};
}

// Linearizability by exhaustive search over orders that respect real-time precedence.
bool brute_linearizable(const std::vector<OpRecord>& h) {
  std::vector<const OpRecord*> ops;
  for (const OpRecord& op : h) {
    if (op.kind == OpKind::write || (op.returned() && op.outcome != Outcome::timeout)) {
      ops.push_back(&op);
    }
  }
  const size_t n = ops.size();
  std::vector<uint32_t> must_follow(n, 0);  // bit p set: ops[p] precedes ops[i]
  for (size_t i = 0; i < n; ++i) {
    for (size_t p = 0; p < n; ++p) {
      if (p != i && end_of(*ops[p]) < ops[i]->invoke_s) must_follow[i] |= 1u << p;
    }
  }
  std::set<std::pair<uint32_t, ValueId>> dead;
  std::function<bool(uint32_t, ValueId)> search = [&](uint32_t mask, ValueId cur) {
    if (mask == (1u << n) - 1) return true;
    if (dead.count({mask, cur}) != 0) return false;
    for (size_t i = 0; i < n; ++i) {
      if ((mask >> i) & 1u || (must_follow[i] & ~mask) != 0) continue;
      const OpRecord& op = *ops[i];
      if (op.kind == OpKind::write) {
        if (search(mask | (1u << i), op.value)) return true;
      } else if (op.outcome == Outcome::ok && op.value == cur) {
        if (search(mask | (1u << i), cur)) return true;
      }
    }
    dead.insert({mask, cur});
    return false;
  };
  return search(0, kInitialValue);
}

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
