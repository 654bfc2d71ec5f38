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
  // Besides the window keys from_s (default 0) and until_s (default: never heals). Types are
  // those of read_declared (value_readers.h) plus two of the network's own:
  //   "node-pattern": a node pattern as network.links takes ("*", "server:*", "client:2",
  //                   "server:0-2");
  //   "node-pattern-groups": a non-empty list of non-empty lists of node patterns.
  // A default_text of "required" means the parameter must be given.
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
// §1: the u-protocols resend until acknowledged) or needs reliable ones. The one place this
// is decided, so a protocol trait can replace it here alone.
bool tolerates_loss(const ProtocolDescription& protocol);

}  // namespace bqsim
