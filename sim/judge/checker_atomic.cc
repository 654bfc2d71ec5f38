// Linearizability of one register with unique written values: the cluster/zone test of
// P. Gibbons and E. Korach, "Testing shared memories" (SIAM J. Computing, 1997), in the form
// used by Anderson et al., "What consistency does your key-value store actually provide?"
// (HotDep 2010).
//
// The cluster of write W is W with every read that returned W's value. Since values are
// unique, a linearization orders whole clusters: W first, then its reads, then the next
// cluster. Each cluster C has
//   f(C) = the earliest end of an operation of C (a write ends at effective completion),
//   s(C) = the latest start of an operation of C.
// If f(C) < s(C), some operation of C precedes another one of C (a "forward zone"
// (f, s)); otherwise all of C's operations share an instant (a "backward zone" [s, f]).
// An operation of C1 precedes one of C2 iff f(C1) < s(C2), and then C1 must come before C2
// in every linearization. So two clusters with f(C1) < s(C2) and f(C2) < s(C1) must each come
// first: not linearizable. Gibbons and Korach prove the converse, given that no read ends
// before its write starts (a "future-read", reported before this pass): if no such pair
// exists, ordering clusters by zone gives a linearization. "No pair" is their "no two forward
// zones overlap, and no backward zone lies inside a forward zone": for a backward C2,
// f(C1) < s(C2) <= f(C2) < s(C1) is exactly [s(C2), f(C2)] inside (f(C1), s(C1)).
//
// Detecting a pair in O(K log K) for K clusters: sort clusters by f; for cluster j the
// candidates are the prefix with f < s(j), and the best one is the candidate (other than j)
// with the largest s, kept as a running top-two over the prefix. A pair exists iff some j
// has s(best) > f(j).
//
// Naming: of a pair, the cluster whose latest start is later is blamed, and its read that
// started last is reported (e.g. in a new-old inversion, the second read, which returned the
// old value after the first had returned the new one). If j's best partner starts later, the
// partner has a pair of its own whose best starts later still; that chain ends at a cluster
// that is reported, so a history that is not linearizable always gets at least one
// "not-linearizable" entry. The blamed cluster is a forward zone, so its latest starter is a
// read (a write starting after a read of it ended would be a future-read).
#include <algorithm>
#include <limits>
#include <numeric>

#include "sim/judge/checker_internal.h"

namespace bqsim::checker_detail {

void check_atomic(const KeyHistory& h, const std::vector<OpRecord>& ops,
                  const std::vector<size_t>& cluster_of, std::vector<Found>& found) {
  const size_t k = h.writes.size();
  // f, s and the rows of the operations that set them (x ends first, y starts last).
  std::vector<double> f(k), s(k);
  std::vector<size_t> x(k), y(k);
  for (size_t c = 0; c < k; ++c) {
    f[c] = h.writes[c].eff_s;
    s[c] = h.writes[c].invoke_s;
    x[c] = y[c] = h.writes[c].row;
  }
  for (size_t i = 0; i < h.reads.size(); ++i) {
    const size_t c = cluster_of[i];
    if (c == kNone) continue;
    const OpRecord& rd = ops[h.reads[i]];
    const double start = rd.invoke_s, end = std::max(rd.return_s, start);
    if (end < f[c]) {
      f[c] = end;
      x[c] = h.reads[i];
    }
    // >=: on a tie with the write's start, name the read (reads are what gets blamed).
    if (start > s[c] || (start == s[c] && y[c] == h.writes[c].row)) {
      s[c] = start;
      y[c] = h.reads[i];
    }
  }

  std::vector<size_t> by_f(k);
  std::iota(by_f.begin(), by_f.end(), size_t{0});
  std::sort(by_f.begin(), by_f.end(),
            [&](size_t a, size_t b) { return f[a] != f[b] ? f[a] < f[b] : a < b; });
  std::vector<double> f_sorted(k);
  for (size_t p = 0; p < k; ++p) f_sorted[p] = f[by_f[p]];
  // top1[p], top2[p]: the two clusters with the largest s among by_f[0..p].
  std::vector<size_t> top1(k), top2(k, kNone);
  for (size_t p = 0; p < k; ++p) {
    const size_t c = by_f[p];
    size_t a = p == 0 ? kNone : top1[p - 1], b = p == 0 ? kNone : top2[p - 1];
    if (a == kNone || s[c] > s[a]) {
      b = a;
      a = c;
    } else if (b == kNone || s[c] > s[b]) {
      b = c;
    }
    top1[p] = a;
    top2[p] = b;
  }

  for (size_t j = 0; j < k; ++j) {
    const size_t prefix =
        static_cast<size_t>(std::lower_bound(f_sorted.begin(), f_sorted.end(), s[j]) -
                            f_sorted.begin());
    if (prefix == 0) continue;
    size_t c = top1[prefix - 1];
    if (c == j) c = top2[prefix - 1];
    if (c == kNone || !(s[c] > f[j])) continue;
    // Clusters j and c must each be linearized first. Blame the later starter.
    if (s[j] < s[c] || y[j] == kInitialRow) continue;
    Found v;
    v.op = ops[y[j]].op;
    v.kind = Kind::not_linearizable;
    v.semantics = Semantics::atomic;
    v.row = y[j];
    v.written = h.writes[j].row;
    v.partner = h.writes[c].row;
    v.x_other = x[c];
    v.y_other = y[c];
    v.x_this = x[j];
    found.push_back(v);
  }
}

}  // namespace bqsim::checker_detail
