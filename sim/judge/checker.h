// The semantics checker (PROTOCOLS.md §2): given a history of reads and writes on registers,
// decides whether it is safe, regular and atomic, and lists each violation with the
// operations involved. Writes are intervals [invoke, effective completion]; reads are
// [invoke, return]. Operations that never returned are liveness failures ("stuck").
#pragma once

#include <string>
#include <vector>

#include "sim/judge/trace.h"
#include "sim/model/types.h"

namespace bqsim {

struct Violation {
  Semantics semantics;     // the weakest semantics this violates (safe < regular < atomic)
  std::string kind;        // "stale-read", "forged-value", "future-read", "bottom-read",
                           // "not-linearizable", "stuck", "never-effective"
  OpId read = 0;           // the offending operation
  std::vector<OpId> involved;  // writes that justify the verdict (e.g. the latest completed)
  std::string detail;      // one human sentence
};

struct CheckReport {
  bool safe = true;
  bool regular = true;
  bool atomic = true;
  uint64_t stuck = 0;      // operations that never returned
  uint64_t never_effective = 0;  // writes that returned ok but never became effective
  std::vector<Violation> violations;  // every violation found, of every level, sorted by op
  // True when the promised semantics hold, no operation is stuck and every write that
  // returned became effective.
  bool passed(Semantics promised) const;
};

// REQUIRES: ops come from one run; values are unique per write (ValueId), kInitialValue is
// the value every register starts with, at ts (0,0). Each register (Key) is checked apart.
// max_violations bounds how many are listed (the flags stay exact).
CheckReport check_history(const std::vector<OpRecord>& ops, size_t max_violations = 1000);

}  // namespace bqsim
