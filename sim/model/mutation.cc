#include "sim/model/mutation.h"

#include <algorithm>

namespace bqsim {

const std::vector<MutationInfo>& mutations() {
  static const std::vector<MutationInfo> kAll = {
      {Mutation::read_quorum_minus_one, "read-quorum-minus-one",
       "a read waits for r - 1 replies"},
      {Mutation::vouch_f, "vouch-f", "f identical replies vouch for a pair instead of f+1"},
      {Mutation::writer_reuses_counter, "writer-reuses-counter",
       "the writer forgets its own last counter, so it can choose a timestamp twice"},
      {Mutation::accept_bad_signature, "accept-bad-signature",
       "a read keeps pairs whose signature does not verify"},
      {Mutation::server_accepts_older, "server-accepts-older",
       "a server replaces its pair on every write, even one with an older timestamp"},
      {Mutation::sbq_write_partial, "sbq-write-partial",
       "an unacknowledged (SBQ) store is sent to n-f-1 servers, its write quorum"},
  };
  return kAll;
}

const MutationInfo* find_mutation(std::string_view name) {
  for (const auto& m : mutations()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string_view mutation_name(Mutation m) {
  for (const auto& info : mutations()) {
    if (info.mutation == m) return info.name;
  }
  return "none";
}

QuorumSizes mutate_quorum(Mutation m, QuorumSizes q) {
  if (m == Mutation::read_quorum_minus_one) q.read_replies = std::max(1, q.read_replies - 1);
  if (m == Mutation::vouch_f) q.vouch = std::max(1, q.f);
  return q;
}

}  // namespace bqsim
