// Nodes on the hosts of a SimGrid platform (network.platform_file, network.placement), without
// SimGrid: the engine reads the platform's hosts and route latencies (sim/engine/engine.h),
// this places the nodes and checks the result against the scenario, and the network model and
// every engine then use the same topology (scenario.h PlatformTopology).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/input/scenario.h"

namespace bqsim {

// A loaded platform: its hosts and the latency of the route between each pair.
struct PlatformRoutes {
  std::vector<std::string> hosts;  // REQUIRES: in natural_less order, unique
  std::vector<double> latency_s;   // hosts x hosts, row = source
};

// Host names in natural order: digit runs compare as numbers ("h2" < "h10"), the rest as text.
bool natural_less(std::string_view a, std::string_view b);

// Places every node and sets scenario.network.topology. Rules of network.placement: each node
// follows the last rule that selects it; a rule's nodes (in id order) go round robin over its
// hosts (so nodes share a host only where a rule says so). The other nodes get one host each,
// in id order, among the hosts no rule names. Throws InputError naming `file`: a host the
// platform lacks, more unplaced nodes than free hosts, or (sync) a route whose latency plus
// the largest delay exceeds bound_s.
void resolve_topology(Scenario& scenario, PlatformRoutes routes, const std::string& file);

}  // namespace bqsim
