// Runs on the SimGrid platforms the project ships (scenarios/platforms/) through the real
// binary: the latency model adds each route's latency exactly, placement.csv and
// latencies.csv say where nodes ran and what their routes cost, and more nodes than hosts is
// a one-line error unless a placement rule lets them share.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "tests/sim_fixture.h"

using bqsim::test::base_scenario;
using bqsim::test::SimRun;
using bqsim::test::simulate;
using bqsim::test::source_path;
using nlohmann::json;

namespace {

// Route latencies of six-hosts.xml in ms, from the file's own comment (pair link + 0.2 ms).
double route_ms(int a, int b) {
  static const std::array<std::array<double, 6>, 6> kMs = {{
      {0.0, 1.2, 4.2, 2.2, 7.2, 3.2},
      {1.2, 0.0, 2.2, 5.2, 3.2, 6.2},
      {4.2, 2.2, 0.0, 1.2, 2.2, 4.2},
      {2.2, 5.2, 1.2, 0.0, 6.2, 2.2},
      {7.2, 3.2, 2.2, 6.2, 0.0, 5.2},
      {3.2, 6.2, 4.2, 2.2, 5.2, 0.0},
  }};
  return kMs[a][b];
}

// Read-only sbq-masking (f = 1, n = 4: reads wait for 3 replies), contact all, on six-hosts.
json six_hosts_scenario(int clients) {
  json sc = base_scenario("sbq-masking", 1);
  sc["workload"] = {{"clients", clients}, {"ops_per_client", 15}, {"read_fraction", 1.0}};
  sc["network"] = {{"platform_file", source_path("scenarios/platforms/six-hosts.xml")}};
  return sc;
}

// node -> host index, from placement.csv ("server:0,h3").
std::map<std::string, int> placement_of(const SimRun& r) {
  std::map<std::string, int> out;
  std::istringstream in(r.placement_csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto c = bqsim::test::split(line, ',');
    out[c[0]] = std::stoi(c[1].substr(1));
  }
  return out;
}

// Every read of client c takes twice the 3rd smallest route latency from its host to the
// servers' hosts (no drawn delay: a platform's default is 0).
void check_read_latencies(const SimRun& r) {
  const auto place = placement_of(r);
  for (const auto& op : r.ops) {
    CAPTURE(op.client, op.op_id);
    REQUIRE(op.outcome == "ok");
    std::vector<double> routes;
    for (int s = 0; s < 4; ++s) {
      routes.push_back(route_ms(place.at("client:" + std::to_string(op.client)),
                                place.at("server:" + std::to_string(s))));
    }
    std::sort(routes.begin(), routes.end());
    CHECK(op.latency_s == Approx(2 * routes[2] * 1e-3).epsilon(1e-9));
  }
}

}  // namespace

TEST_CASE("reads on a routed platform take twice the r-th smallest route latency", "[sim][platform]") {
  // Default placement: one host each, servers then clients, in natural name order.
  // Client 0 on h4 sees the servers at 7.2, 3.2, 2.2, 6.2 ms: reads take 2 * 6.2 ms; client 1
  // on h5 sees 3.2, 6.2, 4.2, 2.2 ms: 2 * 4.2 ms.
  const SimRun r = simulate(six_hosts_scenario(2));
  REQUIRE(r.exit_code == 0);
  CHECK(r.placement_csv ==
        "node,host\nserver:0,h0\nserver:1,h1\nserver:2,h2\nserver:3,h3\nclient:0,h4\n"
        "client:1,h5\n");
  check_read_latencies(r);
  for (const auto& op : r.ops) {
    CHECK(op.latency_s == Approx(op.client == 0 ? 0.0124 : 0.0084).epsilon(1e-9));
  }
  // latencies.csv: every pair of used hosts, as the file's table says.
  std::istringstream in(r.latencies_csv);
  std::string line;
  std::getline(in, line);
  CHECK(line == "from_host,to_host,latency_s");
  int rows = 0;
  while (std::getline(in, line)) {
    const auto c = bqsim::test::split(line, ',');
    CHECK(std::stod(c[2]) ==
          Approx(route_ms(std::stoi(c[0].substr(1)), std::stoi(c[1].substr(1))) * 1e-3)
              .epsilon(1e-12));
    ++rows;
  }
  CHECK(rows == 36);
}

TEST_CASE("a placement rule moves and shares hosts, and the latencies follow", "[sim][platform]") {
  // Three clients share h2 (a rule says so); the servers take the four hosts no rule names,
  // h0, h1, h3, h4, in order. From h2 the servers are 4.2, 2.2, 1.2, 2.2 ms away: reads take
  // 2 * 2.2 ms.
  json sc = six_hosts_scenario(3);
  sc["network"]["placement"] = json::array({{{"nodes", "client:*"}, {"hosts", {"h2"}}}});
  const SimRun r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  CHECK(r.placement_csv ==
        "node,host\nserver:0,h0\nserver:1,h1\nserver:2,h3\nserver:3,h4\nclient:0,h2\n"
        "client:1,h2\nclient:2,h2\n");
  check_read_latencies(r);
  for (const auto& op : r.ops) CHECK(op.latency_s == Approx(0.0044).epsilon(1e-9));
}

TEST_CASE("more nodes than hosts is a one-line error without a sharing placement", "[sim][platform]") {
  // Four servers and three clients on six hosts: nodes would share one silently.
  const SimRun r = simulate(six_hosts_scenario(3));
  CHECK(r.exit_code == 2);
  CHECK_FALSE(r.has_manifest);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(": /network/platform_file: expected a host for each of the 7 nodes (one host "
                   "per node unless network.placement lets nodes share), got 6 hosts\n") !=
        std::string::npos);
}

TEST_CASE("a cluster's backbone routes cost their three links", "[sim][platform]") {
  // cluster-backbone.xml: private link 50 us, backbone 500 us, private link 50 us between any
  // two of its 16 hosts. Hosts sort naturally (node-9 before node-10). Reads: 2 * 0.6 ms;
  // writes (timestamp round trip, then the write phase): return at 1.2 ms, effective at 1.8 ms.
  json sc = base_scenario("sbq-masking", 2);
  sc["workload"] = {{"clients", 5}, {"ops_per_client", 10}, {"read_fraction", 0.5}};
  sc["network"] = {{"platform_file", source_path("scenarios/platforms/cluster-backbone.xml")}};
  const SimRun r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  CHECK(r.placement_csv.find("client:2,node-9\nclient:3,node-10\nclient:4,node-11\n") !=
        std::string::npos);
  for (const auto& op : r.ops) {
    CHECK(op.latency_s == Approx(0.0012).epsilon(1e-9));
    if (op.kind == "write") CHECK(op.effective_s - op.invoke_s == Approx(0.0018).epsilon(1e-9));
  }
}
