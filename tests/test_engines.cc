// Cross-engine identity: `--engine simgrid` and `--engine native` write byte-identical
// ops.csv, messages.csv, summary.json (and buffers.csv) for the same scenario and seed, over
// every shipped scenario (sweeps expanded point by point) and every protocol x adversary x
// network combination the simulation tests use, including the cases where simultaneous events
// decide the trace: zero delays, delays that tie, CPU time, buffers, losses with
// retransmissions, time-outs, slow adversaries, and the time and message limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/sim_fixture.h"

using bqsim::test::base_scenario;
using bqsim::test::read_text;
using bqsim::test::simulate;
using bqsim::test::SimRun;
using bqsim::test::source_path;
using nlohmann::json;

namespace {

// Runs `sc` (with `sets` as --set overrides) on both engines and checks the outputs are the
// same bytes. Returns the SimGrid run, for callers that check it did what they meant.
SimRun same_on_both_engines(const json& sc, const std::vector<std::string>& sets = {}) {
  std::vector<std::string> args;
  for (const auto& s : sets) args.insert(args.end(), {"--set", s});
  std::vector<std::string> on_simgrid = args, on_native = args;
  on_simgrid.insert(on_simgrid.end(), {"--engine", "simgrid"});
  on_native.insert(on_native.end(), {"--engine", "native"});
  const SimRun a = simulate(sc, on_simgrid);
  const SimRun b = simulate(sc, on_native);
  INFO("simgrid stderr: " << a.err << "native stderr: " << b.err);
  REQUIRE(a.has_manifest);
  REQUIRE(b.has_manifest);
  CHECK(a.exit_code == b.exit_code);
  CHECK(a.ops_csv == b.ops_csv);
  CHECK(a.messages_csv == b.messages_csv);
  CHECK(a.summary_json == b.summary_json);
  CHECK(a.buffers_csv == b.buffers_csv);
  CHECK(a.events_csv == b.events_csv);
  return a;
}

// The --set assignments of every point of a sweep block, in the batch runner's order.
std::vector<std::vector<std::string>> sweep_points(const json& sweep) {
  std::vector<std::vector<std::string>> points = {{}};
  for (const auto& [path, values] : sweep.items()) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points) {
      for (const auto& v : values) {
        auto q = p;
        q.push_back(path + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
        next.push_back(q);
      }
    }
    points = next;
  }
  return points;
}

}  // namespace

TEST_CASE("every shipped scenario writes the same traces on both engines", "[engines]") {
  // Each point of each scenario under scenarios/ that bqsim runs (the explorer's too; not the
  // schema or a mutation list), with two seeds: the engines agree byte for byte. A scenario of
  // what only SimGrid models (bandwidth, platform files) is run by the SimGrid engine alone.
  int points = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(source_path("scenarios"))) {
    if (entry.path().extension() != ".json") continue;
    if (bqsim::test::run_bqsim({"validate", entry.path().string()}).exit_code != 0) continue;
    json sc = json::parse(read_text(entry.path()));
    const json net = sc.value("network", json::object());
    if (net.value("model", "latency") == "bandwidth" || net.contains("platform_file")) continue;
    const json sweep = sc.value("sweep", json::object());
    sc.erase("sweep");
    for (const auto& point : sweep_points(sweep)) {
      for (int seed : {1, 2}) {
        CAPTURE(entry.path().filename().string(), point, seed);
        sc["seed"] = seed;
        same_on_both_engines(sc, point);
        ++points;
      }
    }
  }
  CHECK(points >= 2 * 44);  // the scenarios shipped when this test was written
}

namespace {

struct Variant {
  std::string protocol, data;
  bool self_verifying, sync, u;
};

const std::vector<Variant> kVariants = {
    {"mr-masking", "", false, false, false},
    {"sbq-masking", "", false, false, false},
    {"mr-dissemination", "", true, false, false},
    {"sbq-dissemination", "", true, false, false},
    {"sync-threshold", "generic", false, true, false},
    {"sync-threshold", "self-verifying", true, true, false},
    {"u-masking", "", false, false, true},
    {"u-dissemination", "", true, false, true},
};

// One behaviour per kind, as test_attacks.cc scripts them (forgers only on generic data).
std::vector<json> behaviours(bool self_verifying) {
  std::vector<json> out = {
      {{"kind", "silent"}, {"from_s", 0.005}},
      {{"kind", "crash"}, {"at_s", 0.01}},
      {{"kind", "stale"}, {"which", "oldest"}},
      {{"kind", "equivocate"}, {"mode", "by-request"}, {"lie", "stale"}},
      {{"kind", "slow"}, {"delay", {{"dist", "exponential"}, {"mean_s", 0.003}}}},
      {{"kind", "omit"}, {"types", {"read"}}, {"direction", "in"}},
      {{"kind", "ts-inflate"}, {"margin", uint64_t{1} << 40}},
  };
  if (!self_verifying) out.push_back({{"kind", "forge"}, {"coalition", "liars"}});
  return out;
}

// The network of the run: random or tied delays, some zero, losses for the u-protocols,
// bounded delays on sync networks.
json network(const Variant& v, int seed) {
  if (v.sync) {
    // Uniform on a grid of ties would need the sync bound; a constant delay ties everywhere.
    return seed % 2 == 0
               ? json{{"synchrony", "sync"}, {"bound_s", 0.002},
                      {"delay", {{"dist", "constant"}, {"value_s", 0.001}}}}
               : json{{"synchrony", "sync"}, {"bound_s", 0.002},
                      {"delay", {{"dist", "uniform"}, {"min_s", 0.0}, {"max_s", 0.002}}}};
  }
  json net;
  switch (seed % 3) {
    case 0: net["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}}; break;
    // A normal truncated at 0 that often draws exactly 0: zero-delay messages.
    case 1: net["delay"] = {{"dist", "normal"}, {"mean_s", 0.0}, {"sd_s", 0.0}}; break;
    default: net["delay"] = {{"dist", "constant"}, {"value_s", 0.001}}; break;
  }
  if (seed % 3 == 1) {
    // Zero delays everywhere but on the clients' links: whole rounds at one instant.
    net["links"] = json::array(
        {{{"from", "client:*"}, {"to", "*"}, {"delay", {{"dist", "uniform"}, {"min_s", 0.0},
                                                        {"max_s", 0.001}}}}});
  }
  if (v.u) net["loss_probability"] = 0.05;
  return net;
}

json combination(const Variant& v, const json& behaviour, int seed) {
  json sc = base_scenario(v.protocol, 1);
  sc["seed"] = seed;
  if (!v.data.empty()) sc["protocol"]["data"] = v.data;
  if (v.self_verifying) {
    sc["protocol"]["signature_bytes"] = 64;
    // CPU time makes a node busy: its sends and next events wait for it.
    if (seed % 2 == 1) sc["protocol"]["sign_cpu_s"] = 0.0002;
  }
  if (v.u && seed % 2 == 0) sc["protocol"]["buffers"] = 5;
  sc["workload"] = {{"clients", 3}, {"ops_per_client", 15}, {"read_fraction", 0.6},
                    {"concurrency", 1 + seed % 2}, {"registers", 1 + seed % 2},
                    {"think_time", seed % 2 == 0
                                       ? json{{"dist", "constant"}, {"value_s", 0.0}}
                                       : json{{"dist", "exponential"}, {"mean_s", 0.001}}}};
  sc["network"] = network(v, seed);
  sc["byzantine"] = json::array({{{"count", 1}, {"behaviours", {behaviour}}}});
  return sc;
}

}  // namespace

TEST_CASE("every protocol, adversary and network writes the same traces on both engines",
          "[engines]") {
  // Protocols x behaviours within f x networks (zero, tied and random delays, loss), with CPU
  // time, buffers, concurrent operations and several registers varied by seed.
  for (const auto& v : kVariants) {
    for (const auto& b : behaviours(v.self_verifying)) {
      for (int seed = 1; seed <= 3; ++seed) {
        CAPTURE(v.protocol, v.data, b.dump(), seed);
        same_on_both_engines(combination(v, b, seed));
      }
    }
  }
}

TEST_CASE("time-outs, partial synchrony and the limits end both engines alike", "[engines]") {
  // sync-threshold beyond t silent servers pays the time-out T, a tie with replies due at T.
  json sync = base_scenario("sync-threshold", 1);
  sync["protocol"]["t"] = 0;
  sync["protocol"]["timeout_s"] = 0.004;
  sync["network"] = {{"synchrony", "sync"}, {"bound_s", 0.002},
                     {"delay", {{"dist", "constant"}, {"value_s", 0.002}}}};
  sync["byzantine"] = json::array({{{"servers", {0}}, {"behaviours", {{{"kind", "silent"}}}}}});
  for (int seed = 1; seed <= 3; ++seed) {
    sync["seed"] = seed;
    CAPTURE(seed);
    same_on_both_engines(sync);
  }
  // Partial synchrony: delays capped after GST.
  json partial = base_scenario("sbq-masking", 1);
  partial["network"] = {{"synchrony", "partial"}, {"bound_s", 0.001}, {"gst_s", 0.01},
                        {"delay", {{"dist", "pareto"}, {"scale_s", 0.0005}, {"shape", 1.2}}}};
  same_on_both_engines(partial);
  // mr-masking stuck under loss (it assumes reliable channels: allow_unsafe): the run ends at
  // the time limit, on both engines at once.
  json stuck = base_scenario("mr-masking", 1);
  stuck["allow_unsafe"] = true;
  stuck["network"]["loss_probability"] = 0.2;
  stuck["limits"] = {{"max_sim_time_s", 0.5}};
  const SimRun s = same_on_both_engines(stuck);
  CHECK(s.summary["checker"]["time_limit_hit"] == true);
  // The message limit stops both at the same send, with zero delays in play.
  json limited = base_scenario("sbq-masking", 1);
  limited["workload"]["clients"] = 4;
  limited["network"]["delay"] = {{"dist", "constant"}, {"value_s", 0.0}};
  limited["limits"] = {{"max_messages", 301}};
  const SimRun l = same_on_both_engines(limited);
  CHECK(l.summary["checker"]["message_limit_hit"] == true);
  CHECK(l.summary["messages"]["total"]["sent"] == 301);
}

TEST_CASE("network faults write the same traces on both engines", "[engines]") {
  // Scheduled faults (sim/run/fault_schedule): duplicates (copy numbers in the key), hold
  // partitions (delivery at the heal: many messages due at one instant), drop partitions and
  // bursty loss (u-protocols retransmit), delay faults, and fifo links.
  const json hold = {{"kind", "partition"}, {"from_s", 0.01}, {"until_s", 0.03}, {"mode", "hold"},
                     {"groups", {{"server:0-1"}}}};
  const json drop = {{"kind", "partition"}, {"from_s", 0.005}, {"until_s", 0.02},
                     {"mode", "drop"}, {"groups", {{"server:0"}}}};
  const json dup = {{"kind", "duplicate"}, {"probability", 0.3}};
  const json slow = {{"kind", "delay"}, {"to", "server:2"},
                     {"delay", {{"dist", "constant"}, {"value_s", 0.001}}}};
  const json bursty = {{"kind", "bursty-loss"}, {"p_good_bad", 0.05}, {"p_bad_good", 0.3}};
  struct Case {
    std::string protocol;
    json faults;
    bool fifo;
  };
  const std::vector<Case> cases = {
      {"sbq-masking", json::array({hold, dup}), false},
      {"mr-masking", json::array({dup, slow}), true},
      {"sbq-dissemination", json::array({hold, slow}), false},
      {"u-masking", json::array({drop, bursty, dup}), false},
      {"u-dissemination", json::array({drop, hold}), true},
  };
  for (const auto& c : cases) {
    for (int seed = 1; seed <= 3; ++seed) {
      CAPTURE(c.protocol, c.faults.dump(), c.fifo, seed);
      json sc = base_scenario(c.protocol, 1);
      sc["seed"] = seed;
      sc["workload"] = {{"clients", 3}, {"ops_per_client", 20}, {"read_fraction", 0.5},
                        {"registers", 2}};
      sc["network"]["delay"] = seed == 2 ? json{{"dist", "constant"}, {"value_s", 0.001}}
                                         : json{{"dist", "exponential"}, {"mean_s", 0.001}};
      sc["network"]["faults"] = c.faults;
      if (c.fifo) {
        sc["network"]["links"] = json::array({{{"from", "*"}, {"to", "*"}, {"fifo", true}}});
      }
      same_on_both_engines(sc);
    }
  }
}

TEST_CASE("the native engine refuses what only SimGrid models, with one line", "[engines]") {
  // The bandwidth model and platform files are SimGrid's: exit 2, the field named, no output.
  json sc = base_scenario("sbq-masking", 1);
  sc["network"]["model"] = "bandwidth";
  const SimRun r = simulate(sc, {"--engine", "native"});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(r.has_manifest);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("/network/model: expected \"latency\" with engine \"native\"") !=
        std::string::npos);
  // The scenario field says the same as the option.
  sc["engine"] = "native";
  const SimRun f = simulate(sc);
  CHECK(f.exit_code == 2);
  CHECK(f.err.find("/network/model: expected \"latency\" with engine \"native\"") !=
        std::string::npos);
  // A platform file, on the latency model too: its routes are SimGrid's.
  json plat = base_scenario("sbq-masking", 1);
  plat["network"]["platform_file"] = source_path("scenarios/platforms/six-hosts.xml");
  const SimRun p = simulate(plat, {"--engine", "native"});
  CHECK(p.exit_code == 2);
  CHECK_FALSE(p.has_manifest);
  CHECK(std::count(p.err.begin(), p.err.end(), '\n') == 1);
  CHECK(p.err.find("/network/platform_file: expected no platform file with engine "
                   "\"native\"") != std::string::npos);
}

TEST_CASE("the engine is recorded in the manifest, never in the hash or the summary",
          "[engines]") {
  // Runs on either engine share one scenario hash; only manifest.json says which engine ran.
  const json sc = base_scenario("sbq-masking", 1);
  const auto dir = bqsim::test::temp_dir("engine-manifest");
  const auto file = dir / "scenario.json";
  std::ofstream(file) << sc.dump();
  json manifests[2];
  int i = 0;
  for (const std::string engine : {"simgrid", "native"}) {
    const auto out = dir / engine;
    const auto p = bqsim::test::run_bqsim(
        {"run", file.string(), "--out", out.string(), "-q", "--engine", engine});
    REQUIRE(p.exit_code == 0);
    manifests[i] = json::parse(read_text(out / "manifest.json"));
    CHECK(manifests[i]["engine"] == engine);
    CHECK_FALSE(json::parse(read_text(out / "summary.json")).contains("engine"));
    ++i;
  }
  CHECK(manifests[0]["scenario_hash"] == manifests[1]["scenario_hash"]);
  std::filesystem::remove_all(dir);
}
