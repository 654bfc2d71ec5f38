#include "sim/model/quorum.h"

#include "sim/model/check.h"
#include "sim/model/protocol.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace bqsim {
namespace {

int ceil_half(int x) { return (x + 1) / 2; }

bool is_masking(QuorumFamily family) { return family_traits(family).masking; }

}  // namespace

int min_servers(QuorumFamily family, int f, int t) {
  BQSIM_CHECK(f >= 0 && t >= 0 && t <= f, "0 <= t <= f");
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::u_masking: return 4 * f + 1;
    case QuorumFamily::mr_dissemination:
    case QuorumFamily::u_dissemination: return 3 * f + 1;
    case QuorumFamily::sbq_masking: return 3 * f + 1;
    case QuorumFamily::sbq_dissemination: return 2 * f + 1;
    case QuorumFamily::sync_generic: return 2 * f + 1 + t;
    case QuorumFamily::sync_self_verifying: return f + 1 + t;
  }
  return 0;
}

std::string fault_rule(QuorumFamily family) {
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::u_masking: return "n >= 4f+1";
    case QuorumFamily::mr_dissemination:
    case QuorumFamily::u_dissemination: return "n >= 3f+1";
    case QuorumFamily::sbq_masking: return "n >= 3f+1";
    case QuorumFamily::sbq_dissemination: return "n >= 2f+1";
    case QuorumFamily::sync_generic: return "n >= 2f+1+t";
    case QuorumFamily::sync_self_verifying: return "n >= f+1+t";
  }
  return "";
}

QuorumSizes quorum_sizes(QuorumFamily family, int n, int f, int t) {
  BQSIM_CHECK(n >= 1 && f >= 0 && t >= 0 && t <= f, "n >= 1 and 0 <= t <= f");
  QuorumSizes q;
  q.n = n;
  q.f = f;
  q.t = t;
  q.n_min = min_servers(family, f, t);
  q.vouch = is_masking(family) ? f + 1 : 1;
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::mr_dissemination:
    case QuorumFamily::u_masking:
    case QuorumFamily::u_dissemination: {
      // [MR] masking quorums ceil((n+2f+1)/2), dissemination quorums ceil((n+f+1)/2).
      const int quorum = is_masking(family) ? ceil_half(n + 2 * f + 1) : ceil_half(n + f + 1);
      q.read_replies = q.ts_replies = q.write_reach = q.write_acks = quorum;
      break;
    }
    case QuorumFamily::sbq_masking:
    case QuorumFamily::sbq_dissemination:
      // [paper] r = 2f+1 (generic) or f+1 (self-verifying), whatever n; writes go to all n
      // and wait for nothing. The timestamp phase waits for n - f replies (§4).
      q.read_replies = is_masking(family) ? 2 * f + 1 : f + 1;
      q.ts_replies = n - f;
      q.write_reach = n;
      q.write_acks = 0;
      break;
    case QuorumFamily::sync_generic:
    case QuorumFamily::sync_self_verifying:
      // [derived] self-timed: n - t replies, or every correct reply by the time-out.
      q.read_replies = q.ts_replies = q.write_acks = n - t;
      q.write_reach = n;
      break;
  }
  // Below the minimum (allow_unsafe) the formulas may ask for more replies than exist.
  q.read_replies = std::clamp(q.read_replies, 1, n);
  q.ts_replies = std::clamp(q.ts_replies, 1, n);
  q.write_acks = std::clamp(q.write_acks, 0, n);
  q.write_reach = std::clamp(q.write_reach, 1, n);
  if (n >= q.n_min) {
    const std::string broken = check_properties(family, q);
    if (!broken.empty()) {
      std::fprintf(stderr, "bqsim: quorum arithmetic broken (n=%d f=%d t=%d): %s\n", n, f, t,
                   broken.c_str());
      std::abort();
    }
  }
  return q;
}

std::string check_properties(QuorumFamily family, const QuorumSizes& q) {
  const int n = q.n, f = q.f, t = q.t;
  // Servers guaranteed to hold the latest completed write among the r repliers to a read.
  // ... and among the repliers of the timestamp phase.
  int overlap = 0, ts_overlap = 0;
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::mr_dissemination:
    case QuorumFamily::u_masking:
    case QuorumFamily::u_dissemination:
      if (q.read_replies > n - f) return "a quorum is larger than n - f: not live with f silent";
      overlap = q.read_replies + q.write_acks - n;
      ts_overlap = q.ts_replies + q.write_acks - n;
      break;
    case QuorumFamily::sbq_masking:
    case QuorumFamily::sbq_dissemination:
      if (q.read_replies > n - f) return "r is larger than n - f: not live with f silent";
      if (q.ts_replies > n - f) return "the timestamp phase waits for more than n - f";
      // Writes reach every correct server; a completed one has been applied by all of them.
      overlap = q.read_replies;
      ts_overlap = q.ts_replies;
      break;
    case QuorumFamily::sync_generic:
    case QuorumFamily::sync_self_verifying:
      // Writes reach every correct server within the bound. A self-timed read holds n - t
      // replies; a timed-out one holds every correct server's reply, which is at least as good.
      // Liveness needs no n - f bound: the time-out ends every wait.
      if (t > f) return "t exceeds f";
      overlap = q.read_replies;
      ts_overlap = q.ts_replies;
      break;
  }
  const bool masking = is_masking(family);
  const int needed = masking ? 2 * f + 1 : f + 1;
  if (overlap < needed) {
    return "a read meets the latest completed write in " + std::to_string(overlap) +
           " servers; " + std::to_string(needed) + " are needed";
  }
  // ts_choice "f+1-th" is allowed exactly on masking families (the scenario reader refuses it
  // on the others): f liars among the repliers can push the (f+1)-th largest counter up, never
  // below what f+1 correct holders of the latest write report.
  if (masking && ts_overlap < 2 * f + 1) {
    return "the timestamp phase meets the latest completed write in " +
           std::to_string(ts_overlap) + " servers; f+1-th needs " + std::to_string(2 * f + 1);
  }
  if (q.vouch != (masking ? f + 1 : 1)) return "wrong vouching threshold";
  return "";
}

}  // namespace bqsim
