#include "protocols/registry.h"

namespace bqsim {

const std::vector<ProtocolDescription>& protocol_registry() {
  // In the order `bqsim list` prints them.
  static const std::vector<ProtocolDescription> kProtocols = {
      mr_masking_protocol(),
      mr_dissemination_protocol(),
      sbq_masking_protocol(),
      sbq_dissemination_protocol(),
      sync_threshold_protocol(),
      u_masking_protocol(),
      u_dissemination_protocol(),
  };
  return kProtocols;
}

}  // namespace bqsim
