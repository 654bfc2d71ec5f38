// stale (PROTOCOLS.md §6, "answers with an older pair it once held"): answers reads and
// timestamp queries with a pair the server held before, replayed with its signature, so it
// works on self-verifying data too. It never makes a pair up: it follows every write the
// correct server applies, also outside its window (Behaviour::observe_incoming).
//   which = oldest:       the initial pair, which every server held first;
//   which = k-th-newest:  the pair held k replacements before the current one (k = 1: the one
//                         before the current); the initial pair if the server held fewer.
// Fires stale_reply / stale_ts for each reply whose pair it changed.
#pragma once

#include <cstddef>

#include "adversaries/behaviour.h"
#include "adversaries/pair_history.h"
#include "sim/model/types.h"

namespace bqsim {

class Stale : public Behaviour {
 public:
  enum class Which { oldest, kth_newest };
  static constexpr size_t kDefaultK = 1;

  // REQUIRES: 1 <= k <= PairHistory::kMaxDepth (k is unused for oldest).
  Stale(double from_s, double until_s, Which which, size_t k, DataKind data);

  void observe_incoming(NodeId from, const Message& msg, double now_s) override;
  Effect rewrite_outgoing(Send& send, double now_s) override;

  // The pair it reports for `key` now.
  const Pair& replayed(Key key) const;

 private:
  Which which_;
  size_t k_;
  DataKind data_;
  PairHistory history_;
};

}  // namespace bqsim
