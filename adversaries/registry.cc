#include "adversaries/registry.h"

#include <utility>

#include "adversaries/byzantine_server.h"
#include "adversaries/coalition.h"
#include "sim/model/check.h"

namespace bqsim {

const std::vector<BehaviourEntry>& behaviour_entries() {
  // The one explicit list, in the order `bqsim list` prints it.
  static const std::vector<BehaviourEntry> kEntries = {
      silent_behaviour(), forge_behaviour(), crash_behaviour(), stale_behaviour(),
      equivocate_behaviour(), slow_behaviour(), omit_behaviour(), ts_inflate_behaviour(),
      bad_signature_behaviour(),
  };
  return kEntries;
}

std::vector<BehaviourInfo> infos_of(const std::vector<BehaviourEntry>& entries) {
  std::vector<BehaviourInfo> infos;
  for (const BehaviourEntry& e : entries) infos.push_back(e.info);
  return infos;
}

const std::vector<BehaviourInfo>& behaviour_registry() {
  static const std::vector<BehaviourInfo> kInfos = infos_of(behaviour_entries());
  return kInfos;
}

CoalitionSet::CoalitionSet() = default;
CoalitionSet::~CoalitionSet() = default;

Coalition& CoalitionSet::get(const std::string& name) {
  auto& slot = coalitions_[name];
  if (!slot) slot = std::make_unique<Coalition>(name);
  return *slot;
}

std::unique_ptr<Node> make_byzantine_server(std::unique_ptr<Node> correct,
                                            const std::vector<BehaviourSpec>& behaviours,
                                            const NodeContext& ctx, CoalitionSet& coalitions,
                                            const std::vector<BehaviourEntry>& entries) {
  BQSIM_CHECK(correct != nullptr && !behaviours.empty(), "a Byzantine server needs behaviours");
  std::vector<std::unique_ptr<Behaviour>> built;
  built.reserve(behaviours.size());
  for (const BehaviourSpec& spec : behaviours) {
    const BehaviourEntry* entry = nullptr;
    for (const BehaviourEntry& e : entries) {
      if (e.info.name == spec.kind) entry = &e;
    }
    // The scenario reader validated the names against the same entries.
    BQSIM_CHECK(entry != nullptr, "unknown behaviour kind");
    built.push_back(
        entry->make(BehaviourBuild{spec, ctx, coalitions, static_cast<uint32_t>(built.size())}));
  }
  return std::make_unique<ByzantineServer>(ctx.id, std::move(correct), std::move(built));
}

}  // namespace bqsim
