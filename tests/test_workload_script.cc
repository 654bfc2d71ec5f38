// workload.script: each client performs exactly its listed operations, in order (small
// deterministic workloads such as "a writer and a reader" for exhaustive exploration). The
// reader fixes clients and refuses the keys it replaces; a run performs exactly the script.
#include <catch2/catch.hpp>

#include <string>

#include "tests/adversary_fixture.h"
#include "tests/sim_fixture.h"

namespace bqsim::test {
namespace {

std::string read_error(const nlohmann::json& doc) {
  try {
    read_scenario_text(doc.dump(), "test.json", {}, catalog());
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("workload.script fixes the clients and their operations") {
  const nlohmann::json doc = {{"protocol", {{"name", "sbq-masking"}, {"f", 1}}},
                              {"workload", {{"script", {{"write"}, {"read", "read"}}}}}};
  const Scenario s = read_scenario_text(doc.dump(), "test.json", {}, catalog());
  CHECK(s.workload.clients == 2);
  REQUIRE(s.workload.script.size() == 2);
  CHECK(s.workload.script[0] == std::vector<OpKind>{OpKind::write});
  CHECK(s.workload.script[1] == std::vector<OpKind>{OpKind::read, OpKind::read});
}

TEST_CASE("workload.script refuses what it replaces, a wrong client count and unknown kinds") {
  using nlohmann::json;
  const json base = {{"protocol", {{"name", "sbq-masking"}, {"f", 1}}}};
  json doc = base;
  doc["workload"] = {{"script", {{"write"}}}, {"ops_per_client", 3}};
  CHECK(read_error(doc) == "error: test.json: /workload/ops_per_client: expected no "
                           "ops_per_client alongside script (it lists every operation), got 3");
  doc["workload"] = {{"script", {{"write"}}}, {"clients", 2}};
  CHECK(read_error(doc) ==
        "error: test.json: /workload/clients: expected the number of lists in script (1), got 2");
  // Explicit arrays: {{"write", "delete"}} would read as an object.
  doc["workload"] = {{"script", json::array({json::array({"write", "delete"})})}};
  CHECK(read_error(doc) == "error: test.json: /workload/script/0/1: expected one of read, "
                           "write; got 'delete'");
  doc["workload"] = {{"script", json::array()}};
  CHECK(read_error(doc).find("/workload/script: expected a list of 1 to 64 per-client lists") !=
        std::string::npos);
}

TEST_CASE("a run performs exactly the scripted operations", "[sim]") {
  nlohmann::json sc = base_scenario("sbq-masking", 1);
  sc["workload"] = {{"script", {{"write", "read"}, {"read", "read", "write"}}}};
  const SimRun r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.ops.size() == 5);
  std::vector<std::string> c0, c1;
  for (const auto& op : r.ops) (op.client == 0 ? c0 : c1).push_back(op.kind);
  CHECK(c0 == std::vector<std::string>{"write", "read"});
  CHECK(c1 == std::vector<std::string>{"read", "read", "write"});
}

}  // namespace bqsim::test
