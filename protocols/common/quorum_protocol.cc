#include "protocols/common/quorum_protocol.h"

#include <memory>
#include <utility>

#include "protocols/common/quorum_client.h"
#include "protocols/common/register_server.h"

namespace bqsim {

const std::vector<std::string>& common_option_keys() {
  static const std::vector<std::string> kKeys = {"contact", "contact_widen_s", "ts_choice"};
  return kKeys;
}

ProtocolDescription quorum_protocol(std::string name, std::string summary, QuorumFamily family,
                                    std::vector<std::string> option_keys) {
  ProtocolDescription d;
  d.name = std::move(name);
  d.summary = std::move(summary);
  d.option_keys = std::move(option_keys);
  d.family = [family](const ProtocolOptions&) { return family; };
  d.make_server = [](const NodeContext& ctx) -> std::unique_ptr<ServerLogic> {
    return std::make_unique<RegisterServer>(ctx);
  };
  d.make_client = [](const NodeContext& ctx) -> std::unique_ptr<ClientLogic> {
    return std::make_unique<QuorumClient>(ctx);
  };
  return d;
}

}  // namespace bqsim
