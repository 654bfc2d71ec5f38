#include "sim/model/behaviour_info.h"

namespace bqsim {

const ProtocolDescription* Catalog::find_protocol(const std::string& name) const {
  if (protocols == nullptr) return nullptr;
  for (const auto& p : *protocols) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const BehaviourInfo* Catalog::find_behaviour(const std::string& name) const {
  if (behaviours == nullptr) return nullptr;
  for (const auto& b : *behaviours) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace bqsim
