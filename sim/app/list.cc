// `bqsim list`: everything a scenario can name, with the numbers a user needs to pick n.
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/app/commands.h"
#include "sim/model/distribution.h"
#include "sim/model/fault_info.h"
#include "sim/model/messages.h"
#include "sim/model/quorum.h"

namespace bqsim::app {
namespace {

nlohmann::json option_json(const OptionSpec& o) {
  nlohmann::json j = {{"key", o.key}, {"type", o.type}, {"default", o.default_text},
                      {"help", o.help}};
  if (!o.choices.empty()) j["choices"] = o.choices;
  if (std::isfinite(o.min)) j["min"] = o.min;
  if (std::isfinite(o.max)) j["max"] = o.max;
  return j;
}

nlohmann::json messages_json() {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < kMessageTypes; ++i) {
    const auto t = static_cast<MessageType>(i);
    out.push_back({{"name", std::string(type_name(t))},
                   {"direction", is_request(t) ? "client->server" : "server->client"},
                   {"operation", std::string(to_string(operation_of(t)))}});
  }
  return out;
}

// The same catalogue as the text listing, for scripts (the attack search, the batch runner
// and the results database read it).
int list_json(int f) {
  nlohmann::json protocols = nlohmann::json::array();
  for (const auto& p : protocol_registry()) {
    const QuorumFamily fam = p.family(ProtocolOptions{});
    const QuorumSizes q = quorum_sizes(fam, min_servers(fam, f), f);
    nlohmann::json options = nlohmann::json::array();
    for (const auto& key : p.option_keys) {
      const OptionSpec* o = find_option(key);
      if (o == nullptr) continue;
      nlohmann::json j = option_json(*o);
      if (key == "ts_choice" && data_kind(fam) == DataKind::self_verifying) j["choices"] = {"max"};
      options.push_back(j);
    }
    protocols.push_back({{"name", p.name},
                         {"summary", p.summary},
                         {"data", std::string(to_string(data_kind(fam)))},
                         {"rule", fault_rule(fam)},
                         {"promises", std::string(to_string(promised_semantics(fam)))},
                         {"requires_sync", p.requires_sync},
                         {"for_lossy_networks", p.needs_acks_to_stop},
                         {"quorum", {{"f", f},
                                     {"n", q.n},
                                     {"read_replies", q.read_replies},
                                     {"ts_replies", q.ts_replies},
                                     {"write_reach", q.write_reach},
                                     {"write_acks", q.write_acks},
                                     {"vouch", q.vouch}}},
                         {"options", options}});
  }
  nlohmann::json behaviours = nlohmann::json::array();
  for (const auto& b : behaviour_registry()) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& o : b.params) params.push_back(option_json(o));
    behaviours.push_back({{"name", b.name},
                          {"summary", b.summary},
                          {"generic_data_only", b.generic_data_only},
                          {"params", params}});
  }
  // The same declarations the scenario reader checks faults against (fault_info.h).
  nlohmann::json faults = nlohmann::json::array();
  for (const auto& f : fault_kinds()) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& o : f.params) params.push_back(option_json(o));
    faults.push_back({{"name", f.name},
                      {"summary", f.summary},
                      {"can_lose_messages", f.can_lose},
                      {"window", {"from_s", "until_s"}},
                      {"params", params}});
  }
  const nlohmann::json out = {{"protocols", protocols},
                              {"behaviours", behaviours},
                              {"network_faults", faults},
                              {"messages", messages_json()},
                              {"distributions", distribution_names()},
                              {"network_models", {"latency", "bandwidth"}},
                              {"synchrony", {"async", "sync", "partial"}}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace

int cmd_list(int f, bool json) {
  if (json) return list_json(f);
  std::printf("Protocols (quorum sizes for f=%d at the minimum n):\n", f);
  std::printf("  %-18s %-15s %-12s %-9s %4s %5s %6s %6s %5s %6s\n", "name", "data", "rule",
              "promises", "n", "read", "ts", "write", "acks", "vouch");
  for (const auto& p : protocol_registry()) {
    const QuorumFamily fam = p.family(ProtocolOptions{});
    const QuorumSizes q = quorum_sizes(fam, min_servers(fam, f), f);
    std::printf("  %-18s %-15s %-12s %-9s %4d %5d %6d %6d %5d %6d\n", p.name.c_str(),
                std::string(to_string(data_kind(fam))).c_str(), fault_rule(fam).c_str(),
                std::string(to_string(promised_semantics(fam))).c_str(), q.n, q.read_replies,
                q.ts_replies, q.write_reach, q.write_acks, q.vouch);
    std::printf("  %-18s %s\n", "", p.summary.c_str());
    for (const auto& key : p.option_keys) {
      const OptionSpec* o = find_option(key);
      if (o == nullptr) continue;
      // The reader accepts only "max" on self-verifying data (f+1-th needs masking quorums).
      const bool max_only = key == "ts_choice" && data_kind(fam) == DataKind::self_verifying;
      std::printf("  %-18s   %s = %s: %s\n", "", o->key.c_str(), o->default_text.c_str(),
                  max_only ? "timestamp phase: the largest verified counter (only max: f+1-th "
                             "needs masking quorums)"
                           : o->help.c_str());
    }
  }
  std::printf("\nAdversary behaviours (byzantine[].behaviours[].kind; all but crash take from_s, until_s):\n");
  for (const auto& b : behaviour_registry()) {
    std::printf("  %-12s %s%s\n", b.name.c_str(), b.summary.c_str(),
                b.generic_data_only ? " (generic data only)" : "");
    for (const auto& o : b.params) {
      std::printf("  %-12s   %s = %s: %s\n", "", o.key.c_str(), o.default_text.c_str(),
                  o.help.c_str());
    }
  }
  std::printf("\nNetwork faults (network.faults[].kind; each takes from_s, default 0, and "
              "until_s, default never; none counts against f):\n");
  for (const auto& f : fault_kinds()) {
    std::printf("  %-12s %s\n", f.name.c_str(), f.summary.c_str());
    for (const auto& o : f.params) {
      std::printf("  %-12s   %s = %s: %s\n", "", o.key.c_str(), o.default_text.c_str(),
                  o.help.c_str());
    }
  }
  std::printf("\nDelay distributions ({\"dist\": NAME, ...}):\n");
  for (int k = 0; k <= static_cast<int>(DistKind::pareto); ++k) {
    std::printf("  %s\n", distribution_help(static_cast<DistKind>(k)).c_str());
  }
  std::printf("\nNetwork models (network.model):\n");
  std::printf("  latency      per-message delay from the distribution; no bandwidth sharing (default, fast)\n");
  std::printf("  bandwidth    SimGrid flow model: size / bandwidth_Bps with sharing, plus the delay\n");
  std::printf("  (platform_file: either model on a SimGrid platform; the latency model adds each\n"
              "   route's latency, and the delay then defaults to 0; network.placement places nodes)\n");
  std::printf("\nSynchrony (network.synchrony):\n");
  std::printf("  async        reliable asynchronous: no bound on delay (default)\n");
  std::printf("  sync         every delay <= bound_s; the distribution must be bounded by it\n");
  std::printf("  partial      asynchronous until gst_s (delays from pre_gst_delay, or held until gst_s\n"
              "               on pre_gst_hold links), then delivered within bound_s\n");
  return 0;
}

}  // namespace bqsim::app
