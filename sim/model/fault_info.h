// What the scenario reader, `bqsim list` and the schema know of a scheduled network fault
// (network.faults[]): one declaration per kind, with its parameters, in one table. The faults
// themselves are applied by the network model (sim/run/link_model.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/protocol.h"

namespace bqsim {

enum class FaultKind : uint8_t { partition, link_down, loss, bursty_loss, delay, duplicate };

struct FaultInfo {
  FaultKind kind;
  std::string name;                // as scenarios spell it: "partition", "link-down", ...
  std::string summary;             // one line
  // Besides the window keys from_s (default 0) and until_s (default: never heals), declared as
  // options.h's values (node_pattern and node_pattern_groups are the network's own types). A
  // default_text of "required" means the parameter must be given.
  std::vector<OptionSpec> params;
  // Whether it can lose a message (for the channel check): for a partition only in mode drop,
  // or in mode hold without until_s (it never delivers).
  bool can_lose = false;
};

// In FaultKind order.
const std::vector<FaultInfo>& fault_kinds();
const FaultInfo& fault_info(FaultKind kind);
const FaultInfo* find_fault(std::string_view name);

// Whether a protocol stays correct on channels that lose messages (fair loss, PROTOCOLS.md
// §1: the u-protocols resend until acknowledged) or needs reliable ones: its families'
// FamilyTraits::channels (protocol.h).
bool tolerates_loss(const ProtocolDescription& protocol);

}  // namespace bqsim
