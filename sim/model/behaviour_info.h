// What the scenario reader and `bqsim list` know of an adversary behaviour. The behaviours
// themselves live in adversaries/ and register one BehaviourInfo each.
#pragma once

#include <string>
#include <vector>

#include "sim/model/protocol.h"

namespace bqsim {

struct BehaviourInfo {
  std::string name;                // as scenarios spell it: "silent", "forge", ...
  std::string summary;             // one line
  std::vector<OptionSpec> params;  // besides the window keys from_s / until_s
  bool generic_data_only = false;  // forge: self-verifying data cannot be forged
};

// Everything the reader validates names against.
struct Catalog {
  const std::vector<ProtocolDescription>* protocols = nullptr;
  const std::vector<BehaviourInfo>* behaviours = nullptr;
  const ProtocolDescription* find_protocol(const std::string& name) const;
  const BehaviourInfo* find_behaviour(const std::string& name) const;
};

}  // namespace bqsim
