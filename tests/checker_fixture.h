// Helpers shared by the semantics checker's tests (PROTOCOLS.md §2): operation records built by
// hand, so a test states a history as a list of rows.
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/judge/checker.h"

namespace bqsim::test {

// Client c's k-th write: value make_value(c, k), ts (k, c+1). Op ids are just the row numbers
// the tests give them.
inline ValueId val(uint32_t c, uint32_t k) { return make_value(c, k); }
inline Timestamp tsv(uint32_t c, uint64_t k) { return Timestamp{k, c + 1}; }

inline OpRecord write_op(OpId id, double invoke, double ret, double eff, ValueId v, Timestamp ts,
                         Key key = 0) {
  OpRecord r;
  r.op = id;
  r.key = key;
  r.kind = OpKind::write;
  r.invoke_s = invoke;
  r.return_s = ret;
  r.effective_s = eff;
  r.value = v;
  r.ts = ts;
  r.outcome = std::isnan(ret) ? Outcome::timeout : Outcome::ok;
  return r;
}

inline OpRecord read_op(OpId id, double invoke, double ret, ValueId v, Timestamp ts,
                        Key key = 0, Outcome outcome = Outcome::ok) {
  OpRecord r;
  r.op = id;
  r.key = key;
  r.kind = OpKind::read;
  r.invoke_s = invoke;
  r.return_s = ret;
  r.value = outcome == Outcome::ok ? v : kInitialValue;
  r.ts = outcome == Outcome::ok ? ts : Timestamp{};
  r.outcome = outcome;
  return r;
}

inline OpRecord bottom_read(OpId id, double invoke, double ret) {
  return read_op(id, invoke, ret, kInitialValue, {}, 0, Outcome::bottom);
}

}  // namespace bqsim::test
