// Malkhi-Reiter dissemination quorums (PROTOCOLS.md §3, [MR]): self-verifying data, n >= 3f+1,
// every phase waits for a quorum of ceil((n+f+1)/2) and writes wait for that many
// acknowledgements; a read returns the validly signed pair with the largest ts (regular).
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription mr_dissemination_protocol() {
  return quorum_protocol("mr-dissemination",
                         "Malkhi-Reiter dissemination quorums: self-verifying data, quorums of "
                         "ceil((n+f+1)/2), acknowledged writes (regular)",
                         {QuorumFamily::mr_dissemination});
}

}  // namespace bqsim
