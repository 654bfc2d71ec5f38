#include "sim/input/listing.h"

#include <cmath>

#include "sim/model/distribution.h"
#include "sim/model/fault_info.h"
#include "sim/model/messages.h"
#include "sim/model/quorum.h"

namespace bqsim {
namespace {

// f+1-th is refused unless every family the protocol may run is masking.
bool max_only(const ProtocolDescription& protocol, const ProtocolOption& option) {
  if (option.spec.key != "ts_choice") return false;
  for (QuorumFamily f : protocol.families) {
    if (!family_traits(f).masking) return true;
  }
  return false;
}

}  // namespace

std::string option_help(const ProtocolDescription& protocol, const ProtocolOption& option) {
  if (max_only(protocol, option) && protocol.families.size() == 1) {
    return "timestamp phase: the largest verified counter (only max: f+1-th needs masking "
           "quorums)";
  }
  return option.spec.help;
}

std::vector<std::string> option_choices(const ProtocolDescription& protocol,
                                        const ProtocolOption& option) {
  if (max_only(protocol, option) && protocol.families.size() == 1) return {"max"};
  return option.spec.choices;
}

nlohmann::json declared_json(const OptionSpec& o) {
  nlohmann::json j = {{"key", o.key},
                      {"type", std::string(to_string(o.type))},
                      {"default", o.default_text},
                      {"help", o.help}};
  if (!o.choices.empty()) j["choices"] = o.choices;
  if (std::isfinite(o.min)) j["min"] = o.min;
  if (std::isfinite(o.max)) j["max"] = o.max;
  if (o.only_if) j["only_if"] = {{"key", o.only_if->key}, {"value", o.only_if->value}};
  return j;
}

nlohmann::json catalog_listing(const Catalog& catalog, int f) {
  nlohmann::json protocols = nlohmann::json::array();
  for (const ProtocolDescription& p : *catalog.protocols) {
    const QuorumFamily fam = p.family(ProtocolOptions{});
    const FamilyTraits traits = family_traits(fam);
    const QuorumSizes q = quorum_sizes(fam, min_servers(fam, f), f);
    nlohmann::json options = nlohmann::json::array();
    for (const ProtocolOption* o : p.options()) {
      nlohmann::json j = declared_json(o->spec);
      if (!o->spec.choices.empty()) j["choices"] = option_choices(p, *o);
      options.push_back(j);
    }
    protocols.push_back(
        {{"name", p.name},
         {"summary", p.summary},
         {"data", std::string(to_string(traits.data))},
         {"rule", fault_rule(fam)},
         {"promises", std::string(to_string(traits.promises))},
         {"requires_sync", traits.synchrony == SynchronyNeed::sync},
         {"for_lossy_networks", traits.channels == Channels::fair_loss},
         {"channels", traits.channels == Channels::fair_loss ? "fair-loss" : "reliable"},
         {"quorum",
          {{"f", f},
           {"n", q.n},
           {"read_replies", q.read_replies},
           {"ts_replies", q.ts_replies},
           {"write_reach", q.write_reach},
           {"write_acks", q.write_acks},
           {"vouch", q.vouch}}},
         {"options", options}});
  }
  nlohmann::json behaviours = nlohmann::json::array();
  for (const BehaviourInfo& b : *catalog.behaviours) {
    nlohmann::json params = nlohmann::json::array();
    for (const OptionSpec& o : b.params) params.push_back(declared_json(o));
    behaviours.push_back({{"name", b.name},
                          {"summary", b.summary},
                          {"generic_data_only", b.generic_data_only},
                          {"windowed", b.at_key.empty()},
                          {"params", params}});
  }
  // The same declarations the scenario reader checks faults against (fault_info.h).
  nlohmann::json faults = nlohmann::json::array();
  for (const FaultInfo& f : fault_kinds()) {
    nlohmann::json params = nlohmann::json::array();
    for (const OptionSpec& o : f.params) params.push_back(declared_json(o));
    faults.push_back({{"name", f.name},
                      {"summary", f.summary},
                      {"can_lose_messages", f.can_lose},
                      {"window", {"from_s", "until_s"}},
                      {"params", params}});
  }
  nlohmann::json messages = nlohmann::json::array();
  for (size_t i = 0; i < kMessageTypes; ++i) {
    const auto t = static_cast<MessageType>(i);
    messages.push_back({{"name", std::string(type_name(t))},
                        {"direction", is_request(t) ? "client->server" : "server->client"},
                        {"operation", std::string(to_string(operation_of(t)))}});
  }
  return {{"protocols", protocols},
          {"behaviours", behaviours},
          {"network_faults", faults},
          {"messages", messages},
          {"distributions", distribution_names()},
          {"network_models", {"latency", "bandwidth"}},
          {"synchrony", {"async", "sync", "partial"}}};
}

}  // namespace bqsim
