// Small Byzantine Quorums, a-dissemination (PROTOCOLS.md §3, [paper]): self-verifying data,
// n >= 2f+1; reads wait for f+1 replies whatever n and return the validly signed pair with the
// largest ts; writes go to all n and wait for nothing (regular).
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription sbq_dissemination_protocol() {
  return quorum_protocol("sbq-dissemination",
                         "Small Byzantine Quorums (a-dissemination): self-verifying data, reads "
                         "wait for f+1 replies, writes go to all n without acknowledgements "
                         "(regular)",
                         {QuorumFamily::sbq_dissemination});
}

}  // namespace bqsim
