#include "sim/model/fault_info.h"

#include "sim/model/check.h"

namespace bqsim {
namespace {

OptionSpec pattern(const char* key, const char* help) {
  return OptionSpec(key, ValueType::node_pattern, "*", help);
}

OptionSpec probability(const char* key, const char* default_text, const char* help) {
  return OptionSpec(key, ValueType::number, default_text, help).range(0, 1);
}

}  // namespace

const std::vector<FaultInfo>& fault_kinds() {
  static const std::vector<FaultInfo> kFaults = {
      {FaultKind::partition, "partition",
       "splits the nodes into groups: messages between groups are dropped (mode drop) or held "
       "and delivered when it heals (mode hold, as a reliable transport would)",
       {OptionSpec("groups", ValueType::node_pattern_groups, "required",
                   "lists of node patterns, e.g. [[\"server:0-1\"], [\"server:2-4\", "
                   "\"client:*\"]]; the nodes in no group form one more group"),
        OptionSpec("mode", ValueType::string, "drop",
                   "what crosses groups: drop loses it; hold delivers it at until_s plus its "
                   "delay (never, if open-ended)")
            .among({"drop", "hold"})},
       true},
      {FaultKind::link_down, "link-down", "drops every message from one node pattern to another",
       {pattern("from", "senders"), pattern("to", "receivers")}, true},
      {FaultKind::loss, "loss", "loses each matching message with a probability",
       {pattern("from", "senders"), pattern("to", "receivers"),
        probability("probability", "required", "loss probability, 0 to 1")},
       true},
      {FaultKind::bursty_loss, "bursty-loss",
       "Gilbert-Elliott loss: each link has its own good/bad state, moved before each message, "
       "and its own random stream",
       {pattern("from", "senders"), pattern("to", "receivers"),
        probability("p_good_bad", "required", "probability of moving from good to bad"),
        probability("p_bad_good", "required", "probability of moving from bad to good"),
        probability("loss_good", "0", "loss probability in the good state"),
        probability("loss_bad", "1", "loss probability in the bad state")},
       true},
      {FaultKind::delay, "delay",
       "adds an extra delay, drawn per message from a distribution, on matching links (a slow "
       "link, a congested region)",
       {pattern("from", "senders"), pattern("to", "receivers"),
        OptionSpec("delay", ValueType::distribution, "required",
                   "the extra delay, an object as network.delay")},
       false},
      {FaultKind::duplicate, "duplicate",
       "delivers a matching message twice with a probability; the copy takes its own delay, "
       "drawn from the link's delay distribution",
       {pattern("from", "senders"), pattern("to", "receivers"),
        probability("probability", "required", "duplication probability, 0 to 1")},
       false},
  };
  return kFaults;
}

const FaultInfo& fault_info(FaultKind kind) {
  const auto& all = fault_kinds();
  const size_t i = static_cast<size_t>(kind);
  BQSIM_CHECK(i < all.size() && all[i].kind == kind, "fault_kinds() in FaultKind order");
  return all[i];
}

const FaultInfo* find_fault(std::string_view name) {
  for (const auto& f : fault_kinds()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool tolerates_loss(const ProtocolDescription& protocol) {
  // Every family of a protocol shares its channel need (protocols/common/quorum_protocol.cc).
  return family_traits(protocol.families.at(0)).channels == Channels::fair_loss;
}

}  // namespace bqsim
