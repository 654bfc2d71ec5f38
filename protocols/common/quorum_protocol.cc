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

const std::vector<std::string>& signature_option_keys() {
  static const std::vector<std::string> kKeys = {"signature_bytes", "sign_cpu_s", "verify_cpu_s"};
  return kKeys;
}

const std::vector<std::string>& retransmit_option_keys() {
  static const std::vector<std::string> kKeys = {"retransmit_initial_s", "retransmit_backoff",
                                                 "retransmit_cap_s", "buffers"};
  return kKeys;
}

std::vector<std::string> join_keys(std::initializer_list<std::vector<std::string>> lists) {
  std::vector<std::string> keys;
  for (const auto& list : lists) keys.insert(keys.end(), list.begin(), list.end());
  return keys;
}

ProtocolDescription quorum_protocol(std::string name, std::string summary, QuorumFamily family,
                                    std::vector<std::string> option_keys,
                                    ClientMechanics mechanics) {
  return quorum_protocol(
      std::move(name), std::move(summary), [family](const ProtocolOptions&) { return family; },
      std::move(option_keys), mechanics);
}

ProtocolDescription quorum_protocol(std::string name, std::string summary,
                                    std::function<QuorumFamily(const ProtocolOptions&)> family,
                                    std::vector<std::string> option_keys,
                                    ClientMechanics mechanics) {
  ProtocolDescription d;
  d.name = std::move(name);
  d.summary = std::move(summary);
  d.option_keys = std::move(option_keys);
  d.family = std::move(family);
  d.make_server = [](const NodeContext& ctx) -> std::unique_ptr<ServerLogic> {
    return std::make_unique<RegisterServer>(ctx);
  };
  d.make_client = [mechanics](const NodeContext& ctx) -> std::unique_ptr<ClientLogic> {
    return std::make_unique<QuorumClient>(ctx, mechanics);
  };
  return d;
}

}  // namespace bqsim
