// The pairs a server has held, per register, newest last: what stale and equivocate replay
// (PROTOCOLS.md §6, "answers with an older pair it once held"). It follows the writes the
// correct server is handed (Behaviour::observe_incoming) with the server's own rule, so it
// holds exactly the pairs the server stored, signatures included: a replayed signed pair stays
// valid, and nothing it returns was made up.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/types.h"

namespace bqsim {

class PairHistory {
 public:
  // Deepest replay a scenario may ask for. Each register keeps depth + 1 pairs; the limit
  // keeps a typo (k = 1e9) from turning into memory use.
  static constexpr size_t kMaxDepth = 1000;

  // Keeps the current pair and the `depth` pairs before it. REQUIRES: depth <= kMaxDepth.
  explicit PairHistory(size_t depth);

  // A WriteRequest replaces the stored pair iff its ts is larger (§4, "Server"); other
  // messages change nothing.
  void observe(const Message& msg);
  // The pair held `k` replacements before the current one (0: the current pair). If the server
  // has held fewer, the oldest it held: the initial pair. REQUIRES: k <= depth.
  const Pair& back(Key key, size_t k) const;
  // How many pairs it keeps for `key` (the initial pair counts once held; 1 if never written).
  size_t held(Key key) const;
  size_t depth() const { return depth_; }
  // Registers 0..keys()-1 may have been written; every other one holds only the initial pair.
  size_t keys() const { return pairs_.size(); }

 private:
  size_t depth_;
  std::vector<std::deque<Pair>> pairs_;  // by key; empty: only the initial pair was held
};

}  // namespace bqsim
