// The semantics checker (PROTOCOLS.md §2). Each register is checked apart, in three passes
// over its history:
//  1. liveness: an operation that never returned, or gave up (outcome timeout), is "stuck";
//     a stuck read is not judged further, a stuck write still counts as a write that may
//     overlap anything from its invocation on (its effective time is +infinity). A write that
//     returned ok but never became effective is "never-effective" (its client was told it was
//     done, yet a correct server of its quorum never applied it: a lost message on a network
//     the protocol's channel assumption forbids). For judging reads it ends when it returned,
//     as its client saw it: an effective time of +infinity would make every later read
//     overlap it, and so never be judged at the safe level;
//  2. safe and regular, read by read, against the "latest" write completed before the read
//     started and the writes that overlap it (sweep over reads sorted by invocation);
//  3. atomic: the Gibbons-Korach cluster test on the reads that passed 2 (see
//     checker_atomic.cc); a read already reported gets no second verdict.
//
// Interval conventions. A write is [invoke, effective completion] (NaN: never completed, so
// +infinity); the initial value is a virtual write at -infinity. A read is [invoke, return].
// "A precedes B" means A ended strictly before B started. Operations at the same instant are
// ordered by the simulator but the trace does not say how, so ties count as overlapping: a
// write overlaps a read iff invoke_w <= return_r and eff_w >= invoke_r, and completed before
// it iff eff_w < invoke_r. The two sets are complementary among writes invoked by the time
// the read returned, so no write falls between them, and no verdict rests on a tie.
#include "sim/judge/checker.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "sim/judge/checker_internal.h"

namespace bqsim {
namespace checker_detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool is_stuck(const OpRecord& op) { return !op.returned() || op.outcome == Outcome::timeout; }

bool never_effective(const OpRecord& op) {
  return op.kind == OpKind::write && !is_stuck(op) && !op.effective();
}

}  // namespace

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::bottom_read: return "bottom-read";
    case Kind::forged_value: return "forged-value";
    case Kind::future_read: return "future-read";
    case Kind::never_effective: return "never-effective";
    case Kind::not_linearizable: return "not-linearizable";
    case Kind::stale_read: return "stale-read";
    case Kind::stuck: return "stuck";
  }
  return "?";
}

KeyHistory::KeyHistory(const std::vector<OpRecord>& ops, const std::vector<size_t>& rows)
    : ops_(ops) {
  writes.push_back(WriteIv{-kInf, -kInf, kInitialRow});
  for (size_t r : rows) {
    const OpRecord& op = ops[r];
    if (op.kind == OpKind::write) {
      // An effective time before the invocation is not a possible record; clamp it so that
      // every write satisfies invoke <= eff, which the overlap count below relies on.
      const double e = op.effective()     ? std::max(op.effective_s, op.invoke_s)
                       : never_effective(op) ? std::max(op.return_s, op.invoke_s)
                                             : kInf;
      writes.push_back(WriteIv{op.invoke_s, e, r});
    } else if (!is_stuck(op)) {
      reads.push_back(r);
    }
  }
  by_value_.reserve(writes.size());
  by_value_.emplace(kInitialValue, 0);
  for (size_t i = 1; i < writes.size(); ++i) by_value_.emplace(ops[writes[i].row].value, i);
}

Timestamp KeyHistory::ts_of(size_t w) const {
  return w == 0 ? Timestamp{} : ops_[writes[w].row].ts;
}

// A write that never returned has no known ts (it reports (0,0), which no real write uses
// since writer ids start at 1): its value alone identifies it. Otherwise value and ts must
// both match: a known value under another ts is a pair nobody wrote.
size_t KeyHistory::written_by(const OpRecord& read) const {
  if ((read.value & kForgedBit) != 0) return kNone;
  auto it = by_value_.find(read.value);
  if (it == by_value_.end()) return kNone;
  const size_t w = it->second;
  const Timestamp wts = ts_of(w);
  const bool ts_known = w == 0 || wts != Timestamp{};
  if (ts_known && wts != read.ts) return kNone;
  return w;
}

bool KeyHistory::overlaps(size_t w, double s, double t) const {
  return writes[w].invoke_s <= t && writes[w].eff_s >= s;
}

namespace {

// Pass 2 for one key. Fills cluster_of[i] (for reads[i]) with the write whose value the read
// returned when the read is regular, kNone otherwise.
void check_safe_regular(const KeyHistory& h, const std::vector<OpRecord>& ops,
                        std::vector<size_t>& cluster_of, std::vector<Found>& found) {
  const size_t nw = h.writes.size();
  std::vector<size_t> by_eff(nw);
  std::iota(by_eff.begin(), by_eff.end(), size_t{0});
  std::sort(by_eff.begin(), by_eff.end(), [&](size_t x, size_t y) {
    return h.writes[x].eff_s != h.writes[y].eff_s ? h.writes[x].eff_s < h.writes[y].eff_s : x < y;
  });
  std::vector<double> invokes(nw);
  for (size_t i = 0; i < nw; ++i) invokes[i] = h.writes[i].invoke_s;
  std::sort(invokes.begin(), invokes.end());

  std::vector<size_t> order(h.reads.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const double sx = ops[h.reads[x]].invoke_s, sy = ops[h.reads[y]].invoke_s;
    return sx != sy ? sx < sy : x < y;
  });
  cluster_of.assign(h.reads.size(), kNone);

  // Sweep over reads by invocation s. by_eff[0, done) are the writes completed before s
  // (done only grows). "Latest" (§2, real-time precedence first): drop every completed write
  // that precedes another completed one, i.e. keep those with eff >= max_invoke (the largest
  // invocation among completed writes), then take the largest ts. max_invoke and s only
  // grow, so the kept writes form a sliding window by_eff[first, done) and a monotonic deque
  // gives its largest ts: O(W + R) after sorting.
  std::deque<size_t> window;  // positions in by_eff, ts strictly decreasing front to back
  size_t done = 0, first = 0;
  double max_invoke = -kInf;
  for (size_t i : order) {
    const size_t row = h.reads[i];
    const OpRecord& rd = ops[row];
    const double s = rd.invoke_s, t = std::max(rd.return_s, s);
    while (done < nw && h.writes[by_eff[done]].eff_s < s) {
      const size_t w = by_eff[done];
      max_invoke = std::max(max_invoke, h.writes[w].invoke_s);
      while (!window.empty() && h.ts_of(by_eff[window.back()]) <= h.ts_of(w)) window.pop_back();
      window.push_back(done++);
    }
    while (first < done && h.writes[by_eff[first]].eff_s < max_invoke) {
      if (!window.empty() && window.front() == first) window.pop_front();
      ++first;
    }
    // The write invoked at max_invoke is never dropped (eff >= invoke), and whatever evicted
    // it from the deque completed later, so the window is never empty.
    const size_t latest = by_eff[window.front()];
    // Every completed write was invoked before s <= t, so the writes invoked by t that did
    // not complete before s are exactly the overlapping ones.
    const size_t invoked_by_t =
        static_cast<size_t>(std::upper_bound(invokes.begin(), invokes.end(), t) - invokes.begin());
    const bool overlapped = invoked_by_t > done;
    const Semantics level = overlapped ? Semantics::regular : Semantics::safe;
    const size_t latest_row = h.writes[latest].row;

    if (rd.outcome == Outcome::bottom) {
      found.push_back(Found{rd.op, Kind::bottom_read, level, row, latest_row});
      continue;
    }
    const size_t w = h.written_by(rd);
    if (w == latest || (w != kNone && overlapped && h.overlaps(w, s, t))) {
      cluster_of[i] = w;
      continue;
    }
    const size_t w_row = w == kNone ? kNone : h.writes[w].row;
    Kind kind = Kind::stale_read;
    if (w == kNone) {
      kind = Kind::forged_value;
    } else if (h.writes[w].invoke_s > t) {
      kind = Kind::future_read;
    }
    found.push_back(Found{rd.op, kind, level, row, latest_row, w_row});
  }
}

std::string fmt_time(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g s", t);
  return buf;
}

std::string fmt_value(ValueId v, Timestamp ts) {
  // The same labels as ops.csv, so a violation can be found in the trace by its text.
  return "value " + value_label(v) + " (ts " + to_string(ts) + ")";
}

std::string fmt_write(const std::vector<OpRecord>& ops, size_t row) {
  if (row == kInitialRow) return "the initial write";
  const OpRecord& w = ops[row];
  return "write " + std::to_string(w.op) + " of " + fmt_value(w.value, w.ts);
}

// "write 7" or "the initial write": a stale read may return the initial value, whose virtual
// write has no row in the history.
std::string fmt_writer(const std::vector<OpRecord>& ops, size_t row) {
  return row == kInitialRow ? std::string("the initial write")
                            : "write " + std::to_string(ops[row].op);
}

std::string fmt_op(const std::vector<OpRecord>& ops, size_t row) {
  return row == kInitialRow ? std::string("initial-write") : std::to_string(ops[row].op);
}
double start_of(const std::vector<OpRecord>& ops, size_t row) {
  return row == kInitialRow ? -kInf : ops[row].invoke_s;
}
// A write ends at its effective completion (+infinity if never), a read when it returned.
double end_of(const std::vector<OpRecord>& ops, size_t row) {
  if (row == kInitialRow) return -kInf;
  const OpRecord& op = ops[row];
  if (op.kind == OpKind::read) return op.return_s;
  if (op.effective()) return op.effective_s;
  return never_effective(op) ? op.return_s : kInf;
}

std::string sentence(const std::vector<OpRecord>& ops, const Found& f) {
  const OpRecord& op = ops[f.row];
  const std::string got = "read returned " + fmt_value(op.value, op.ts);
  const auto rule = [&] {
    return f.semantics == Semantics::safe
               ? "; it overlaps no write, so it must return " + fmt_write(ops, f.latest) +
                     ", the latest completed before it"
               : "; it may only return " + fmt_write(ops, f.latest) +
                     " (the latest completed before it) or an overlapping write";
  };
  switch (f.kind) {
    case Kind::stuck:
      return std::string(to_string(op.kind)) + " invoked at " + fmt_time(op.invoke_s) +
             (op.returned() ? " gave up at " + fmt_time(op.return_s) : " never returned");
    case Kind::bottom_read:
      return "read returned bottom" + rule();
    case Kind::never_effective:
      return "write of " + fmt_value(op.value, op.ts) + " returned at " + fmt_time(op.return_s) +
             " but a correct server of its quorum never applied it; later reads are judged as "
             "if it completed when it returned";
    case Kind::forged_value:
      return got + ", which no write on register " + std::to_string(op.key) + " produced" +
             rule();
    case Kind::future_read:
      // Never the initial write: it was "invoked" at -infinity, before every read.
      return got + ", but " + fmt_writer(ops, f.written) + " of it was invoked at " +
             fmt_time(start_of(ops, f.written)) + ", after the read returned at " +
             fmt_time(op.return_s);
    case Kind::stale_read:
      return got + ", written by " + fmt_writer(ops, f.written) + rule();
    case Kind::not_linearizable:
      return got + " (started " + fmt_time(op.invoke_s) + "), which cannot be ordered against " +
             fmt_write(ops, f.partner) + ": operation " + fmt_op(ops, f.x_other) +
             " of that value finished at " + fmt_time(end_of(ops, f.x_other)) +
             ", before this read started, so that value must come first; yet operation " +
             fmt_op(ops, f.y_other) + " of that value started at " +
             fmt_time(start_of(ops, f.y_other)) + ", after operation " + fmt_op(ops, f.x_this) +
             " of this read's value finished at " + fmt_time(end_of(ops, f.x_this)) +
             ", so this read's value must come first";
  }
  return "";
}

}  // namespace
}  // namespace checker_detail

bool CheckReport::passed(Semantics promised) const {
  if (stuck != 0 || never_effective != 0) return false;
  switch (promised) {
    case Semantics::safe: return safe;
    case Semantics::regular: return regular;
    case Semantics::atomic: return atomic;
  }
  return false;
}

CheckReport check_history(const std::vector<OpRecord>& ops, size_t max_violations) {
  using namespace checker_detail;
  CheckReport report;
  std::vector<Found> found;

  // Group operations by register, in row order within each; keys in increasing order so
  // nothing depends on hashing.
  std::vector<size_t> rows(ops.size());
  std::iota(rows.begin(), rows.end(), size_t{0});
  std::stable_sort(rows.begin(), rows.end(),
                   [&](size_t x, size_t y) { return ops[x].key < ops[y].key; });

  for (size_t r : rows) {
    if (is_stuck(ops[r])) {
      ++report.stuck;
      // Liveness, not a safety level: listed with the weakest level because a stuck
      // operation fails every promise (passed()), but it leaves the three flags alone.
      found.push_back(Found{ops[r].op, Kind::stuck, Semantics::safe, r});
    } else if (never_effective(ops[r])) {
      // Like stuck, a completion failure: it fails every promise but leaves the three flags
      // to the reads, which are judged against it.
      ++report.never_effective;
      found.push_back(Found{ops[r].op, Kind::never_effective, Semantics::safe, r});
    }
  }

  std::vector<size_t> key_rows;
  std::vector<size_t> cluster_of;
  for (size_t begin = 0; begin < rows.size();) {
    size_t end = begin;
    key_rows.clear();
    while (end < rows.size() && ops[rows[end]].key == ops[rows[begin]].key) {
      key_rows.push_back(rows[end++]);
    }
    const KeyHistory h(ops, key_rows);
    check_safe_regular(h, ops, cluster_of, found);
    check_atomic(h, ops, cluster_of, found);
    begin = end;
  }

  for (const Found& f : found) {
    if (f.kind == Kind::stuck || f.kind == Kind::never_effective) continue;
    if (f.semantics == Semantics::safe) report.safe = false;
    if (f.semantics <= Semantics::regular) report.regular = false;
    report.atomic = false;
  }

  std::sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
    return x.op != y.op ? x.op < y.op : x.kind < y.kind;
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Found& x, const Found& y) {
                            return x.op == y.op && x.kind == y.kind;
                          }),
              found.end());
  const size_t listed = std::min(found.size(), max_violations);
  report.violations.reserve(listed);
  for (size_t i = 0; i < listed; ++i) {
    const Found& f = found[i];
    Violation v;
    v.semantics = f.semantics;
    v.kind = std::string(kind_name(f.kind));
    v.read = f.op;
    for (size_t w : {f.latest, f.written, f.partner}) {
      if (w != kNone && w != kInitialRow) v.involved.push_back(ops[w].op);
    }
    v.detail = sentence(ops, f);
    report.violations.push_back(std::move(v));
  }
  return report;
}

}  // namespace bqsim
