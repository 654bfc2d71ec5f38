// Simulation tests: each runs `bqsim run` in a subprocess and checks the closed forms of
// PROTOCOLS.md §7, the semantics under adversaries within and beyond f, and reproducibility.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/model/quorum.h"
#include "tests/sim_fixture.h"

using bqsim::test::base_scenario;
using bqsim::test::has_violation;
using bqsim::test::sent;
using bqsim::test::simulate;
using nlohmann::json;

namespace {

int min_n(const std::string& protocol, int f) {
  return protocol == "mr-masking" ? 4 * f + 1 : 3 * f + 1;
}

}  // namespace

TEST_CASE("constant delay gives the closed-form latencies and message counts", "[sim][closed-form]") {
  // Read 2d for both; MR write 4d; SBQ write returns at 2d and is effective at 3d (§7).
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    for (int f : {1, 2}) {
      for (double d : {0.001, 0.0125}) {
        CAPTURE(protocol, f, d);
        json sc = base_scenario(protocol, f);
        sc["network"]["delay"]["value_s"] = d;
        sc["workload"]["ops_per_client"] = 30;
        auto r = simulate(sc);
        REQUIRE(r.exit_code == 0);
        const int n = min_n(protocol, f);
        int reads = 0, writes = 0;
        for (const auto& op : r.ops) {
          REQUIRE(op.outcome == "ok");
          if (op.kind == "read") {
            ++reads;
            CHECK(op.latency_s == Approx(2 * d).epsilon(1e-9));
          } else {
            ++writes;
            const double expected = protocol == "mr-masking" ? 4 * d : 2 * d;
            CHECK(op.latency_s == Approx(expected).epsilon(1e-9));
            // MR: effective no later than the return; SBQ: one delay after the store is sent.
            const double effective = 3 * d;
            CHECK(op.effective_s - op.invoke_s == Approx(effective).epsilon(1e-9));
          }
        }
        REQUIRE(reads + writes == 30);
        REQUIRE(reads > 0);
        REQUIRE(writes > 0);
        CHECK(sent(r, "read") == static_cast<uint64_t>(n * reads));
        CHECK(sent(r, "read_reply") == static_cast<uint64_t>(n * reads));
        CHECK(sent(r, "ts_query") == static_cast<uint64_t>(n * writes));
        CHECK(sent(r, "ts_reply") == static_cast<uint64_t>(n * writes));
        CHECK(sent(r, "write") == static_cast<uint64_t>(n * writes));
        CHECK(sent(r, "write_ack") == static_cast<uint64_t>(protocol == "mr-masking" ? n * writes : 0));
        for (const auto& [type, c] : r.messages) {
          CHECK(c["delivered"] == c["sent"]);  // no loss: every message, late or not, arrives
        }
      }
    }
  }
}

TEST_CASE("extra servers keep read quorums and message counts scale with n", "[sim][closed-form]") {
  // sbq-masking above the minimum: still 2d reads, 2n messages per read.
  json sc = base_scenario("sbq-masking", 1);
  sc["protocol"]["n"] = 7;
  sc["workload"]["read_fraction"] = 1.0;
  auto r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.ops.size() == 20);
  for (const auto& op : r.ops) CHECK(op.latency_s == Approx(0.002).epsilon(1e-9));
  CHECK(sent(r, "read") == 7 * 20);
  CHECK(sent(r, "read_reply") == 7 * 20);
}

namespace {

// A random-delay run of `protocol` with `f` Byzantine servers running `behaviour`: three
// clients, 40 operations each, seed `seed`.
bqsim::test::SimRun run_within_f(const std::string& protocol, int seed, int f,
                                 const json& behaviour, double read_fraction) {
  json sc = base_scenario(protocol, f);
  sc["seed"] = seed;
  sc["workload"] = {{"clients", 3}, {"ops_per_client", 40}, {"read_fraction", read_fraction},
                    {"think_time", {{"dist", "exponential"}, {"mean_s", 0.001}}}};
  sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};
  sc["byzantine"] = json::array({{{"count", f}, {"behaviours", {behaviour}}}});
  return simulate(sc);
}

}  // namespace

TEST_CASE("f silent servers never break safety or liveness", "[sim][adversary]") {
  // Every protocol stays live and safe with f silent servers, over many seeds and random delays.
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    for (int seed = 1; seed <= 12; ++seed) {
      const int f = 1 + seed % 2;
      CAPTURE(protocol, seed, f);
      auto r = run_within_f(protocol, seed, f, {{"kind", "silent"}}, 0.6);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      CHECK(r.summary["checker"]["stuck"] == 0);
      CHECK(r.ops.size() == 120);
    }
  }
}

TEST_CASE("f colluding forgers never get a forged value read", "[sim][adversary]") {
  // With at most f forgers the f+1 vouching rule rejects the forged pair, whatever the seed.
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    for (int seed = 1; seed <= 12; ++seed) {
      const int f = 1 + seed % 2;
      CAPTURE(protocol, seed, f);
      auto r = run_within_f(protocol, seed, f, {{"kind", "forge"}, {"coalition", "liars"}}, 0.7);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      for (const auto& op : r.ops) CHECK(op.value.rfind("forged", 0) != 0);
      // The attack really happened: forged replies were sent.
      CHECK(r.summary["byzantine"]["fired"].value("forge/forge_reply", 0) > 0);
    }
  }
}

TEST_CASE("f+1 colluding forgers make the checker report a forged read", "[sim][adversary][unsafe]") {
  // One forger more than tolerated (allow_unsafe): sbq-masking and mr-masking return the
  // forged pair, the checker reports it, and the run exits 1.
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    CAPTURE(protocol);
    json sc = base_scenario(protocol, 1);
    sc["allow_unsafe"] = true;
    // Think time above the delay: no read overlaps a write, so safe semantics apply in full.
    sc["workload"] = {{"clients", 1}, {"ops_per_client", 60}, {"read_fraction", 0.7},
                      {"think_time", {{"dist", "constant"}, {"value_s", 0.01}}}};
    sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};
    sc["byzantine"] =
        json::array({{{"count", 2}, {"behaviours", {{{"kind", "forge"}, {"coalition", "liars"}}}}}});
    auto r = simulate(sc);
    CHECK(r.exit_code == 1);
    REQUIRE(r.has_manifest);
    CHECK(r.summary["unsafe"] == true);
    CHECK(r.summary["checker"]["verdict"] == "violation");
    CHECK(r.summary["checker"]["safe"] == false);
    CHECK(has_violation(r, "forged-value"));
  }
}

TEST_CASE("the same scenario and seed give byte-identical traces", "[sim][reproducibility]") {
  // Reproducibility: same seed, same bytes; another seed, other bytes (random delays).
  json sc = base_scenario("sbq-masking", 2);
  sc["workload"] = {{"clients", 4}, {"ops_per_client", 50}, {"read_fraction", 0.5},
                    {"think_time", {{"dist", "exponential"}, {"mean_s", 0.002}}}};
  sc["network"]["delay"] = {{"dist", "lognormal"}, {"median_s", 0.001}, {"sigma", 0.7}};
  sc["byzantine"] = json::array({{{"servers", {0}}, {"behaviours", {{{"kind", "silent"}}}}}});
  auto a = simulate(sc);
  auto b = simulate(sc);
  auto c = simulate(sc, {"--seed", "2"});
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  REQUIRE(c.exit_code == 0);
  CHECK(a.ops_csv == b.ops_csv);
  CHECK(a.messages_csv == b.messages_csv);
  CHECK(a.summary == b.summary);
  CHECK(a.ops_csv != c.ops_csv);
}

TEST_CASE("the bandwidth model adds size over shared bandwidth to the delay",
          "[sim][network][simgrid]") {
  // One client reads from n servers: its n requests share its link, then the n replies do.
  // Read latency = 2d + n*(request bytes)/B + n*(reply bytes)/B with zero link latency.
  json sc = base_scenario("sbq-masking", 1);
  const double d = 0.002, bw = 1e6;
  const int value_bytes = 1000;
  sc["workload"] = {{"clients", 1}, {"ops_per_client", 5}, {"read_fraction", 1.0},
                    {"value_bytes", value_bytes}};
  sc["network"] = {{"model", "bandwidth"},
                   {"bandwidth_Bps", bw},
                   {"delay", {{"dist", "constant"}, {"value_s", d}}}};
  auto r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.ops.size() == 5);
  const int n = 4;
  const double request = 32, reply = 32 + value_bytes;
  const double expected = 2 * d + n * request / bw + n * reply / bw;
  for (const auto& op : r.ops) CHECK(op.latency_s == Approx(expected).epsilon(1e-6));
}

TEST_CASE("partial synchrony bounds every delay after GST", "[sim][network]") {
  // Before GST delays follow the distribution; a message sent at s is delivered by
  // max(s, GST) + bound. With a 1 s constant delay, bound 2 ms and GST 0: reads take 4 ms.
  json sc = base_scenario("sbq-masking", 1);
  sc["workload"]["read_fraction"] = 1.0;
  sc["network"] = {{"synchrony", "partial"},
                   {"bound_s", 0.002},
                   {"gst_s", 0.0},
                   {"delay", {{"dist", "constant"}, {"value_s", 1.0}}}};
  auto r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.ops.size() == 20);
  for (const auto& op : r.ops) CHECK(op.latency_s == Approx(0.004).epsilon(1e-9));
}

TEST_CASE("before GST delays follow the distribution, after it the bound holds", "[sim][network]") {
  // GST at 2.5 s, delay 1 s, bound 2 ms: a read sent at 0 takes 1 s each way (its reply, sent
  // at 1 s, is due at 2 s < GST + bound); the second read, sent at 2 s, has its request due at
  // min(3 s, 2.5 s + 2 ms) and its reply at the reply's send time + 2 ms.
  json sc = base_scenario("sbq-masking", 1);
  sc["workload"] = {{"clients", 1}, {"ops_per_client", 3}, {"read_fraction", 1.0}};
  sc["network"] = {{"synchrony", "partial"},
                   {"bound_s", 0.002},
                   {"gst_s", 2.5},
                   {"delay", {{"dist", "constant"}, {"value_s", 1.0}}}};
  auto r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.ops.size() == 3);
  CHECK(r.ops[0].latency_s == Approx(2.0).epsilon(1e-12));
  CHECK(r.ops[1].invoke_s == Approx(2.0).epsilon(1e-12));
  CHECK(r.ops[1].return_s == Approx(2.504).epsilon(1e-12));
  CHECK(r.ops[2].latency_s == Approx(0.004).epsilon(1e-9));
}

TEST_CASE("a behaviour that never fired is reported per server", "[sim][adversary]") {
  // Server 0 is silent from the start, server 1 only long after the run ends: the summary must
  // name server 1's behaviour as never fired, and not server 0's.
  json sc = base_scenario("mr-masking", 2);
  sc["byzantine"] = json::array({{{"servers", {0}}, {"behaviours", {{{"kind", "silent"}}}}},
                                 {{"servers", {1}},
                                  {"behaviours", {{{"kind", "silent"}, {"from_s", 1000.0}}}}}});
  auto r = simulate(sc);
  REQUIRE(r.exit_code == 0);
  CHECK(r.summary["byzantine"]["configured_but_never_fired"] == json::array({"silent on server 1"}));
  CHECK(r.summary["byzantine"]["fired"]["silent/drop"].get<uint64_t>() > 0);
}

TEST_CASE("a SimGrid platform file is used, and a broken one is bad input",
          "[sim][network][simgrid]") {
  // A routed two-host platform runs (a placement rule shares its hosts round robin among
  // the five nodes); a file SimGrid cannot
  // parse, or one whose hosts have no route, exits 2 with one line and no output directory.
  const auto dir = bqsim::test::temp_dir("platform");
  const std::string head =
      "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\"><zone id=\"w\" routing=\"Full\">";
  const std::string route =
      "<link id=\"l\" bandwidth=\"1MBps\" latency=\"1ms\"/>"
      "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>";
  const auto write = [&](const std::string& name, const std::string& speed, bool routed) {
    std::ofstream(dir / name) << head << "<host id=\"a\" speed=\"" << speed << "\"/>"
                              << "<host id=\"b\" speed=\"" << speed << "\"/>"
                              << (routed ? route : "") << "</zone></platform>\n";
  };
  write("good.xml", "1Gf", true);
  write("unparsable.xml", "oops", true);
  write("unrouted.xml", "1Gf", false);
  json sc = base_scenario("sbq-masking", 1);
  sc["workload"]["read_fraction"] = 1.0;
  sc["network"]["model"] = "bandwidth";
  sc["network"]["placement"] = json::array({{{"nodes", "*"}, {"hosts", "*"}}});
  for (const std::string file : {"good.xml", "unparsable.xml", "unrouted.xml"}) {
    CAPTURE(file);
    sc["network"]["platform_file"] = (dir / file).string();
    auto r = simulate(sc);
    if (file == "good.xml") {
      CHECK(r.exit_code == 0);
      CHECK(r.ops.size() == 20);
    } else {
      CHECK(r.exit_code == 2);
      CHECK_FALSE(r.has_manifest);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      CHECK(r.err.find("/network/platform_file: expected a SimGrid platform with hosts, got ") !=
            std::string::npos);
    }
  }
  std::filesystem::remove_all(dir);
}
