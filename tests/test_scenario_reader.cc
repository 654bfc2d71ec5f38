// The scenario reader in-process, against a small fake catalog, so that these tests depend on
// neither the real protocols nor the binary (test_bad_inputs.cc covers the binary).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/core/json_reader.h"
#include "sim/core/scenario_reader.h"

namespace {

using namespace bqsim;
using nlohmann::json;

ProtocolDescription fake_protocol(std::string name, QuorumFamily family,
                                  std::vector<std::string> keys, bool requires_sync = false) {
  ProtocolDescription d;
  d.name = std::move(name);
  d.option_keys = std::move(keys);
  d.requires_sync = requires_sync;
  d.family = [family](const ProtocolOptions&) { return family; };
  return d;
}

const Catalog& fake_catalog() {
  static const std::vector<ProtocolDescription> kProtocols = [] {
    std::vector<ProtocolDescription> p = {
        fake_protocol("mr-masking", QuorumFamily::mr_masking, {"contact", "ts_choice"}),
        fake_protocol("sbq-masking", QuorumFamily::sbq_masking, {"contact", "ts_choice"}),
        fake_protocol("sbq-dissemination", QuorumFamily::sbq_dissemination,
                      {"signature_bytes"}),
        fake_protocol("sync-threshold", QuorumFamily::sync_generic,
                      {"t", "timeout_s", "data"}, true),
        fake_protocol("u-masking", QuorumFamily::mr_masking,
                      {"retransmit_initial_s", "retransmit_cap_s", "buffers"}),
    };
    p[3].family = [](const ProtocolOptions& o) {
      return o.data == DataKind::generic ? QuorumFamily::sync_generic
                                         : QuorumFamily::sync_self_verifying;
    };
    return p;
  }();
  static const std::vector<BehaviourInfo> kBehaviours = {
      {"silent", "never answers", {}, false},
      {"forge",
       "made-up pairs",
       {{"coalition", "string", "default", "", {}},
        {"ts_counter", "integer", "4611686018427387904", "", {}, 0.0},
        {"value", "integer", "", "", {}, 0.0},
        {"answer_ts_queries", "boolean", "false", "", {}}},
       true},
  };
  static const Catalog kCatalog{&kProtocols, &kBehaviours};
  return kCatalog;
}

Scenario read(const std::string& text, const ReadOptions& options = {}) {
  return read_scenario_text(text, "dir/test.json", options, fake_catalog());
}

// The one-line error a text produces, or "no error".
std::string error_of(const std::string& text, const ReadOptions& options = {}) {
  try {
    read(text, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

ReadOptions with_sets(std::vector<std::string> sets) {
  ReadOptions o;
  o.set_overrides = std::move(sets);
  return o;
}

ReadOptions sweeping() {
  ReadOptions o;
  o.allow_sweep = true;
  return o;
}

}  // namespace

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
                "loss_probability": 0.01, "synchrony": "partial", "bound_s": 0.01, "gst_s": 5,
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
  CHECK(s.network.synchrony == Synchrony::partial);
  CHECK((s.network.bound_s == 0.01 && s.network.gst_s == 5));
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
  CHECK(forge.coalition == "A");
  CHECK(forge.ts_counter == 1000000000000000000ULL);
  CHECK(forge.value == ValueId{7});
  CHECK(forge.answer_ts_queries);
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
  CHECK(s.byzantine[0].behaviours[0].ts_counter == 18446744073709551615ULL);
  CHECK(error_of(R"({"byzantine": [{"servers": [0], "behaviours": [
      {"kind": "forge", "ts_counter": -1}]}]})") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/ts_counter: expected an integer from "
        "0 to 2^64-1, got -1");
}

TEST_CASE("set overrides fields by dotted path before checking", "[scenario_reader]") {
  // Shows overrides of numbers, strings that are not JSON, list elements and new objects.
  const std::string base =
      R"({"byzantine": [{"servers": [0], "behaviours": [{"kind": "silent"}]}]})";
  const Scenario s = read(base, with_sets({"protocol.f=2", "protocol.name=mr-masking",
                                           "byzantine.0.servers=[3]", "workload.clients=3",
                                           R"(network.delay={"dist":"constant","value_s":0.5})"}));
  CHECK(s.protocol.f == 2);
  CHECK(s.protocol.name == "mr-masking");
  CHECK(s.protocol.n == 9);
  CHECK(s.byzantine[0].servers == std::vector<NodeId>{3});
  CHECK(s.workload.clients == 3);
  CHECK(s.network.delay.a == 0.5);
  CHECK(s.resolved["protocol"]["f"] == 2);
}

TEST_CASE("bad overrides are errors of --set", "[scenario_reader]") {
  // Shows malformed overrides, and errors in overridden values, name the file "--set".
  CHECK(error_of("{}", with_sets({"foo"})) ==
        "error: --set: /foo: expected PATH=VALUE such as protocol.f=2, got 'foo'");
  CHECK(error_of("{}", with_sets({"a..b=1"})) ==
        "error: --set: expected PATH=VALUE such as protocol.f=2, got 'a..b=1'");
  CHECK(error_of(R"({"byzantine": []})", with_sets({"byzantine.0.servers=[1]"})) ==
        "error: --set: /byzantine/0: expected an index below 0 into the list at /byzantine, "
        "got '0'");
  CHECK(error_of(R"({"seed": 1})", with_sets({"seed.x=1"})) ==
        "error: --set: /seed: expected an object or a list to set seed.x in, got 1");
  CHECK(error_of("{}", with_sets({"protocol.f=-1"})) ==
        "error: --set: /protocol/f: expected an integer from 0 to 10000, got -1");
  CHECK(error_of("{}", with_sets({"workload.clients=many"})) ==
        "error: --set: /workload/clients: expected an integer from 1 to 1000000, got 'many'");
  // Not under the overridden path: the error belongs to the file.
  CHECK(error_of(R"({"protocol": {"n": 4}})", with_sets({"protocol.f=2"})) ==
        "error: dir/test.json: /protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, "
        "got 4");
}

TEST_CASE("the seed option replaces the seed and the hash follows it", "[scenario_reader]") {
  // Shows the hash is stable for one scenario, insensitive to layout, and changes with the seed.
  const std::string text = R"({"protocol": {"f": 1, "name": "sbq-masking"}, "seed": 3})";
  const std::string same =
      "{\n  \"seed\": 3,\n  \"protocol\": {\"name\": \"sbq-masking\", \"f\": 1}\n}";
  CHECK(read(text).hash == read(text).hash);
  CHECK(read(text).hash == read(same).hash);
  ReadOptions seeded;
  seeded.seed = 5;
  const Scenario s5 = read(text, seeded);
  CHECK(s5.seed == 5);
  CHECK(s5.resolved["seed"] == 5);
  CHECK(s5.hash != read(text).hash);
  seeded.seed = 3;
  CHECK(read(text, seeded).hash == read(text).hash);
  CHECK(read("{}").hash == read(R"({"seed": 1})").hash);  // the default seed is hashed too
}

TEST_CASE("node selectors parse and match", "[scenario_reader]") {
  // Shows the five selector forms, their matching against ids (servers 0..n-1), and rejects.
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
  for (const char* bad : {"", "server", "server:", "srv:1", "server:-1", "server:1x", "client:*1",
                          "**", "server:9999999999"}) {
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
  CHECK(error_of(R"({"network": {"links": [{"from": "*", "to": "*"}]}})") ==
        "error: dir/test.json: /network/links/0: expected a link override with a delay or a "
        "loss_probability, got neither");
}

TEST_CASE("unknown keys are rejected with a suggestion", "[scenario_reader]") {
  // Shows the key's own pointer, the valid keys and a close match, at every level.
  CHECK(error_of(R"({"worklaod": {}})") ==
        "error: dir/test.json: /worklaod: expected one of name, description, seed, protocol, "
        "workload, network, byzantine, allow_unsafe, timestamp_bits, limits, sweep; got "
        "'worklaod' (did you mean 'workload'?)");
  CHECK(error_of(R"({"network": {"delay": {"dist": "constant", "value": 1}}})") ==
        "error: dir/test.json: /network/delay/value: expected one of dist, value_s; got 'value' "
        "(did you mean 'value_s'?)");
  CHECK(error_of(R"({"protocol": {"t": 1}})") ==
        "error: dir/test.json: /protocol/t: expected one of name, f, n or an option of "
        "sbq-masking (contact, ts_choice); got 't'");
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

TEST_CASE("distributions are checked at the exact pointer", "[scenario_reader]") {
  // Shows every kind parses, and negative or inconsistent parameters fail where they are.
  const auto delay = [](const std::string& d) {
    return read(R"({"network": {"delay": )" + d + "}}").network.delay;
  };
  CHECK(delay(R"({"dist": "normal", "mean_s": 0.01, "sd_s": 0.002})").b == 0.002);
  CHECK(delay(R"({"dist": "lognormal", "median_s": 0.01, "sigma": 0.5})").kind ==
        DistKind::lognormal);
  CHECK(delay(R"({"dist": "pareto", "scale_s": 0.01, "shape": 1.5})").kind == DistKind::pareto);
  CHECK(error_of(R"({"network": {"delay": {"dist": "constant", "value_s": -0.001}}})") ==
        "error: dir/test.json: /network/delay/value_s: expected a number >= 0, got -0.001");
  CHECK(error_of(R"({"network": {"delay": {"dist": "uniform", "min_s": 0.002,
                                            "max_s": 0.001}}})") ==
        "error: dir/test.json: /network/delay/max_s: expected a number >= min_s = 0.002, got "
        "0.001");
  CHECK(error_of(R"({"network": {"delay": {"dist": "exponential", "mean_s": 0}}})") ==
        "error: dir/test.json: /network/delay/mean_s: expected a number > 0, got 0");
  CHECK(error_of(R"({"network": {"delay": {"dist": "exponential"}}})") ==
        "error: dir/test.json: /network/delay/mean_s: expected a number > 0, got nothing");
}

TEST_CASE("synchrony keys and bounds are consistent", "[scenario_reader]") {
  // Shows the sync/partial/async rules: bound required, bounded delays, no loss under sync.
  CHECK(error_of(R"({"network": {"synchrony": "sync", "bound_s": 0.01,
                                 "delay": {"dist": "exponential", "mean_s": 0.001}}})") ==
        "error: dir/test.json: /network/delay: expected a distribution bounded by "
        "network.bound_s = 0.01 (sync), got exponential(mean_s=0.001), which is unbounded");
  CHECK(error_of(R"({"network": {"synchrony": "sync", "bound_s": 0.01,
                                 "links": [{"from": "*", "to": "*", "delay":
                                   {"dist": "uniform", "min_s": 0, "max_s": 0.02}}]}})") ==
        "error: dir/test.json: /network/links/0/delay: expected a distribution bounded by "
        "network.bound_s = 0.01 (sync), got uniform(min_s=0, max_s=0.02), which reaches 0.02");
  CHECK(error_of(R"({"network": {"synchrony": "sync"}})") ==
        "error: dir/test.json: /network/bound_s: expected a number > 0 (required when "
        "network.synchrony is sync), got nothing");
  CHECK(error_of(R"({"network": {"bound_s": 0.01}})") ==
        "error: dir/test.json: /network/bound_s: expected no bound_s on an async network (it "
        "has no bound), got 0.01");
  CHECK(error_of(R"({"network": {"synchrony": "sync", "bound_s": 0.01, "gst_s": 1}})") ==
        "error: dir/test.json: /network/gst_s: expected no gst_s unless network.synchrony is "
        "partial, got 1");
  CHECK(error_of(R"({"network": {"synchrony": "sync", "bound_s": 0.01,
                                 "loss_probability": 0.1}})") ==
        "error: dir/test.json: /network/loss_probability: expected 0 on a sync network "
        "(synchrony promises delivery within bound_s), got 0.1");
  CHECK(error_of(R"({"network": {"loss_probability": 1}})") ==
        "error: dir/test.json: /network/loss_probability: expected a number >= 0 and < 1, got 1");
  CHECK(error_of(R"({"protocol": {"name": "sync-threshold"}})") ==
        "error: dir/test.json: /network/synchrony: expected sync (sync-threshold requires a "
        "synchronous network), got 'async'");
  CHECK(error_of(R"({"protocol": {"name": "sync-threshold", "timeout_s": 0.015},
                     "network": {"synchrony": "sync", "bound_s": 0.01}})") ==
        "error: dir/test.json: /protocol/timeout_s: expected a number >= 2 * network.bound_s = "
        "0.02, got 0.015");
  CHECK(error_of(R"({"network": {"bandwidth_Bps": 1e6}})") ==
        "error: dir/test.json: /network/bandwidth_Bps: expected no bandwidth_Bps unless "
        "network.model is bandwidth, got 1000000");
  // Loss is a simulated fault, allowed on async networks for every protocol.
  CHECK(read(R"({"network": {"loss_probability": 0.5}})").network.loss_probability == 0.5);
}

TEST_CASE("protocol options are checked against their declarations", "[scenario_reader]") {
  // Shows n below the fault rule, t above f, and allow_unsafe marking the run unsafe.
  CHECK(error_of(R"({"protocol": {"f": 1, "n": 3}})") ==
        "error: dir/test.json: /protocol/n: expected n >= 3f+1 = 4 for sbq-masking with f=1, "
        "got 3");
  CHECK(error_of(R"({"protocol": {"name": "sync-threshold", "f": 1, "t": 1, "n": 3},
                     "network": {"synchrony": "sync", "bound_s": 0.01}})") ==
        "error: dir/test.json: /protocol/n: expected n >= 2f+1+t = 4 for sync-threshold with "
        "f=1 and t=1, got 3");
  CHECK(error_of(R"({"protocol": {"name": "sync-threshold", "f": 1, "t": 2},
                     "network": {"synchrony": "sync", "bound_s": 0.01}})") ==
        "error: dir/test.json: /protocol/t: expected an integer <= f = 1, got 2");
  CHECK(error_of(R"({"protocol": {"f": 1.5}})") ==
        "error: dir/test.json: /protocol/f: expected an integer from 0 to 10000, got 1.5");
  CHECK(error_of(R"({"protocol": {"name": "u-masking", "retransmit_initial_s": 2}})") ==
        "error: dir/test.json: /protocol/retransmit_initial_s: expected a number <= "
        "retransmit_cap_s = 1, got 2");
  CHECK(error_of(R"({"protocol": {"name": "u-masking", "retransmit_cap_s": 0.01}})") ==
        "error: dir/test.json: /protocol/retransmit_cap_s: expected a number >= "
        "retransmit_initial_s = 0.05, got 0.01");
  CHECK(error_of(R"({"protocol": {"name": "u-masking", "buffers": -1}})") ==
        "error: dir/test.json: /protocol/buffers: expected an integer from 0 to 2147483647, got "
        "-1");
  CHECK(read(R"({"protocol": {"name": "u-masking", "buffers": 8}})").protocol.options.buffers ==
        8);
  const Scenario s = read(R"({"protocol": {"f": 1, "n": 3}, "allow_unsafe": true})");
  CHECK(s.protocol.n == 3);
  CHECK(s.unsafe);
}

TEST_CASE("Byzantine servers are checked against n, f and the data kind", "[scenario_reader]") {
  // Shows ids in range, no server twice, at most f unless allow_unsafe, forge needs generic data.
  const auto byz = [](const std::string& entries) {
    return error_of(R"({"byzantine": )" + entries + "}");
  };
  CHECK(byz(R"([{"servers": ["1"], "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine/0/servers/0: expected a server id from 0 to 3, got "
        "'1'");
  CHECK(read(R"({"byzantine": [{"servers": [2.0], "behaviours": [{"kind": "silent"}]}]})")
            .byzantine[0]
            .servers == std::vector<NodeId>{2});
  CHECK(byz(R"([{"servers": [4], "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine/0/servers/0: expected a server id from 0 to 3, got 4");
  CHECK(byz(R"([{"servers": [0], "behaviours": [{"kind": "silent"}]},
                {"servers": [0], "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine/1/servers/0: expected a server not already Byzantine "
        "(/byzantine/0/servers/0 has it), got 0");
  CHECK(byz(R"([{"servers": [0, 1], "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine: expected at most f = 1 Byzantine servers for "
        "sbq-masking (or allow_unsafe), got 2");
  CHECK(byz(R"([{"count": 2, "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine: expected at most f = 1 Byzantine servers for "
        "sbq-masking (or allow_unsafe), got 2");
  CHECK(byz(R"([{"servers": [0], "count": 1, "behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine/0/count: expected no count alongside servers (give "
        "one of the two), got 1");
  CHECK(byz(R"([{"behaviours": [{"kind": "silent"}]}])") ==
        "error: dir/test.json: /byzantine/0/servers: expected a list of server ids (or a "
        "count), got nothing");
  CHECK(byz(R"([{"servers": [0], "behaviours": []}])") ==
        "error: dir/test.json: /byzantine/0/behaviours: expected a non-empty list of "
        "behaviours, got an empty list");
  CHECK(byz(R"([{"servers": [0], "behaviours": [{"kind": "slient"}]}])") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/kind: expected one of silent, forge; "
        "got 'slient' (did you mean 'silent'?)");
  CHECK(byz(R"([{"servers": [0], "behaviours": [{"kind": "silent", "from_s": 2,
                                                  "until_s": 2}]}])") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/until_s: expected a number > from_s = "
        "2, got 2");
  CHECK(error_of(R"({"protocol": {"name": "sbq-dissemination"},
                     "byzantine": [{"servers": [0], "behaviours": [{"kind": "forge"}]}]})") ==
        "error: dir/test.json: /byzantine/0/behaviours/0/kind: expected a behaviour possible "
        "against self-verifying data (sbq-dissemination's values are signed), got 'forge' "
        "(generic data only)");
}

TEST_CASE("workload fields are checked", "[scenario_reader]") {
  // Shows the one-of rule for ops_per_client / duration_s and the ranges.
  CHECK(error_of(R"({"workload": {"ops_per_client": 5, "duration_s": 10}})") ==
        "error: dir/test.json: /workload/duration_s: expected no duration_s alongside "
        "ops_per_client (give one of the two), got 10");
  CHECK(error_of(R"({"workload": {"clients": 0}})") ==
        "error: dir/test.json: /workload/clients: expected an integer from 1 to 1000000, got 0");
  CHECK(error_of(R"({"workload": []})") ==
        "error: dir/test.json: /workload: expected an object, got an empty list");
  CHECK(error_of(R"({"name": "../x"})") ==
        "error: dir/test.json: /name: expected a name of letters, digits, '.', '_' and '-' (it "
        "names the output directory); got '../x'");
}

TEST_CASE("a sweep is rejected by run and checked run by run by validate", "[scenario_reader]") {
  // Shows every run of the cross product is checked, with errors pointing into the sweep block.
  const std::string text = R"({"protocol": {"n": 7}, "sweep": {"protocol.f": [1, 2]}})";
  CHECK(error_of(text) ==
        "error: dir/test.json: /sweep: expected no sweep block (expand it with "
        "scripts/bqsim-batch), got one");
  const Scenario s = read(text, sweeping());
  CHECK(s.protocol.f == 1);  // the first run
  CHECK_FALSE(s.resolved.contains("sweep"));
  CHECK(error_of(R"({"protocol": {"n": 4}, "sweep": {"protocol.f": [1, 2]}})", sweeping()) ==
        "error: dir/test.json: /protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, "
        "got 4 (in the sweep run with protocol.f=2)");
  CHECK(error_of(R"({"sweep": {"protocol.f": [1, -1]}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.f/1: expected an integer from 0 to 10000, got -1");
  CHECK(error_of(R"({"sweep": {"protocol.tee": [1]}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.tee/0: expected one of name, f, n or an option of "
        "sbq-masking (contact, ts_choice); got 'tee'");
  CHECK(error_of(R"({"sweep": {"protocol.f": []}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.f: expected a non-empty list of values, got an "
        "empty list");
  CHECK(error_of(R"({"sweep": {"seed": [1, 2, 3], "protocol.f": [0, 1, 2, 3],
                               "workload.clients": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                               "workload.registers": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                               "workload.value_bytes": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}})",
                 sweeping()) ==
        "error: dir/test.json: /sweep: expected at most 10000 runs in its cross product, got "
        "more");
  CHECK(read(R"({"sweep": {"seed": [1, 2], "protocol.name": ["mr-masking", "sbq-masking"]}})",
             sweeping())
            .protocol.name == "mr-masking");
}

TEST_CASE("one parsed document is checked on its own", "[scenario_reader]") {
  // Shows scenario_from_json: the same walk, with no hash, and no sweep block let through.
  const std::string file = "mem.json";
  const Scenario s = scenario_from_json(json::parse(R"({"seed": 9})"), file, fake_catalog());
  CHECK(s.seed == 9);
  CHECK(s.name == "mem");
  CHECK(s.hash.empty());
  CHECK_THROWS_WITH(
      scenario_from_json(json::parse(R"({"sweep": {"seed": [1]}})"), file, fake_catalog()),
      "error: mem.json: /sweep: expected no sweep block (expand it with scripts/bqsim-batch), "
      "got an object");
}

TEST_CASE("files are read relative to the scenario", "[scenario_reader]") {
  // Shows unreadable files, and platform files resolved against the scenario's directory.
  CHECK_THROWS_WITH(read_scenario_file("/nonexistent/x.json", {}, fake_catalog()),
                    "error: /nonexistent/x.json: expected a readable file, got no such file or "
                    "directory");
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "bqsim-test-scenario-reader";
  fs::create_directories(dir);
  std::ofstream(dir / "star.xml") << "<platform/>";
  std::ofstream(dir / "s.json")
      << R"({"network": {"model": "bandwidth", "platform_file": "star.xml"}})";
  const Scenario s = read_scenario_file((dir / "s.json").string(), {}, fake_catalog());
  CHECK(s.network.platform_file == (dir / "star.xml").string());
  CHECK(s.name == "s");
  std::ofstream(dir / "t.json")
      << R"({"network": {"model": "bandwidth", "platform_file": "missing.xml"}})";
  CHECK_THROWS_WITH(read_scenario_file((dir / "t.json").string(), {}, fake_catalog()),
                    "error: " + (dir / "t.json").string() +
                        ": /network/platform_file: expected an existing SimGrid platform file "
                        "(relative paths start at the scenario's directory), got 'missing.xml'");
  fs::remove_all(dir);
}

TEST_CASE("an object's keys must all be read", "[json_reader]") {
  // Shows FoundationDB's rule: a permitted key that nothing read is still an error.
  const json doc = json::parse(R"({"a": 1, "b": 2})");
  const std::string file = "f.json";
  JsonObject o(JsonValue(doc, "/x", file));
  o.allow({"a", "b"});
  CHECK(o.get("a")->integer(Range::closed(0, 5)) == 1);
  CHECK_THROWS_WITH(o.finish(), "error: f.json: /x/b: expected no b in this configuration "
                                "(nothing would read it), got 2");
}

TEST_CASE("messages render values briefly and on one line", "[json_reader]") {
  // Shows number formatting, quoting of control characters and suggestions' thresholds.
  CHECK(format_number(0.001) == "0.001");
  CHECK(format_number(1e-9) == "1e-09");
  CHECK(format_number(1.25e8) == "125000000");
  CHECK(format_number(-3) == "-3");
  CHECK(quote("a\nb") == "'a\\u000ab'");
  CHECK(quote(std::string(100, 'x')).size() == 80 + 5);
  CHECK(describe(json::parse("[]")) == "an empty list");
  CHECK(describe(json::parse("{}")) == "an object");
  CHECK(suggestion("worklaod", {"name", "workload"}) == " (did you mean 'workload'?)");
  CHECK(suggestion("t", {"f", "n"}).empty());
  CHECK(suggestion("sbq-mask", {"mr-masking", "sbq-masking"}) ==
        " (did you mean 'sbq-masking'?)");
  CHECK(pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
}
