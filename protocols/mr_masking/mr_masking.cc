// Malkhi-Reiter masking quorums (PROTOCOLS.md §3, [MR]): generic data, n >= 4f+1, every phase
// waits for a quorum of ceil((n+2f+1)/2) and writes wait for that many acknowledgements.
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription mr_masking_protocol() {
  return quorum_protocol("mr-masking",
                         "Malkhi-Reiter masking quorums: generic data, quorums of "
                         "ceil((n+2f+1)/2), acknowledged writes (safe)",
                         {QuorumFamily::mr_masking});
}

}  // namespace bqsim
