// Small Byzantine Quorums, a-masking (PROTOCOLS.md §3, [paper]): generic data, n >= 3f+1;
// reads wait for 2f+1 replies whatever n, writes go to all n and wait for nothing.
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription sbq_masking_protocol() {
  return quorum_protocol("sbq-masking",
                         "Small Byzantine Quorums (a-masking): generic data, reads wait for "
                         "2f+1 replies, writes go to all n without acknowledgements (safe)",
                         {QuorumFamily::sbq_masking});
}

}  // namespace bqsim
