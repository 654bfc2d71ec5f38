// The scenario reader's parameter types that the adversary behaviours brought (distribution,
// integer-list, string-list), the behaviour registry's listing, each behaviour's parameters as
// read from a scenario with the rules between them, and the protocol's buffer-pool rule.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adversaries/registry.h"
#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"
#include "tests/adversary_fixture.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

// The one-line error a behaviour object produces, or "no error".
std::string behaviour_error(const json& behaviour, const std::string& protocol_name = "sbq-masking",
                            uint32_t bits = 64) {
  try {
    spec_of(behaviour, protocol_name, bits);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
const std::string kAt = "error: test.json: /byzantine/0/behaviours/0/";

}  // namespace

TEST_CASE("the behaviour registry lists the §6 catalogue with typed parameters") {
  // Shows every behaviour of §6 by the name scenarios use, each parameter with its type, in the
  // order `bqsim list` prints them.
  std::vector<std::string> listed;
  for (const auto& b : behaviour_registry()) {
    std::string line = b.name + (b.generic_data_only ? "!" : "") + ":";
    for (const auto& p : b.params) line += " " + p.key + "=" + std::string(to_string(p.type));
    listed.push_back(line);
  }
  CHECK(listed == std::vector<std::string>{
                      "silent:",
                      "forge!: coalition=string ts_counter=integer value=integer "
                      "answer_ts_queries=boolean",
                      "crash: at_s=number",
                      "stale: which=string k=integer",
                      "equivocate: mode=string lie=string coalition=string",
                      "slow: delay=distribution",
                      "omit: clients=integer-list types=string-list direction=string",
                      "ts-inflate: margin=integer",
                      "bad-signature:",
                  });
}

TEST_CASE("the reader reads lists and distributions as declared") {
  // Shows the new declaration types: integer-list and string-list item by item (empty lists
  // accepted), distribution objects returned as written, each error at its exact pointer.
  const std::string file = "f.json";
  const auto read = [&](const OptionSpec& spec, const std::string& text) {
    const json doc = json::parse(text);
    return read_declared(spec, JsonValue(doc, "/p", file));
  };
  const auto error = [&](const OptionSpec& spec, const std::string& text) -> std::string {
    try {
      read(spec, text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const OptionSpec ints = OptionSpec("p", ValueType::integer_list, "", "").range(0, 9);
  CHECK(read(ints, "[3, 0, 9, 2.0]") == json::parse("[3, 0, 9, 2]"));
  CHECK(read(ints, "[]") == json::array());
  CHECK(error(ints, "3") == "error: f.json: /p: expected a list of integers from 0 to 9, got 3");
  CHECK(error(ints, "[1, 10]") == "error: f.json: /p/1: expected an integer from 0 to 9, got 10");
  CHECK(error(ints, "[1.5]") == "error: f.json: /p/0: expected an integer from 0 to 9, got 1.5");
  CHECK(error(ints, "[\"1\"]") == "error: f.json: /p/0: expected an integer from 0 to 9, got '1'");
  const OptionSpec big = OptionSpec("p", ValueType::integer_list, "", "").range(0);
  CHECK(read(big, "[18446744073709551615]")[0].get<uint64_t>() == 18446744073709551615ULL);
  CHECK(error(big, "{}") == "error: f.json: /p: expected a list of integers >= 0, got an object");
  CHECK(error(big, "[-1]") ==
        "error: f.json: /p/0: expected an integer from 0 to 2^64-1, got -1");

  const OptionSpec names =
      OptionSpec("p", ValueType::string_list, "", "").among({"read", "write"});
  CHECK(read(names, R"(["write", "read", "write"])") == json::parse(R"(["write", "read", "write"])"));
  CHECK(error(names, R"("read")") ==
        "error: f.json: /p: expected a list of strings among read, write; got 'read'");
  CHECK(error(names, R"(["read", "wirte"])") ==
        "error: f.json: /p/1: expected one of read, write; got 'wirte' (did you mean 'write'?)");
  CHECK(error(names, "[null]") == "error: f.json: /p/0: expected one of read, write; got null");
  const OptionSpec free_names("p", ValueType::string_list, "", "");
  CHECK(read(free_names, R"(["x"])") == json::parse(R"(["x"])"));
  CHECK(error(free_names, "[1]") == "error: f.json: /p/0: expected a string, got 1");

  const OptionSpec dist("p", ValueType::distribution, "", "");
  CHECK(read(dist, R"({"dist": "constant", "value_s": 0.5})") ==
        json::parse(R"({"dist": "constant", "value_s": 0.5})"));
  CHECK(error(dist, "0.5") == "error: f.json: /p: expected an object, got 0.5");
  CHECK(error(dist, R"({"dist": "pareto", "scale_s": 1})") ==
        "error: f.json: /p/shape: expected a number > 0, got nothing");
}

TEST_CASE("behaviour parameters are read from a scenario and checked at their pointer") {
  // Shows good values of every new parameter reach BehaviourSpec::params, and each bad value's
  // exact error line, including the rules between parameters and the rest of the scenario.
  const BehaviourSpec slow = spec_of(
      {{"kind", "slow"}, {"delay", {{"dist", "lognormal"}, {"median_s", 0.01}, {"sigma", 0.5}}}});
  CHECK(slow.params["delay"]["median_s"] == 0.01);
  const BehaviourSpec omit = spec_of({{"kind", "omit"}, {"clients", {3, 0}},
                                      {"types", {"read", "write_ack"}}, {"direction", "out"}});
  CHECK(omit.params["clients"] == json::parse("[3, 0]"));
  CHECK(spec_of({{"kind", "crash"}, {"at_s", 2.5}}).params["at_s"] == 2.5);
  CHECK(spec_of({{"kind", "stale"}, {"which", "k-th-newest"}, {"k", 1000}}).params["k"] == 1000);
  CHECK(spec_of({{"kind", "equivocate"}, {"lie", "forge"}, {"coalition", "x"}})
            .params["coalition"] == "x");
  CHECK(spec_of({{"kind", "ts-inflate"}, {"margin", 255}}, "sbq-masking", 8).params["margin"] ==
        255);

  // slow
  CHECK(behaviour_error({{"kind", "slow"}}) ==
        kAt + "delay: expected a distribution object (slow requires delay), got nothing");
  CHECK(behaviour_error({{"kind", "slow"}, {"delay", 0.1}}) ==
        kAt + "delay: expected an object, got 0.1");
  CHECK(behaviour_error({{"kind", "slow"}, {"delay", {{"dist", "gauss"}}}}) ==
        kAt + "delay/dist: expected one of constant, uniform, normal, exponential, lognormal, "
              "pareto; got 'gauss'");
  CHECK(behaviour_error({{"kind", "slow"},
                         {"delay", {{"dist", "uniform"}, {"min_s", 0.2}, {"max_s", 0.1}}}}) ==
        kAt + "delay/max_s: expected a number >= min_s = 0.2, got 0.1");
  CHECK(behaviour_error({{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", -1}}}}) ==
        kAt + "delay/value_s: expected a number >= 0, got -1");
  // omit
  CHECK(behaviour_error({{"kind", "omit"}, {"clients", 1}}) ==
        kAt + "clients: expected a list of integers from 0 to 999999, got 1");
  CHECK(behaviour_error({{"kind", "omit"}, {"clients", {0, -1}}}) ==
        kAt + "clients/1: expected an integer from 0 to 999999, got -1");
  CHECK(behaviour_error({{"kind", "omit"}, {"clients", {0, 4}}}) ==
        kAt + "clients/1: expected a client index below workload.clients = 4, got 4");
  CHECK(behaviour_error({{"kind", "omit"}, {"types", {"reed"}}}) ==
        kAt + "types/0: expected one of ts_query, ts_reply, read, read_reply, write, write_ack; "
              "got 'reed' (did you mean 'read'?)");
  CHECK(behaviour_error({{"kind", "omit"}, {"types", "read"}}) ==
        kAt + "types: expected a list of strings among ts_query, ts_reply, read, read_reply, "
              "write, write_ack; got 'read'");
  CHECK(behaviour_error({{"kind", "omit"}, {"direction", "sideways"}}) ==
        kAt + "direction: expected one of in, out, both; got 'sideways'");
  // crash
  CHECK(behaviour_error({{"kind", "crash"}, {"until_s", 5}}) ==
        kAt + "until_s: expected no until_s for crash (it is permanent: use silent for a "
              "window), got 5");
  CHECK(behaviour_error({{"kind", "crash"}, {"from_s", 1}}) ==
        kAt + "from_s: expected no from_s for crash (it starts at at_s), got 1");
  CHECK(behaviour_error({{"kind", "crash"}, {"at_s", -1}}) ==
        kAt + "at_s: expected a number >= 0, got -1");
  CHECK(behaviour_error({{"kind", "crash"}, {"at", 1}}) ==
        kAt + "at: expected kind or a parameter of crash (at_s), got 'at'");
  // stale
  CHECK(behaviour_error({{"kind", "stale"}, {"which", "newest"}}) ==
        kAt + "which: expected one of oldest, k-th-newest; got 'newest'");
  CHECK(behaviour_error({{"kind", "stale"}, {"k", 0}}) ==
        kAt + "k: expected an integer from 1 to 1000, got 0");
  CHECK(behaviour_error({{"kind", "stale"}, {"which", "oldest"}, {"k", 2}}) ==
        kAt + "k: expected no k unless which is k-th-newest, got 2");
  // equivocate
  CHECK(behaviour_error({{"kind", "equivocate"}, {"mode", "by-server"}}) ==
        kAt + "mode: expected one of by-client, by-request; got 'by-server'");
  CHECK(behaviour_error({{"kind", "equivocate"}, {"coalition", "x"}}) ==
        kAt + "coalition: expected no coalition unless lie is forge, got 'x'");
  CHECK(behaviour_error({{"kind", "equivocate"}, {"lie", "forge"}}, "sbq-dissemination") ==
        kAt + "lie: expected stale (sbq-dissemination's values are signed: forged lies need "
              "generic data), got 'forge'");
  CHECK(behaviour_error({{"kind", "equivocate"}}, "sbq-dissemination") == "no error");
  // ts-inflate
  CHECK(behaviour_error({{"kind", "ts-inflate"}, {"margin", 256}}, "sbq-masking", 8) ==
        kAt + "margin: expected an integer <= 2^timestamp_bits - 1 = 255, got 256");
  CHECK(behaviour_error({{"kind", "ts-inflate"}, {"margin", -1}}) ==
        kAt + "margin: expected an integer from 0 to 2^64-1, got -1");
}

TEST_CASE("a buffer pool smaller than n is refused") {
  // Shows protocol.buffers must be 0 (unlimited) or at least n, since an operation locks n
  // buffers at once (§5), checked against the resolved n.
  ProtocolDescription u;
  u.name = "u-test";
  u.families = {QuorumFamily::u_masking};
  const std::vector<ProtocolDescription> protocols = {u};
  const Catalog c{&protocols, &behaviour_registry()};
  const auto read = [&](const std::string& protocol_json) {
    return read_scenario_text(R"({"protocol": )" + protocol_json + "}", "b.json", {}, c);
  };
  CHECK(read(R"({"name": "u-test", "buffers": 0})").protocol.options.buffers == 0);
  CHECK(read(R"({"name": "u-test", "buffers": 5})").protocol.options.buffers == 5);
  CHECK(read(R"({"name": "u-test", "n": 7, "buffers": 9})").protocol.options.buffers == 9);
  CHECK_THROWS_WITH(read(R"({"name": "u-test", "buffers": 4})"),
                    "error: b.json: /protocol/buffers: expected 0 or at least n = 5, got 4");
  CHECK_THROWS_WITH(read(R"({"name": "u-test", "n": 7, "buffers": 6})"),
                    "error: b.json: /protocol/buffers: expected 0 or at least n = 7, got 6");
}

}  // namespace bqsim::test
