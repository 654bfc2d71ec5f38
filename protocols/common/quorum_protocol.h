// The description of a protocol that RegisterServer and QuorumClient implement: everything but
// its name, summary, quorum family and accepted options is shared, so a protocol folder holds
// only those (STYLE.md: variants that differ by a number are parameters, not copies).
#pragma once

#include <string>
#include <vector>

#include "sim/core/protocol.h"
#include "sim/core/quorum.h"

namespace bqsim {

// The options every quorum protocol accepts (PROTOCOLS.md §4): contact, contact_widen_s,
// ts_choice.
const std::vector<std::string>& common_option_keys();

ProtocolDescription quorum_protocol(std::string name, std::string summary, QuorumFamily family,
                                    std::vector<std::string> option_keys);

}  // namespace bqsim
