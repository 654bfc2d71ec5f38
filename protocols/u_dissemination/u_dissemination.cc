// U-dissemination (PROTOCOLS.md §5, [paper]): Malkhi-Reiter dissemination quorums
// (self-verifying data, n >= 3f+1, quorums of ceil((n+f+1)/2)) for fair-loss networks. Every
// wait resends its request to the servers that have not answered, with back-off, until the
// quorum answered; writes are always acknowledged. Optional finite buffers per client
// (`buffers`). Regular.
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription u_dissemination_protocol() {
  return quorum_protocol(
      "u-dissemination",
      "Dissemination quorums for lossy networks: self-verifying data, quorums of "
      "ceil((n+f+1)/2), resends to silent servers with back-off, acknowledged writes, optional "
      "finite buffers (regular)",
      {QuorumFamily::u_dissemination});
}

}  // namespace bqsim
