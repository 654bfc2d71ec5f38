// Placing nodes on a platform's hosts (sim/run/placement.h), without SimGrid: natural host
// order, placement rules and their round robin, one host per unplaced node, and the one-line
// errors for a missing host, too few hosts and routes too slow for a sync bound.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/run/placement.h"
#include "tests/scenario_fixture.h"

using namespace bqsim;
using bqsim::test::read;

namespace {

// Hosts h1..h6 in natural order; every route 1 ms, a host to itself 0.
PlatformRoutes six_hosts() {
  PlatformRoutes r;
  for (char c = '1'; c <= '6'; ++c) r.hosts.push_back(std::string{'h', c});
  for (int a = 0; a < 6; ++a) {
    for (int b = 0; b < 6; ++b) r.latency_s.push_back(a == b ? 0 : 0.001);
  }
  return r;
}

std::vector<std::string> hosts_of(const Scenario& sc) {
  std::vector<std::string> out;
  for (uint32_t h : sc.network.topology->host_of) out.push_back(sc.network.topology->hosts[h]);
  return out;
}

std::string placement_error(Scenario sc, PlatformRoutes routes) {
  try {
    resolve_topology(sc, std::move(routes), "dir/test.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// sbq-masking f=1 (n=4) with `clients` clients on a platform (the reader needs a real file;
// the routes above stand in for what the engine would read from it).
std::string scenario_text(int clients, const std::string& network_extra = "") {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"..." + std::string`.
  std::string text = R"({"protocol": {"name": "sbq-masking"}, "workload": {"clients": )";
  text += std::to_string(clients);
  text += R"(}, "network": {"platform_file": ")";
  text += BQSIM_SOURCE_DIR;
  text += R"(/scenarios/platforms/six-hosts.xml")";
  text += network_extra;
  text += "}}";
  return text;
}

}  // namespace

TEST_CASE("host names sort in natural order", "[placement]") {
  CHECK(natural_less("h2", "h10"));
  CHECK_FALSE(natural_less("h10", "h2"));
  CHECK(natural_less("node-9", "node-10"));
  CHECK(natural_less("a", "b"));
  CHECK(natural_less("rack1-node2", "rack1-node10"));
  CHECK(natural_less("rack2-node1", "rack10-node1"));
  CHECK_FALSE(natural_less("h1", "h1"));
}

TEST_CASE("nodes get one host each by default, and rules share hosts", "[placement]") {
  // Default: servers then clients, one host each in natural order.
  Scenario sc = read(scenario_text(2));
  CHECK(sc.network.delay.kind == DistKind::constant);
  CHECK(sc.network.delay.a == 0);  // a platform's routes carry the latency: no drawn delay
  resolve_topology(sc, six_hosts(), "dir/test.json");
  CHECK(hosts_of(sc) == std::vector<std::string>{"h1", "h2", "h3", "h4", "h5", "h6"});
  CHECK(sc.network.topology->latency(0, 5) == 0.001);

  // Clients round robin over two named hosts; the servers take the hosts no rule names.
  sc = read(scenario_text(3, R"(, "placement": [{"nodes": "client:*", "hosts": ["h6", "h2"]}])"));
  resolve_topology(sc, six_hosts(), "dir/test.json");
  CHECK(hosts_of(sc) == std::vector<std::string>{"h1", "h3", "h4", "h5", "h6", "h2", "h6"});

  // The last rule that selects a node wins; "*" is every host in natural order.
  sc = read(scenario_text(3, R"(, "placement": [{"nodes": "*", "hosts": "*"},
                                                {"nodes": "server:1-2", "hosts": ["h6"]}])"));
  resolve_topology(sc, six_hosts(), "dir/test.json");
  CHECK(hosts_of(sc) == std::vector<std::string>{"h1", "h6", "h6", "h2", "h3", "h4", "h5"});
}

TEST_CASE("placement errors are one line naming the scenario", "[placement]") {
  // Seven nodes on six hosts with no rule: nodes would share silently, so it is an error.
  CHECK(placement_error(read(scenario_text(3)), six_hosts()) ==
        "error: dir/test.json: /network/platform_file: expected a host for each of the 7 nodes "
        "(one host per node unless network.placement lets nodes share), got 6 hosts");
  // A rule naming five hosts leaves one for the four unplaced servers.
  CHECK(placement_error(read(scenario_text(3, R"(, "placement": [{"nodes": "client:*",
                                                 "hosts": ["h2", "h3", "h4", "h5", "h6"]}])")),
                        six_hosts()) ==
        "error: dir/test.json: /network/placement: expected a free host for each of the 4 "
        "nodes no rule places (server:0 first; one host per node unless a rule lets nodes "
        "share), got 1 host no rule names");
  CHECK(placement_error(read(scenario_text(1, R"(, "placement": [{"nodes": "client:0",
                                                 "hosts": ["h7"]}])")),
                        six_hosts()) ==
        "error: dir/test.json: /network/placement/0/hosts/0: expected a host of the platform "
        "file, got 'h7'");
  // On a sync network the route latency counts against the bound.
  CHECK(placement_error(read(scenario_text(1, R"(, "synchrony": "sync", "bound_s": 0.0015,
                                                 "delay": {"dist": "uniform", "min_s": 0,
                                                           "max_s": 0.001})")),
                        six_hosts()) ==
        "error: dir/test.json: /network/platform_file: expected routes whose latency plus the "
        "largest drawn delay (0.001) stays within network.bound_s = 0.0015 (sync), got a route "
        "of 0.001 s from h1 (server:0) to h2");
}
