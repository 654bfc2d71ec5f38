// Internals of the semantics checker shared by checker.cc (liveness, safe, regular, output)
// and checker_atomic.cc (linearizability). Not part of the core's interface.
#pragma once

#include <cstddef>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/judge/trace.h"
#include "sim/model/types.h"

namespace bqsim::checker_detail {

inline constexpr size_t kNone = std::numeric_limits<size_t>::max();
// Stands for the row of the initial value's virtual write, which has no OpRecord.
inline constexpr size_t kInitialRow = kNone - 1;

// Kinds in the alphabetical order of their names, so sorting by kind sorts by name.
enum class Kind : uint8_t {
  bottom_read,
  forged_value,
  future_read,
  never_effective,
  not_linearizable,
  stale_read,
  stuck
};
std::string_view kind_name(Kind k);

// A violation before its sentence is written: sentences are built only for listed ones, so
// a history with 10^6 violations costs no 10^6 strings. Fields are rows in the history
// (kNone: not applicable, kInitialRow: the initial value).
struct Found {
  OpId op = 0;
  Kind kind = Kind::stuck;
  Semantics semantics = Semantics::safe;
  size_t row = kNone;      // the offending operation
  size_t latest = kNone;   // the latest write completed before the read started
  size_t written = kNone;  // the write whose value the read returned
  // not-linearizable: the other write's cluster, its operation that finished before the read
  // started, its operation that started after `x_this` (of the read's cluster) finished.
  size_t partner = kNone;
  size_t x_other = kNone;
  size_t y_other = kNone;
  size_t x_this = kNone;
};

struct WriteIv {
  double invoke_s;
  // +infinity: never completed. A write that returned ok but never became effective (its
  // message lost on the way to a correct server of its quorum: only on unsafe networks) counts
  // as completed when it returned, so the reads after it are still judged (checker.cc).
  double eff_s;
  size_t row;    // kInitialRow for index 0
};

// The history of one register. writes[0] is the initial value, a virtual write completed at
// -infinity; reads are the rows of the reads to judge (stuck ones left out).
class KeyHistory {
 public:
  KeyHistory(const std::vector<OpRecord>& ops, const std::vector<size_t>& rows);

  Timestamp ts_of(size_t w) const;
  // Index of the write whose pair `read` returned, or kNone if no write produced it.
  size_t written_by(const OpRecord& read) const;
  // Whether write w overlaps a read [s, t] (ties overlap, see checker.cc).
  bool overlaps(size_t w, double s, double t) const;

  std::vector<WriteIv> writes;
  std::vector<size_t> reads;

 private:
  const std::vector<OpRecord>& ops_;
  std::unordered_map<ValueId, size_t> by_value_;
};

// Pass 3: linearizability of one register. cluster_of[i] is the write whose value reads[i]
// returned, or kNone for reads already reported (they are left out). Appends one
// "not-linearizable" Found per offending read it names; finds one iff the reads it was given
// cannot be linearized with the writes.
void check_atomic(const KeyHistory& h, const std::vector<OpRecord>& ops,
                  const std::vector<size_t>& cluster_of, std::vector<Found>& found);

}  // namespace bqsim::checker_detail
