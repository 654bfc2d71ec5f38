// The scenario reader in-process, against a small fake catalog (tests/scenario_fixture.h): the
// defaults, the mapping of every key onto Scenario, node selectors, unknown keys and JSON
// syntax. Range and consistency checks are in test_scenario_checks.cc; --set, --seed, sweeps and
// the other entry points in test_scenario_overrides.cc.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/input/scenario_reader.h"
#include "tests/scenario_fixture.h"

namespace bqsim::test {

using nlohmann::json;

TEST_CASE("an empty scenario gets every default of scenario.h", "[scenario_reader]") {
  // Shows that every field has a default and that n resolves to the protocol's minimum.
  const Scenario s = read("{}");
  CHECK(s.name == "test");  // the file's stem
  CHECK(s.seed == 1);
  CHECK(s.protocol.name == "sbq-masking");
  CHECK((s.protocol.f == 1 && s.protocol.n == 4));
  CHECK(s.protocol.options.contact == Contact::all);
  CHECK(s.workload.clients == 1);
  CHECK((s.workload.ops_per_client == 100 && s.workload.duration_s == 0));
  CHECK(s.workload.read_fraction == 0.5);
  CHECK(s.network.model == NetModel::latency);
  CHECK(s.network.synchrony == Synchrony::async);
  CHECK((s.network.delay.kind == DistKind::constant && s.network.delay.a == 0.001));
  CHECK(s.byzantine.empty());
  CHECK(s.timestamp_bits == 64);
  CHECK(s.limits.max_sim_time_s == 3600);
  CHECK_FALSE(s.unsafe);
  CHECK(s.source_file == "dir/test.json");
  CHECK(s.resolved == json{{"seed", 1}});
  CHECK(s.hash.size() == 16);
  CHECK(s.hash.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("n defaults to the minimum of the protocol's quorum family", "[scenario_reader]") {
  // Shows n = min_servers(family, f, t) per family, including a family chosen by an option.
  CHECK(read(R"({"protocol": {"name": "mr-masking", "f": 2}})").protocol.n == 9);
  CHECK(read(R"({"protocol": {"name": "sbq-masking", "f": 2}})").protocol.n == 7);
  CHECK(read(R"({"protocol": {"name": "sbq-dissemination", "f": 2}})").protocol.n == 5);
  const Scenario s = read(R"({"protocol": {"name": "sync-threshold", "f": 2, "t": 1,
                                          "data": "self-verifying"},
                             "network": {"synchrony": "sync", "bound_s": 0.01}})");
  CHECK(s.protocol.n == 4);  // f+1+t
  CHECK(s.protocol.options.data == DataKind::self_verifying);
  CHECK(s.protocol.options.timeout_s == Approx(0.02));  // resolved to 2 * bound_s
  CHECK(read(R"({"protocol": {"f": 0}})").protocol.n == 1);
}

TEST_CASE("a full scenario fills every field", "[scenario_reader]") {
  // Shows the mapping of each key of the INTERFACE.md example onto the Scenario struct.
  const Scenario s = read(R"({
    "name": "quickstart", "seed": 42, "description": "free text",
    "protocol": {"name": "sbq-masking", "f": 1, "n": 5, "contact": "quorum",
                 "ts_choice": "f+1-th"},
    "workload": {"clients": 4, "duration_s": 10, "read_fraction": 0.25,
                 "think_time": {"dist": "exponential", "mean_s": 0.01}, "value_bytes": 128,
                 "registers": 3, "concurrency": 2},
    "network": {"model": "bandwidth",
                "delay": {"dist": "uniform", "min_s": 0.001, "max_s": 0.002},
                "loss_probability": 0.01, "synchrony": "async",
                "bandwidth_Bps": 1e9, "link_latency_s": 0.0001,
                "links": [{"from": "server:2", "to": "client:*",
                           "delay": {"dist": "constant", "value_s": 0.05}},
                          {"from": "*", "to": "client:0", "loss_probability": 0.5}]},
    "byzantine": [{"servers": [1], "behaviours": [{"kind": "silent", "from_s": 1, "until_s": 2}]},
                  {"count": 1, "behaviours": [{"kind": "forge", "coalition": "A",
                                               "ts_counter": 1e18, "value": 7,
                                               "answer_ts_queries": true}]}],
    "allow_unsafe": true, "timestamp_bits": 16,
    "limits": {"max_sim_time_s": 60, "max_messages": 1000}})");
  CHECK(s.name == "quickstart");
  CHECK(s.seed == 42);
  CHECK(s.protocol.n == 5);
  CHECK(s.protocol.options.contact == Contact::quorum);
  CHECK(s.protocol.options.ts_choice == TsChoice::f1th);
  CHECK(s.workload.clients == 4);
  CHECK((s.workload.ops_per_client == 0 && s.workload.duration_s == 10));
  CHECK(s.workload.read_fraction == 0.25);
  CHECK((s.workload.think_time.kind == DistKind::exponential && s.workload.think_time.a == 0.01));
  CHECK(s.workload.value_bytes == 128);
  CHECK((s.workload.registers == 3 && s.workload.concurrency == 2));
  CHECK(s.network.model == NetModel::bandwidth);
  CHECK((s.network.delay.kind == DistKind::uniform && s.network.delay.b == 0.002));
  CHECK(s.network.loss_probability == 0.01);
  CHECK(s.network.synchrony == Synchrony::async);  // bandwidth runs only on async networks
  CHECK((s.network.bandwidth_Bps == 1e9 && s.network.link_latency_s == 0.0001));
  REQUIRE(s.network.links.size() == 2);
  CHECK(to_string(s.network.links[0].from) == "server:2");
  CHECK(to_string(s.network.links[0].to) == "client:*");
  CHECK((s.network.links[0].delay->a == 0.05 && !s.network.links[0].loss_probability));
  CHECK(to_string(s.network.links[1].from) == "*");
  CHECK((*s.network.links[1].loss_probability == 0.5 && !s.network.links[1].delay));
  REQUIRE(s.byzantine.size() == 2);
  CHECK(s.byzantine[0].servers == std::vector<NodeId>{1});
  const BehaviourSpec& silent = s.byzantine[0].behaviours.at(0);
  CHECK(silent.kind == "silent");
  CHECK((silent.from_s == 1 && silent.until_s == 2));
  CHECK(s.byzantine[1].servers == std::vector<NodeId>{0});  // count 1: server 0
  const BehaviourSpec& forge = s.byzantine[1].behaviours.at(0);
  // Parameters are kept as the behaviour declared them: 1e18 reads as the integer 10^18.
  CHECK(forge.params["coalition"] == "A");
  CHECK(forge.params["ts_counter"].is_number_unsigned());
  CHECK(forge.params["ts_counter"].get<uint64_t>() == 1000000000000000000ULL);
  CHECK(forge.params["value"] == ValueId{7});
  CHECK(forge.params["answer_ts_queries"] == true);
  CHECK(forge.until_s == kForever);
  CHECK((forge.params["kind"] == "forge" && forge.params["coalition"] == "A"));
  CHECK(s.unsafe);  // two Byzantine servers with f = 1, allowed by allow_unsafe
  CHECK(s.timestamp_bits == 16);
  CHECK((s.limits.max_sim_time_s == 60 && s.limits.max_messages == 1000));
}

TEST_CASE("the forged counter reads exactly over the whole uint64 range", "[scenario_reader]") {
  // Shows integers beyond a double's 53 bits are kept exact (timestamp inflation tests need them).
  const Scenario s = read(R"({"byzantine": [{"servers": [0], "behaviours": [
      {"kind": "forge", "ts_counter": 18446744073709551615}]}]})");
  CHECK(s.byzantine[0].behaviours[0].params["ts_counter"].get<uint64_t>() ==
        18446744073709551615ULL);
  CHECK(error_of(R"({"byzantine": [{"servers": [0], "behaviours": [
      {"kind": "forge", "ts_counter": -1}]}]})") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/ts_counter: expected an integer from "
        "0 to 2^64-1, got -1");
}

TEST_CASE("node selectors parse and match", "[scenario_reader]") {
  // Shows the selector forms (ranges included), their matching against ids (servers 0..n-1),
  // and rejects.
  const int n = 4;
  const auto any = parse_node_selector("*").value();
  const auto servers = parse_node_selector("server:*").value();
  const auto clients = parse_node_selector("client:*").value();
  const auto server2 = parse_node_selector("server:2").value();
  const auto client0 = parse_node_selector("client:0").value();
  CHECK((any.matches(0, n) && any.matches(7, n)));
  CHECK((servers.matches(3, n) && !servers.matches(4, n)));
  CHECK((clients.matches(4, n) && !clients.matches(3, n)));
  CHECK((server2.matches(2, n) && !server2.matches(1, n) && !server2.matches(6, n)));
  CHECK((client0.matches(4, n) && !client0.matches(0, n) && !client0.matches(5, n)));
  const auto servers1to2 = parse_node_selector("server:1-2").value();
  const auto clients0to1 = parse_node_selector("client:0-1").value();
  CHECK((servers1to2.matches(1, n) && servers1to2.matches(2, n)));
  CHECK((!servers1to2.matches(0, n) && !servers1to2.matches(3, n) && !servers1to2.matches(5, n)));
  CHECK((clients0to1.matches(4, n) && clients0to1.matches(5, n) && !clients0to1.matches(6, n)));
  CHECK(to_string(servers1to2) == "server:1-2");
  CHECK(to_string(parse_node_selector("server:3-3").value()) == "server:3");
  for (const char* bad : {"", "server", "server:", "srv:1", "server:-1", "server:1x", "client:*1",
                          "**", "server:9999999999", "server:2-1", "server:1-", "server:-",
                          "server:1-2-3", "client:0-x"}) {
    CHECK_FALSE(parse_node_selector(bad));
  }
  CHECK(error_of(R"({"network": {"links": [{"from": "server:4", "to": "*",
                                             "loss_probability": 0.1}]}})") ==
        "error: dir/test.json: /network/links/0/from: expected a server index below n = 4, "
        "got 'server:4'");
  CHECK(error_of(R"({"network": {"links": [{"from": "*", "to": "client:1",
                                             "loss_probability": 0.1}]}})") ==
        "error: dir/test.json: /network/links/0/to: expected a client index below "
        "workload.clients = 1, got 'client:1'");
  CHECK(error_of(R"({"network": {"links": [{"from": "server:2-4", "to": "*",
                                             "delay": {"dist": "constant", "value_s": 0}}]}})") ==
        "error: dir/test.json: /network/links/0/from: expected a server index below n = 4, "
        "got 'server:2-4'");
  CHECK(error_of(R"({"network": {"links": [{"from": "*", "to": "*"}]}})") ==
        "error: dir/test.json: /network/links/0: expected a link override with a delay, a "
        "loss_probability or fifo; got none of them");
}

TEST_CASE("unknown keys are rejected with a suggestion", "[scenario_reader]") {
  // Shows the key's own pointer, the valid keys and a close match, at every level.
  CHECK(error_of(R"({"worklaod": {}})") ==
        "error: dir/test.json: /worklaod: expected one of name, description, seed, protocol, "
        "workload, network, byzantine, allow_unsafe, timestamp_bits, limits, sweep, engine; "
        "got 'worklaod' (did you mean 'workload'?)");
  CHECK(error_of(R"({"network": {"delay": {"dist": "constant", "value": 1}}})") ==
        "error: dir/test.json: /network/delay/value: expected one of dist, value_s; got 'value' "
        "(did you mean 'value_s'?)");
  CHECK(error_of(R"({"protocol": {"t": 1}})") ==
        "error: dir/test.json: /protocol/t: expected one of name, f, n or an option of "
        "sbq-masking (contact, contact_widen_s, ts_choice); got 't'");
  CHECK(error_of(R"({"protocol": {"name": "sbq-maskin"}})") ==
        "error: dir/test.json: /protocol/name: expected one of mr-masking, sbq-masking, "
        "sbq-dissemination, sync-threshold, u-masking; got 'sbq-maskin' (did you mean "
        "'sbq-masking'?)");
  CHECK(error_of(R"({"byzantine": [{"servers": [0], "behaviours": [{"kind": "silent",
                                                                    "coalition": "A"}]}]})") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/coalition: expected one of kind, "
        "from_s, until_s (silent takes no parameters); got 'coalition'");
  CHECK(error_of(R"({"protocol": {"contact": "some"}})") ==
        "error: dir/test.json: /protocol/contact: expected one of all, quorum; got 'some'");
}

TEST_CASE("JSON itself is checked without nlohmann's text", "[scenario_reader]") {
  // Shows syntax errors with line and column (where the parser stopped: the end of the
  // unexpected token), duplicate keys, and non-object documents.
  CHECK(error_of("{\n  \"seed\": 1\n  \"name\": \"x\"\n}") ==
        "error: dir/test.json: expected valid JSON, got syntax error at line 3, column 8");
  CHECK(error_of("{\"seed\": 1,}") ==
        "error: dir/test.json: expected valid JSON, got syntax error at line 1, column 12");
  CHECK(error_of("  \n") == "error: dir/test.json: expected a JSON object, got an empty file");
  CHECK(error_of("[1]") == "error: dir/test.json: expected a JSON object, got a list");
  CHECK(error_of(R"({"byzantine": [{"servers": [0], "servers": [1]}]})") ==
        "error: dir/test.json: /byzantine/0/servers: expected each key once in an object, got "
        "'servers' twice");
  CHECK(error_of(R"({"seed": 1e999})") ==
        "error: dir/test.json: /seed: expected a number within the range of a double, got a "
        "larger one");
  CHECK(error_of(std::string(100, '[') + std::string(100, ']')) ==
        "error: dir/test.json: /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/"
        "0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: expected at most 64 "
        "levels of nesting, got more");
  CHECK(error_of(R"({"seed": "1"})") ==
        "error: dir/test.json: /seed: expected an integer from 0 to 2^64-1, got '1'");
}

}  // namespace bqsim::test
