// Reading network.faults, fifo links, pre-GST keys and placement (sim/input/scenario_faults.cc,
// scenario_network.cc), and the channel check: what each key becomes, and the one-line errors.
#include <catch2/catch.hpp>

#include "sim/input/value_readers.h"
#include "tests/scenario_fixture.h"

using namespace bqsim;
using bqsim::test::error_of;
using bqsim::test::read;

TEST_CASE("faults are read into their specs, with defaults", "[scenario_reader][faults]") {
  const Scenario s = read(R"({"allow_unsafe": true, "network": {"faults": [
      {"kind": "partition", "from_s": 1, "until_s": 2, "mode": "hold",
       "groups": [["server:0-1"], ["server:2", "client:*"]]},
      {"kind": "link-down", "from": "client:0", "to": "server:3", "from_s": 0.5},
      {"kind": "loss", "probability": 0.2},
      {"kind": "bursty-loss", "p_good_bad": 0.01, "p_bad_good": 0.3, "loss_good": 0.001},
      {"kind": "delay", "to": "server:1-2", "delay": {"dist": "constant", "value_s": 0.05}},
      {"kind": "duplicate", "from": "server:*", "probability": 0.1}]}})");
  const auto& f = s.network.faults;
  REQUIRE(f.size() == 6);
  CHECK(f[0].kind == FaultKind::partition);
  CHECK((f[0].hold && f[0].from_s == 1 && f[0].until_s == 2));
  REQUIRE(f[0].groups.size() == 2);
  CHECK(to_string(f[0].groups[0][0]) == "server:0-1");
  CHECK(to_string(f[0].groups[1][1]) == "client:*");
  CHECK((f[1].kind == FaultKind::link_down && to_string(f[1].from) == "client:0"));
  CHECK(std::isinf(f[1].until_s));
  CHECK((f[2].probability == 0.2 && to_string(f[2].from) == "*" && to_string(f[2].to) == "*"));
  CHECK((f[3].p_good_bad == 0.01 && f[3].p_bad_good == 0.3));
  CHECK((f[3].loss_good == 0.001 && f[3].loss_bad == 1));  // loss_bad defaults to 1
  CHECK((to_string(f[4].to) == "server:1-2" && f[4].delay.a == 0.05));
  CHECK(f[5].probability == 0.1);
  CHECK(s.unsafe);  // link-down, loss and bursty-loss lose messages; sbq-masking needs none lost
}

TEST_CASE("the channel check: reliable protocols refuse lossy networks unless unsafe",
          "[scenario_reader][faults]") {
  const std::string tail = " for sbq-masking (it needs reliable channels; allow_unsafe runs "
                           "it anyway), got ";
  CHECK(error_of(R"({"network": {"loss_probability": 0.01}})") ==
        "error: dir/test.json: /network/loss_probability: expected 0" + tail + "0.01");
  CHECK(error_of(R"({"network": {"links": [{"from": "*", "to": "server:0",
                                             "loss_probability": 0.3}]}})") ==
        "error: dir/test.json: /network/links/0/loss_probability: expected 0" + tail + "0.3");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "bursty-loss", "p_good_bad": 0.1,
                                              "p_bad_good": 0.1}]}})") ==
        "error: dir/test.json: /network/faults/0/kind: expected a fault that loses no "
        "message" + tail + "'bursty-loss'");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "partition", "mode": "drop",
                                              "groups": [["client:*"]]}]}})") ==
        "error: dir/test.json: /network/faults/0/mode: expected 'hold'" + tail + "'drop'");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "partition", "mode": "hold",
                                              "groups": [["client:*"]]}]}})") ==
        "error: dir/test.json: /network/faults/0/until_s: expected a heal time for a hold "
        "partition" + tail + "nothing (it never heals)");
  // What loses nothing is accepted as it is: a healing hold, delays, duplicates, loss 0.
  const Scenario ok = read(R"({"network": {"faults": [
      {"kind": "partition", "mode": "hold", "until_s": 3, "groups": [["client:*"]]},
      {"kind": "delay", "delay": {"dist": "constant", "value_s": 0.01}},
      {"kind": "duplicate", "probability": 1},
      {"kind": "loss", "probability": 0}]}})");
  CHECK_FALSE(ok.unsafe);
  // Protocols made for fair-loss channels take every fault.
  CHECK_FALSE(read(R"({"protocol": {"name": "u-masking"}, "network": {"loss_probability": 0.1,
      "faults": [{"kind": "link-down", "from": "client:*"}]}})")
                  .unsafe);
}

TEST_CASE("fault keys are checked against their declarations", "[scenario_reader][faults]") {
  CHECK(error_of(R"({"network": {"faults": [{"kind": "delay", "probability": 0.1,
                                              "delay": {"dist": "constant", "value_s": 0}}]}})") ==
        "error: dir/test.json: /network/faults/0/probability: expected one of kind, from_s, "
        "until_s or a parameter of delay (from, to, delay); got 'probability'");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "duplicate", "probability": 1.5}]}})") ==
        "error: dir/test.json: /network/faults/0/probability: expected a number from 0 to 1, "
        "got 1.5");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "duplicate", "probability": 0.5,
                                              "from_s": 2, "until_s": 2}]}})") ==
        "error: dir/test.json: /network/faults/0/until_s: expected a number > from_s = 2, "
        "got 2");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "duplicate", "probability": 0.5,
                                              "to": "client:3"}]}})") ==
        "error: dir/test.json: /network/faults/0/to: expected a client index below "
        "workload.clients = 1, got 'client:3'");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "partition", "mode": "hold",
                                              "until_s": 1, "groups": []}]}})") ==
        "error: dir/test.json: /network/faults/0/groups: expected a non-empty list of "
        "non-empty lists of node patterns, got an empty list");
  CHECK(error_of(R"({"network": {"faults": [{"kind": "delay"}]}})") ==
        "error: dir/test.json: /network/faults/0/delay: expected a distribution object (delay "
        "requires delay), got nothing");
}

TEST_CASE("fifo, pre-GST and placement keys", "[scenario_reader][faults]") {
  const Scenario s = read(R"({"network": {"synchrony": "partial", "bound_s": 0.01, "gst_s": 2,
      "pre_gst_delay": {"dist": "uniform", "min_s": 0.02, "max_s": 0.5},
      "pre_gst_hold": [{"from": "server:0", "to": "client:*"}],
      "links": [{"from": "client:*", "to": "*", "fifo": true}]}})");
  CHECK((s.network.pre_gst_delay && s.network.pre_gst_delay->b == 0.5));
  REQUIRE(s.network.pre_gst_hold.size() == 1);
  CHECK(to_string(s.network.pre_gst_hold[0].first) == "server:0");
  CHECK(s.network.links.at(0).fifo == true);
  CHECK(error_of(R"({"network": {"pre_gst_delay": {"dist": "constant", "value_s": 1}}})") ==
        "error: dir/test.json: /network/pre_gst_delay: expected no pre_gst_delay unless "
        "network.synchrony is partial, got an object");
  CHECK(error_of(R"({"network": {"model": "bandwidth",
                                 "links": [{"from": "*", "to": "*", "fifo": true}]}})") ==
        "error: dir/test.json: /network/links/0/fifo: expected false with network.model "
        "bandwidth (fifo needs the latency model), got true");
  CHECK(error_of(R"({"network": {"placement": [{"nodes": "*", "hosts": ["a"]}]}})") ==
        "error: dir/test.json: /network/placement: expected no placement without "
        "network.platform_file (nodes have their own hosts), got a list");
}
