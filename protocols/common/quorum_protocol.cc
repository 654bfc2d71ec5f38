#include "protocols/common/quorum_protocol.h"

#include <memory>
#include <utility>

#include "protocols/common/quorum_client.h"
#include "protocols/common/register_server.h"
#include "sim/model/check.h"

namespace bqsim {

ClientMechanics mechanics_for(const FamilyTraits& traits) {
  ClientMechanics m;
  m.phase_timeout = traits.synchrony == SynchronyNeed::sync;
  m.retransmit = m.buffer_pool = traits.channels == Channels::fair_loss;
  return m;
}

ProtocolDescription quorum_protocol(std::string name, std::string summary,
                                    std::vector<QuorumFamily> families) {
  BQSIM_CHECK(!families.empty(), "a protocol without a quorum family");
  const FamilyTraits first = family_traits(families[0]);
  for (QuorumFamily f : families) {
    const FamilyTraits t = family_traits(f);
    BQSIM_CHECK(t.synchrony == first.synchrony && t.channels == first.channels,
                "a protocol's families differ in what they need of the network");
    BQSIM_CHECK(f == families[0] || t.data != first.data,
                "a protocol's families must differ in data kind, which the data option picks");
  }
  ProtocolDescription d;
  d.name = std::move(name);
  d.summary = std::move(summary);
  d.families = std::move(families);
  d.make_server = [](const NodeContext& ctx) -> std::unique_ptr<ServerLogic> {
    return std::make_unique<RegisterServer>(ctx);
  };
  const ClientMechanics mechanics = mechanics_for(first);
  d.make_client = [mechanics](const NodeContext& ctx) -> std::unique_ptr<ClientLogic> {
    return std::make_unique<QuorumClient>(ctx, mechanics);
  };
  return d;
}

}  // namespace bqsim
