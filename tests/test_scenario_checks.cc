// The scenario reader's range and consistency checks, in-process against a small fake catalog
// (tests/scenario_fixture.h): distributions, synchrony, protocol options, Byzantine servers and
// the workload, each error at its exact pointer.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/input/scenario_reader.h"
#include "tests/scenario_fixture.h"

namespace bqsim::test {

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
  // Loss is a simulated fault, allowed on async networks for the protocols made for it; the
  // others need reliable channels, so it makes their run unsafe (test_network_faults.cc).
  CHECK(read(R"({"protocol": {"name": "u-masking"}, "network": {"loss_probability": 0.5}})")
            .network.loss_probability == 0.5);
  const Scenario unsafe = read(R"({"allow_unsafe": true, "network": {"loss_probability": 0.5}})");
  CHECK((unsafe.network.loss_probability == 0.5 && unsafe.unsafe));
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

}  // namespace bqsim::test
