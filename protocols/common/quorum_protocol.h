// The description of a protocol that RegisterServer and QuorumClient implement: everything but
// its name, summary and quorum families is shared, and its waiting mechanics and options follow
// from the families' traits (protocol.h), so a protocol folder holds only those (STYLE.md:
// variants that differ by a number are parameters, not copies).
#pragma once

#include <string>
#include <vector>

#include "sim/model/protocol.h"
#include "sim/model/quorum.h"

namespace bqsim {

// How a phase's wait for its quorum may end besides "the quorum answered" (PROTOCOLS.md §5).
// The default (all false) is the plain asynchronous wait of mr-* and sbq-*.
struct ClientMechanics {
  // Synchronous families: every phase also ends at options.timeout_s; the operation is then
  // `slow` and goes on with the replies it has.
  bool phase_timeout = false;
  // Fair-loss families: resend the phase's request to the servers that have not answered,
  // after retransmit_initial_s, then with back-off up to retransmit_cap_s, until the quorum
  // answered.
  bool retransmit = false;
  // Fair-loss families: honour options.buffers (FIRST/LAST over a per-client pool of B buffers).
  bool buffer_pool = false;
};

// What a family's traits ask of the client's waits.
ClientMechanics mechanics_for(const FamilyTraits& traits);

// REQUIRES: families non-empty, sharing their synchrony and channel needs, of distinct data
// kinds when more than one (the `data` option picks).
ProtocolDescription quorum_protocol(std::string name, std::string summary,
                                    std::vector<QuorumFamily> families);

}  // namespace bqsim
