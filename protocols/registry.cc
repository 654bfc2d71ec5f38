#include "protocols/registry.h"

namespace bqsim {

const std::vector<ProtocolDescription>& protocol_registry() {
  // In the order `bqsim list` prints them.
  static const std::vector<ProtocolDescription> kProtocols = {
      mr_masking_protocol(),
      sbq_masking_protocol(),
  };
  return kProtocols;
}

}  // namespace bqsim
