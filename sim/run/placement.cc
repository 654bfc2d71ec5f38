#include "sim/run/placement.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "sim/input/json_reader.h"
#include "sim/model/check.h"

namespace bqsim {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string node_name(size_t node, int n) {
  return static_cast<int>(node) < n ? "server:" + std::to_string(node)
                                    : "client:" + std::to_string(node - static_cast<size_t>(n));
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      // Compare the runs as numbers: without leading zeros, the longer is larger.
      size_t i0 = i, j0 = j;
      while (i0 + 1 < ie && a[i0] == '0') ++i0;
      while (j0 + 1 < je && b[j0] == '0') ++j0;
      const std::string_view x = a.substr(i0, ie - i0), y = b.substr(j0, je - j0);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;  // equal as numbers ("h01" and "h1"): any fixed order
}

void resolve_topology(Scenario& sc, PlatformRoutes routes, const std::string& file) {
  const NetworkSpec& net = sc.network;
  const size_t h = routes.hosts.size();
  BQSIM_CHECK(routes.latency_s.size() == h * h, "a latency per pair of hosts");
  const int n = sc.protocol.n;
  const size_t nodes = static_cast<size_t>(n) + sc.workload.clients;
  auto topo = std::make_shared<PlatformTopology>();
  topo->hosts = std::move(routes.hosts);
  topo->latency_s = std::move(routes.latency_s);
  topo->host_of.assign(nodes, 0);

  const auto host_index = [&](const std::string& name) -> size_t {
    const auto it = std::lower_bound(topo->hosts.begin(), topo->hosts.end(), name,
                                     [](const std::string& x, const std::string& y) {
                                       return natural_less(x, y);
                                     });
    return it != topo->hosts.end() && *it == name ? static_cast<size_t>(it - topo->hosts.begin())
                                                  : h;
  };
  // Each rule's hosts as indices; the hosts a rule names are not handed to unplaced nodes.
  std::vector<std::vector<uint32_t>> rule_hosts;
  std::vector<bool> taken(h, false);
  for (const PlacementRule& rule : net.placement) {
    std::vector<uint32_t> ids;
    if (rule.hosts.empty()) {
      for (size_t i = 0; i < h; ++i) ids.push_back(static_cast<uint32_t>(i));
    }
    for (size_t k = 0; k < rule.hosts.size(); ++k) {
      const size_t i = host_index(rule.hosts[k]);
      if (i == h) {
        throw InputError(file, pointer_append(pointer_append(rule.pointer, "hosts"), k),
                         "a host of the platform file" + suggestion(rule.hosts[k], topo->hosts),
                         quote(rule.hosts[k]));
      }
      ids.push_back(static_cast<uint32_t>(i));
    }
    for (uint32_t i : ids) taken[i] = true;
    rule_hosts.push_back(std::move(ids));
  }
  // Each node follows the last rule that selects it.
  std::vector<size_t> next(net.placement.size(), 0);
  std::vector<size_t> unplaced;
  for (size_t node = 0; node < nodes; ++node) {
    size_t rule = net.placement.size();
    for (size_t r = 0; r < net.placement.size(); ++r) {
      if (net.placement[r].nodes.matches(static_cast<NodeId>(node), n)) rule = r;
    }
    if (rule == net.placement.size()) {
      unplaced.push_back(node);
      continue;
    }
    const auto& ids = rule_hosts[rule];
    topo->host_of[node] = ids[next[rule]++ % ids.size()];
  }
  std::vector<uint32_t> free_hosts;
  for (size_t i = 0; i < h; ++i) {
    if (!taken[i]) free_hosts.push_back(static_cast<uint32_t>(i));
  }
  if (unplaced.size() > free_hosts.size()) {
    const std::string count = std::to_string(unplaced.size());
    if (net.placement.empty()) {
      throw InputError(file, "/network/platform_file",
                       "a host for each of the " + count +
                           " nodes (one host per node unless network.placement lets nodes "
                           "share)",
                       std::to_string(h) + (h == 1 ? " host" : " hosts"));
    }
    throw InputError(file, "/network/placement",
                     "a free host for each of the " + count + " nodes no rule places (" +
                         node_name(unplaced.front(), n) +
                         " first; one host per node unless a rule lets nodes share)",
                     std::to_string(free_hosts.size()) +
                         (free_hosts.size() == 1 ? " host" : " hosts") + " no rule names");
  }
  for (size_t k = 0; k < unplaced.size(); ++k) topo->host_of[unplaced[k]] = free_hosts[k];

  if (net.synchrony == Synchrony::sync && net.model == NetModel::latency) {
    // A sync network's bound covers the whole delay: route latency plus the drawn delay.
    double drawn = net.delay.upper_bound();
    for (const auto& l : net.links) {
      if (l.delay) drawn = std::max(drawn, l.delay->upper_bound());
    }
    // Over the hosts that hold nodes (a host's route to itself only if it holds two).
    std::vector<size_t> first_node(h, nodes), count(h, 0);
    for (size_t node = 0; node < nodes; ++node) {
      const uint32_t x = topo->host_of[node];
      if (count[x]++ == 0) first_node[x] = node;
    }
    for (size_t x = 0; x < h; ++x) {
      for (size_t y = 0; y < h; ++y) {
        if (count[x] == 0 || count[y] == 0 || (x == y && count[x] < 2)) continue;
        const double lat = topo->latency_s[x * h + y];
        if (lat + drawn <= net.bound_s) continue;
        throw InputError(file, "/network/platform_file",
                         "routes whose latency plus the largest drawn delay (" +
                             format_number(drawn) + ") stays within network.bound_s = " +
                             format_number(net.bound_s) + " (sync)",
                         "a route of " + format_number(lat) + " s from " + topo->hosts[x] +
                             " (" + node_name(first_node[x], n) + ") to " + topo->hosts[y]);
      }
    }
  }
  sc.network.topology = std::move(topo);
}

}  // namespace bqsim
