#include "adversaries/registry.h"

#include <functional>
#include <string>
#include <utility>

#include "adversaries/byzantine_server.h"
#include "adversaries/coalition.h"
#include "adversaries/forge.h"
#include "adversaries/silent.h"
#include "sim/core/check.h"

namespace bqsim {
namespace {

using MakeBehaviour = std::function<std::unique_ptr<Behaviour>(
    const BehaviourSpec&, const NodeContext&, CoalitionSet&)>;

// One entry per behaviour: what the reader and `bqsim list` know of it, and how it is built.
// Adding a behaviour: its files in adversaries/ and one entry here.
struct Entry {
  BehaviourInfo info;
  MakeBehaviour make;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"silent", "never answers: drops every message it receives in its window (crash)", {},
        false},
       [](const BehaviourSpec& spec, const NodeContext&, CoalitionSet&) {
         return std::make_unique<Silent>(spec.from_s, spec.until_s);
       }},
      {{"forge",
        "answers reads with a made-up pair agreed with its coalition, by default with a huge ts",
        {
            {"coalition", "string", "default",
             "colluders naming the same coalition report one agreed pair", {}},
            // 2^62: far above any counter a run reaches, still below 2^64 for wrap tests.
            {"ts_counter", "integer", "4611686018427387904",
             "counter of the forged timestamp (the writer id is 0xffffffff)", {}, 0.0},
            {"value", "integer", "",
             "forged value; default: one with the forged bit set, derived from the coalition",
             {}, 0.0},
            {"answer_ts_queries", "boolean", "false",
             "also report the forged timestamp in timestamp phases (inflation, §6)", {}},
        },
        true},
       [](const BehaviourSpec& spec, const NodeContext& ctx, CoalitionSet& coalitions) {
         // The reader rejects forge on self-verifying data: a pair without the writer's
         // signature cannot be forged (§1).
         BQSIM_CHECK(ctx.data == DataKind::generic, "forge on self-verifying data");
         return std::make_unique<Forge>(spec, coalitions.get(spec.coalition));
       }},
  };
  return kEntries;
}

}  // namespace

const std::vector<BehaviourInfo>& behaviour_registry() {
  static const std::vector<BehaviourInfo> kInfos = [] {
    std::vector<BehaviourInfo> infos;
    for (const Entry& e : entries()) infos.push_back(e.info);
    return infos;
  }();
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
                                            const NodeContext& ctx, CoalitionSet& coalitions) {
  BQSIM_CHECK(correct != nullptr && !behaviours.empty(), "a Byzantine server needs behaviours");
  std::vector<std::unique_ptr<Behaviour>> built;
  built.reserve(behaviours.size());
  for (const BehaviourSpec& spec : behaviours) {
    const Entry* entry = nullptr;
    for (const Entry& e : entries()) {
      if (e.info.name == spec.kind) entry = &e;
    }
    // The scenario reader validated the names against behaviour_registry().
    BQSIM_CHECK(entry != nullptr, "unknown behaviour kind");
    built.push_back(entry->make(spec, ctx, coalitions));
  }
  return std::make_unique<ByzantineServer>(ctx.id, std::move(correct), std::move(built));
}

}  // namespace bqsim
