// Exhaustive exploration (issue: "every interleaving of small configurations explored"): a
// depth-first search over the moves of an ExploreSystem, each distinct state expanded once
// (visited_set.h), the checker run at every terminal state (no pending event left: the
// history is complete). A terminal state whose history breaks the promised semantics, or
// leaves an operation unfinished (stuck: a liveness failure, since nothing can happen any
// more), is a counterexample; the search stops at the first one and returns its path.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/explore/system.h"

namespace bqsim {

struct ExploreResult {
  enum class Outcome {
    exhausted,       // the whole space explored, no counterexample: a proof for this config
    counterexample,  // `path` leads to a terminal state whose history fails
    limit            // max_states or max_depth stopped it first: NOT a proof
  };
  Outcome outcome = Outcome::exhausted;
  uint64_t explored = 0;   // successor states computed (moves executed)
  uint64_t distinct = 0;   // distinct states (the visited set)
  uint64_t terminal = 0;   // distinct terminal states judged
  uint32_t max_depth = 0;  // longest path
  double seconds = 0;
  size_t visited_bytes = 0;
  bool depth_cut = false;   // some state at max_depth had moves left unexplored
  bool states_cut = false;  // max_states reached
  std::vector<Move> path;   // counterexample: the moves from the initial state
  std::optional<CheckReport> report;  // counterexample: the checker's report
};

ExploreResult explore(const ExploreSystem& system);

}  // namespace bqsim
