// The self-timed synchronous threshold protocol (PROTOCOLS.md §5, [paper], details [derived]).
// On a reliable synchronous network every phase (timestamp, store, read) waits for n - t replies
// or the time-out T, whichever comes first; a phase that ended at T marks the operation slow and
// goes on with the replies it has. With at most t silent servers no operation is slow; with
// t + 1, every read takes T and every write 2T. Data is generic (n >= 2f+1+t, safe) or
// self-verifying (n >= f+1+t, regular), chosen by the `data` option. Requests always go to all n
// servers (no `contact` option): after T the client relies on holding every correct reply.
#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"

namespace bqsim {

ProtocolDescription sync_threshold_protocol() {
  return quorum_protocol(
      "sync-threshold",
      "Self-timed synchronous quorums: every phase waits for n-t replies or the time-out T; "
      "data generic (n >= 2f+1+t, safe) or self-verifying (n >= f+1+t, regular)",
      {QuorumFamily::sync_generic, QuorumFamily::sync_self_verifying});
}

}  // namespace bqsim
