// The description of a protocol that RegisterServer and QuorumClient implement: everything but
// its name, summary, quorum family, accepted options and waiting mechanics is shared, so a
// protocol folder holds only those (STYLE.md: variants that differ by a number are parameters,
// not copies).
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "sim/model/protocol.h"
#include "sim/model/quorum.h"

namespace bqsim {

// How a phase's wait for its quorum may end besides "the quorum answered" (PROTOCOLS.md §5).
// The default (all false) is the plain asynchronous wait of mr-* and sbq-*.
struct ClientMechanics {
  // sync-threshold: every phase also ends at options.timeout_s; the operation is then `slow`
  // and goes on with the replies it has.
  bool phase_timeout = false;
  // u-protocols: resend the phase's request to the servers that have not answered, after
  // retransmit_initial_s, then with back-off up to retransmit_cap_s, until the quorum answered.
  bool retransmit = false;
  // u-protocols: honour options.buffers (FIRST/LAST over a per-client pool of B buffers).
  bool buffer_pool = false;
};

// Option keys, to be concatenated per protocol:
//   common: contact, contact_widen_s, ts_choice (PROTOCOLS.md §4);
//   signature: signature_bytes, sign_cpu_s, verify_cpu_s (self-verifying data, §1);
//   retransmit: retransmit_initial_s, retransmit_backoff, retransmit_cap_s, buffers (§5).
const std::vector<std::string>& common_option_keys();
const std::vector<std::string>& signature_option_keys();
const std::vector<std::string>& retransmit_option_keys();
std::vector<std::string> join_keys(std::initializer_list<std::vector<std::string>> lists);

ProtocolDescription quorum_protocol(std::string name, std::string summary, QuorumFamily family,
                                    std::vector<std::string> option_keys,
                                    ClientMechanics mechanics = {});
// For protocols whose family depends on an option (sync-threshold's `data`).
ProtocolDescription quorum_protocol(std::string name, std::string summary,
                                    std::function<QuorumFamily(const ProtocolOptions&)> family,
                                    std::vector<std::string> option_keys,
                                    ClientMechanics mechanics);

}  // namespace bqsim
