// A brute-force reference for the semantics checker (PROTOCOLS.md §2), straight from the
// definitions: safe and regular naively in O(R*W), linearizability by exhaustive search. Used by
// test_checker_random.cc and fuzz/fuzz_checker.cc. Small histories only (at most 31 operations
// for the search, and far fewer to be quick).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "sim/judge/trace.h"
#include "sim/model/types.h"

namespace bqsim::test {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// A write ends at its effective completion; one that returned ok but never became effective
// ends when it returned (its client saw it complete); one that never returned, never.
inline double end_of(const OpRecord& op) {
  if (op.kind == OpKind::read) return op.return_s;
  if (op.effective()) return op.effective_s;
  return op.returned() && op.outcome == Outcome::ok ? op.return_s : kInf;
}

// safe/regular straight from the definitions, O(R*W).
inline std::pair<bool, bool> naive_safe_regular(const std::vector<OpRecord>& h) {
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
inline bool brute_linearizable(const std::vector<OpRecord>& h) {
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

}  // namespace bqsim::test
