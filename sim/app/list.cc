// `bqsim list`: everything a scenario can name, with the numbers a user needs to pick n.
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/app/commands.h"
#include "sim/input/listing.h"
#include "sim/input/schema.h"
#include "sim/model/distribution.h"
#include "sim/model/fault_info.h"
#include "sim/model/messages.h"
#include "sim/model/quorum.h"

namespace bqsim::app {
namespace {

Catalog catalog() { return Catalog{&protocol_registry(), &behaviour_registry()}; }

}  // namespace

int cmd_schema() {
  std::printf("%s\n", scenario_schema(catalog()).dump(2).c_str());
  return 0;
}

int cmd_list(int f, bool json) {
  if (json) {
    // The same catalogue as the text listing, for scripts (the attack search, the batch runner
    // and the results database read it).
    std::printf("%s\n", catalog_listing(catalog(), f).dump(2).c_str());
    return 0;
  }
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
    for (const ProtocolOption* o : p.options()) {
      std::printf("  %-18s   %s = %s: %s\n", "", o->spec.key.c_str(),
                  o->spec.default_text.c_str(), option_help(p, *o).c_str());
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
