// U-masking (PROTOCOLS.md §5, [paper]): Malkhi-Reiter masking quorums (generic data, n >= 4f+1,
// quorums of ceil((n+2f+1)/2)) for fair-loss networks. Every wait resends its request to the
// servers that have not answered, with back-off, until the quorum answered; writes are always
// acknowledged, since the writer must know when it may stop resending. Optional finite buffers
// per client (`buffers`). Safe.
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription u_masking_protocol() {
  return quorum_protocol(
      "u-masking",
      "Masking quorums for lossy networks: generic data, quorums of ceil((n+2f+1)/2), resends to "
      "silent servers with back-off, acknowledged writes, optional finite buffers (safe)",
      {QuorumFamily::u_masking});
}

}  // namespace bqsim
