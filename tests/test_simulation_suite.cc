// Simulation suite over every protocol: the closed forms of PROTOCOLS.md §7 (latency and exact
// message counts under constant delay), message accounting with loss and retransmissions (§5),
// semantics under adversaries within f over many seeds, sync-threshold's self-timing, extra
// servers making SBQ reads faster (§3), finite buffers (§5), and the violations theory predicts
// below the minimum n or beyond f. Each simulation is one `bqsim run` in a subprocess.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tests/sim_fixture.h"

using bqsim::test::base_scenario;
using bqsim::test::has_violation;
using bqsim::test::sent;
using bqsim::test::simulate;
using bqsim::test::SimRun;
using nlohmann::json;

namespace {

// One protocol configuration as the suite exercises it.
struct Proto {
  std::string label;  // what failures print
  std::string name;   // protocol.name
  std::string data;   // sync-threshold's `data` option; empty for the others
  bool self_verifying = false;
  bool sbq = false;   // SBQ writes: sent to all, no acknowledgements (§4)
  bool sync = false;  // needs a sync network
  bool u = false;     // retransmits on a lossy network
};

const std::vector<Proto>& all_protocols() {
  static const std::vector<Proto> kAll = {
      {"mr-masking", "mr-masking", "", false, false, false, false},
      {"sbq-masking", "sbq-masking", "", false, true, false, false},
      {"mr-dissemination", "mr-dissemination", "", true, false, false, false},
      {"sbq-dissemination", "sbq-dissemination", "", true, true, false, false},
      {"sync-threshold/generic", "sync-threshold", "generic", false, false, true, false},
      {"sync-threshold/self-verifying", "sync-threshold", "self-verifying", true, false, true,
       false},
      {"u-masking", "u-masking", "", false, false, false, true},
      {"u-dissemination", "u-dissemination", "", true, false, false, true},
  };
  return kAll;
}

const Proto& protocol(const std::string& label) {
  for (const auto& p : all_protocols()) {
    if (p.label == label) return p;
  }
  FAIL("no protocol labelled " << label);
  throw;  // unreachable: FAIL throws
}

// n_min(f, t) of PROTOCOLS.md §3.
int min_n(const Proto& p, int f, int t = 0) {
  if (p.sync) return (p.self_verifying ? f + 1 : 2 * f + 1) + t;
  if (p.sbq) return p.self_verifying ? 2 * f + 1 : 3 * f + 1;
  return p.self_verifying ? 3 * f + 1 : 4 * f + 1;  // MR counts, also for the u-protocols
}

// Constant one-way delay d. Sync networks get bound_s = 2d, so the default time-out
// T = 2 * bound_s = 4d never ties with a phase that ends on replies at 2d.
json scenario(const Proto& p, int f, double d = 0.001) {
  json sc = base_scenario(p.name, f);
  sc["network"]["delay"]["value_s"] = d;
  if (!p.data.empty()) sc["protocol"]["data"] = p.data;
  if (p.sync) {
    sc["network"]["synchrony"] = "sync";
    sc["network"]["bound_s"] = 2 * d;
  }
  if (p.self_verifying) sc["protocol"]["signature_bytes"] = 64;  // bytes only: no CPU cost
  return sc;
}

// Random delays for the semantics tests: bounded on sync networks, exponential elsewhere.
void random_delays(json& sc, const Proto& p) {
  if (p.sync) {
    sc["network"]["delay"] = {{"dist", "uniform"}, {"min_s", 0.0002}, {"max_s", 0.002}};
  } else {
    sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};
  }
}

json busy_workload(int clients, int ops) {
  return {{"clients", clients}, {"ops_per_client", ops}, {"read_fraction", 0.6},
          {"think_time", {{"dist", "exponential"}, {"mean_s", 0.001}}}};
}

json byzantine(const json& servers_or_count, const std::string& kind) {
  json entry = {{"behaviours", {{{"kind", kind}}}}};
  if (kind == "forge") entry["behaviours"][0]["coalition"] = "liars";
  entry[servers_or_count.is_array() ? "servers" : "count"] = servers_or_count;
  return json::array({entry});
}

uint64_t stuck(const SimRun& r) { return r.summary["checker"]["stuck"].get<uint64_t>(); }

bool returned(const bqsim::test::OpRow& op) { return op.return_s >= 0; }

bool forged_label(const std::string& value) { return value.rfind("forged", 0) == 0; }

}  // namespace

TEST_CASE("every protocol meets its closed forms under constant delay", "[sim][suite][closed-form]") {
  // §7 closed forms: read 2d, write 4d (SBQ 2d), effective 3d; 2n/4n/3n messages per op.
  // Acknowledged writes (MR, U, sync) take a timestamp phase and an acknowledged store; SBQ
  // writes return on sending the store. Every message arrives (no loss), none is resent.
  for (const auto& p : all_protocols()) {
    for (int f : {1, 2}) {
      for (double d : {0.001, 0.0125}) {
        CAPTURE(p.label, f, d);
        json sc = scenario(p, f, d);
        sc["workload"]["ops_per_client"] = 30;
        SimRun r = simulate(sc);
        REQUIRE(r.exit_code == 0);
        REQUIRE(r.summary["n"] == min_n(p, f));
        const uint64_t n = static_cast<uint64_t>(min_n(p, f));
        for (const auto& op : r.ops) {
          REQUIRE(op.outcome == "ok");
          CHECK_FALSE(op.slow);
          CHECK(op.retransmissions == 0);
          if (op.kind == "read") {
            CHECK(op.latency_s == Approx(2 * d).epsilon(1e-9));
          } else {
            CHECK(op.latency_s == Approx(p.sbq ? 2 * d : 4 * d).epsilon(1e-9));
            // The store is sent at 2d and applied one delay later by every correct server.
            CHECK(op.effective_s - op.invoke_s == Approx(3 * d).epsilon(1e-9));
          }
        }
        const uint64_t reads = r.ops_of_kind("read"), writes = r.ops_of_kind("write");
        REQUIRE(reads + writes == 30);
        REQUIRE(reads > 0);
        REQUIRE(writes > 0);
        CHECK(sent(r, "read") == n * reads);
        CHECK(sent(r, "read_reply") == n * reads);
        CHECK(sent(r, "ts_query") == n * writes);
        CHECK(sent(r, "ts_reply") == n * writes);
        CHECK(sent(r, "write") == n * writes);
        CHECK(sent(r, "write_ack") == (p.sbq ? 0 : n * writes));
        uint64_t total = 0;
        for (const auto& [type, c] : r.messages) {
          CAPTURE(type);
          total += c["sent"].get<uint64_t>();
          CHECK(c["delivered"] == c["sent"]);
          CHECK(c.value("retransmissions", uint64_t{0}) == 0);
        }
        CHECK(total == 2 * n * reads + (p.sbq ? 3 : 4) * n * writes);
      }
    }
  }
}

TEST_CASE("u-protocols account for every lost message with a retransmission", "[sim][suite][loss]") {
  // §5/§7 at 10% loss: sent(X) = n*(ops needing X) + resends(X), replies = delivered requests.
  // Also: ops.csv and messages.csv agree on the retransmissions, and no operation is stuck.
  for (const std::string label : {"u-masking", "u-dissemination"}) {
    const Proto& p = protocol(label);
    for (int seed = 1; seed <= 5; ++seed) {
      const int f = 1 + (seed % 2);
      CAPTURE(label, seed, f);
      json sc = scenario(p, f);
      sc["seed"] = seed;
      sc["workload"] = busy_workload(3, 40);
      sc["workload"]["read_fraction"] = 0.5;
      random_delays(sc, p);
      sc["network"]["loss_probability"] = 0.1;
      sc["protocol"]["retransmit_initial_s"] = 0.01;
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      CHECK(stuck(r) == 0);
      REQUIRE(r.ops.size() == 120);
      for (const auto& op : r.ops) CHECK(returned(op));
      const uint64_t n = static_cast<uint64_t>(min_n(p, f));
      const uint64_t reads = r.ops_of_kind("read"), writes = r.ops_of_kind("write");
      CHECK(sent(r, "read") == n * reads + r.retransmissions_of("read"));
      CHECK(sent(r, "ts_query") == n * writes + r.retransmissions_of("ts_query"));
      CHECK(sent(r, "write") == n * writes + r.retransmissions_of("write"));
      for (const auto& [request, reply] : {std::pair{"read", "read_reply"},
                                           std::pair{"ts_query", "ts_reply"},
                                           std::pair{"write", "write_ack"}}) {
        CAPTURE(request);
        CHECK(sent(r, reply) == r.delivered_of(request));
        CHECK(r.retransmissions_of(reply) == 0);  // servers answer; only clients resend
      }
      uint64_t in_messages = 0, dropped = 0, in_ops = 0;
      for (const auto& [type, c] : r.messages) {
        in_messages += c.value("retransmissions", uint64_t{0});
        dropped += c["dropped"].get<uint64_t>();
      }
      for (const auto& op : r.ops) in_ops += static_cast<uint64_t>(op.retransmissions);
      CHECK(in_messages == in_ops);
      CHECK(r.summary["messages"]["total"]["retransmissions"] == in_messages);
      CHECK(dropped > 0);      // the loss really happened...
      CHECK(in_messages > 0);  // ...and was repaired by resending
    }
  }
}

TEST_CASE("f silent servers keep every protocol live and within its semantics", "[sim][suite][adversary]") {
  // §7: with f silent servers every protocol stays live and within its semantics, any seed.
  for (const auto& p : all_protocols()) {
    for (int seed = 1; seed <= 8; ++seed) {
      const int f = 1 + (seed % 2);
      // sync-threshold: alternate t = 0 (silent servers cost a time-out) and t = f.
      const int t = p.sync && seed % 4 < 2 ? f : 0;
      CAPTURE(p.label, seed, f, t);
      json sc = scenario(p, f);
      sc["seed"] = seed;
      if (p.sync) sc["protocol"]["t"] = t;
      sc["workload"] = busy_workload(3, 40);
      random_delays(sc, p);
      sc["byzantine"] = byzantine(f, "silent");
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      CHECK(stuck(r) == 0);
      CHECK(r.ops.size() == 120);
      CHECK(r.summary["byzantine"]["servers"].size() == static_cast<size_t>(f));
      CHECK_FALSE(has_violation(r, "forged-value"));
      for (const auto& op : r.ops) {
        CHECK(returned(op));
        CHECK_FALSE(forged_label(op.value));
      }
    }
  }
}

TEST_CASE("f colluding forgers never get a forged value read on generic protocols", "[sim][suite][adversary]") {
  // §7: the f+1 vouching rule out-votes f colluding forgers in every generic protocol.
  for (const auto& p : all_protocols()) {
    if (p.self_verifying) continue;
    for (int seed = 1; seed <= 8; ++seed) {
      const int f = 1 + (seed % 2);
      const int t = p.sync && seed % 4 < 2 ? f : 0;
      CAPTURE(p.label, seed, f, t);
      json sc = scenario(p, f);
      sc["seed"] = seed;
      if (p.sync) sc["protocol"]["t"] = t;
      sc["workload"] = busy_workload(3, 40);
      sc["workload"]["read_fraction"] = 0.7;
      random_delays(sc, p);
      sc["byzantine"] = byzantine(f, "forge");
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      CHECK(stuck(r) == 0);
      CHECK_FALSE(has_violation(r, "forged-value"));
      for (const auto& op : r.ops) CHECK_FALSE(forged_label(op.value));
      CHECK(r.summary["byzantine"]["fired"].value("forge/forge_reply", 0) > 0);  // attacked
    }
  }
}

TEST_CASE("f replaying servers never get a self-verifying reader to return a forged pair", "[sim][suite][adversary]") {
  // §1: signed pairs can be replayed but not forged, so reads stay regular and never forged.
  // stale replays the oldest pair; equivocate lies (an older pair) to every other request.
  const json attacks[] = {{{"kind", "stale"}, {"which", "oldest"}},
                          {{"kind", "equivocate"}, {"mode", "by-request"}}};
  for (const auto& p : all_protocols()) {
    if (!p.self_verifying) continue;
    for (const json& attack : attacks) {
      for (int seed = 1; seed <= 6; ++seed) {
        const int f = 1 + (seed % 2);
        CAPTURE(p.label, attack.dump(), seed, f);
        json sc = scenario(p, f);
        sc["seed"] = seed;
        sc["workload"] = busy_workload(3, 40);
        random_delays(sc, p);
        sc["byzantine"] = json::array({{{"count", f}, {"behaviours", {attack}}}});
        SimRun r = simulate(sc);
        REQUIRE(r.exit_code == 0);
        CHECK(r.summary["checker"]["verdict"] == "pass");
        CHECK(r.summary["checker"]["regular"] == true);
        CHECK(stuck(r) == 0);
        CHECK_FALSE(has_violation(r, "forged-value"));
        for (const auto& op : r.ops) CHECK_FALSE(forged_label(op.value));
        uint64_t fired = 0;  // the attack really happened
        for (const auto& kv : r.summary["byzantine"]["fired"].items()) {
          fired += kv.value().get<uint64_t>();
        }
        CHECK(fired > 0);
      }
    }
  }
}

TEST_CASE("the scenario reader refuses forgers on self-verifying protocols", "[sim][suite][adversary]") {
  // §1: a signature is an unforgeable token, so forge is bad input there: exit 2, no output.
  for (const auto& p : all_protocols()) {
    if (!p.self_verifying) continue;
    CAPTURE(p.label);
    json sc = scenario(p, 1);
    sc["byzantine"] = byzantine(1, "forge");
    SimRun r = simulate(sc);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.has_manifest);
    CHECK(r.err.rfind("error: ", 0) == 0);
  }
}

TEST_CASE("sync-threshold is self-timed up to t silent servers and pays T beyond", "[sim][suite][sync]") {
  // §5: <= t silent servers: no op waits for T; t+1 (<= f): every read takes T, writes 2T.
  // Safety holds either way: the silent servers are within f.
  const double d = 0.001, bound = 0.002, timeout = 0.01;
  for (const std::string label : {"sync-threshold/generic", "sync-threshold/self-verifying"}) {
    const Proto& p = protocol(label);
    struct Case {
      int f, t, silent;
    };
    for (const Case c : {Case{1, 0, 0}, Case{1, 1, 1}, Case{2, 1, 1}, Case{2, 2, 2},
                         Case{1, 0, 1}, Case{2, 1, 2}, Case{2, 0, 1}}) {
      CAPTURE(label, c.f, c.t, c.silent);
      json sc = scenario(p, c.f, d);
      sc["network"]["bound_s"] = bound;
      sc["protocol"]["t"] = c.t;
      sc["protocol"]["timeout_s"] = timeout;
      // One client: no read overlaps a write, so every read returns a value (no bottom).
      sc["workload"]["ops_per_client"] = 40;
      if (c.silent > 0) sc["byzantine"] = byzantine(c.silent, "silent");
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      REQUIRE(r.summary["n"] == min_n(p, c.f, c.t));
      REQUIRE(r.ops.size() == 40);
      const bool pays_timeout = c.silent > c.t;
      REQUIRE(r.ops_of_kind("read") > 0);
      for (const auto& op : r.ops) {
        CAPTURE(op.kind, op.op_id);
        REQUIRE(op.outcome == "ok");
        CHECK(op.slow == pays_timeout);
        const double phases = op.kind == "read" ? 1 : 2;
        if (pays_timeout) {
          // T per phase, plus the 1 ns slack QuorumClient::kTimeoutSlack_s adds so that a
          // reply due exactly at T still counts; never earlier than T.
          CHECK(op.latency_s >= phases * timeout);
          CHECK(op.latency_s <= phases * timeout + 1e-8);
        } else {
          CHECK(op.latency_s == Approx(phases * 2 * d).epsilon(1e-9));
        }
      }
      CHECK(r.summary["operations"]["read"]["slow"] ==
            (pays_timeout ? r.ops_of_kind("read") : 0));
    }
  }
}

TEST_CASE("extra servers make SBQ reads faster under heavy-tailed delays", "[sim][suite][quorum]") {
  // §3 "additional servers avoid slow reads": mean read latency over seeds falls as n grows.
  // A read waits for the fastest 2f+1 replies of n; Pareto delays make the slowest ones costly.
  std::vector<double> p50, mean;
  for (int n : {4, 6, 8}) {
    double sum_p50 = 0, sum_mean = 0;
    const int seeds = 5;
    for (int seed = 1; seed <= seeds; ++seed) {
      CAPTURE(n, seed);
      json sc = base_scenario("sbq-masking", 1);
      sc["seed"] = seed;
      sc["protocol"]["n"] = n;
      sc["workload"] = {{"clients", 4}, {"ops_per_client", 150}, {"read_fraction", 0.9},
                        {"think_time", {{"dist", "exponential"}, {"mean_s", 0.002}}}};
      sc["network"]["delay"] = {{"dist", "pareto"}, {"scale_s", 0.001}, {"shape", 1.5}};
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      REQUIRE(r.summary["quorum"]["read_replies"] == 3);  // r = 2f+1 whatever n
      sum_p50 += r.summary["operations"]["read"]["latency_s"]["p50"].get<double>();
      sum_mean += r.summary["operations"]["read"]["latency_s"]["mean"].get<double>();
    }
    p50.push_back(sum_p50 / seeds);
    mean.push_back(sum_mean / seeds);
  }
  CAPTURE(p50, mean);
  CHECK(p50[0] > p50[1]);
  CHECK(p50[1] > p50[2]);
  CHECK(mean[0] > mean[1]);
  CHECK(mean[1] > mean[2]);
}

TEST_CASE("finite buffers hold operations back but never overflow", "[sim][suite][buffers]") {
  // §5: with B = n buffers and 3 ops in flight some ops wait, yet none overflows or sticks.
  // B = n is one operation's worth (FIRST locks n), so the other two wait; unlimited buffers
  // (0) are the control in which nothing waits.
  const double d = 0.001;
  for (const std::string label : {"u-masking", "u-dissemination"}) {
    const Proto& p = protocol(label);
    const int f = 1, n = min_n(p, f);
    for (int buffers : {n, 0}) {
      CAPTURE(label, buffers);
      json sc = scenario(p, f, d);
      sc["protocol"]["buffers"] = buffers;
      sc["workload"] = {{"clients", 2}, {"ops_per_client", 30}, {"read_fraction", 0.7},
                        {"concurrency", 3}};
      SimRun r = simulate(sc);
      REQUIRE(r.exit_code == 0);
      CHECK(r.summary["checker"]["verdict"] == "pass");
      CHECK(stuck(r) == 0);
      REQUIRE(r.ops.size() == 60);
      int waited = 0;
      for (const auto& op : r.ops) {
        REQUIRE(returned(op));
        const double closed_form = op.kind == "read" ? 2 * d : 4 * d;
        CHECK(op.latency_s >= closed_form * (1 - 1e-9));
        waited += op.latency_s > closed_form * (1 + 1e-6);
      }
      CHECK(r.summary["buffers"]["overflow"] == false);
      if (buffers > 0) {
        CHECK(waited > 0);
        REQUIRE_FALSE(r.buffers.empty());
        int max_in_use = 0;
        for (const auto& b : r.buffers) {
          CHECK(b.capacity == buffers);
          CHECK(b.in_use >= 0);
          CHECK(b.in_use <= b.capacity);
          max_in_use = std::max(max_in_use, b.in_use);
        }
        CHECK(max_in_use == n);  // one operation locks n buffers (FIRST)
        CHECK(r.summary["buffers"]["max_in_use"] == max_in_use);
      } else {
        CHECK(waited == 0);
      }
    }
  }
}

TEST_CASE("too few servers for the reads' quorum leaves reads stuck", "[sim][suite][unsafe]") {
  // Below n_min (allow_unsafe) one silent server leaves SBQ reads short of r replies: stuck.
  // sbq-masking at n = 3f = 3 needs 2f+1 = 3 replies, sbq-dissemination at n = 2f = 2 needs
  // f+1 = 2; one server fewer answers, so each client's first read never returns (exit 1),
  // while writes, whose timestamp phase waits for n-f, complete.
  for (const auto& [label, n] : {std::pair{"sbq-masking", 3}, std::pair{"sbq-dissemination", 2}}) {
    CAPTURE(label);
    const Proto& p = protocol(label);
    json sc = scenario(p, 1);
    sc["allow_unsafe"] = true;
    sc["protocol"]["n"] = n;
    sc["workload"] = {{"clients", 3}, {"ops_per_client", 20}, {"read_fraction", 0.5}};
    sc["byzantine"] = byzantine(json::array({0}), "silent");
    SimRun r = simulate(sc);
    CHECK(r.exit_code == 1);
    REQUIRE(r.has_manifest);
    CHECK(r.summary["unsafe"] == true);
    CHECK(r.summary["checker"]["verdict"] == "violation");
    CHECK(stuck(r) == 3);  // one per client: a client waits for its stuck read forever
    for (const auto& op : r.ops) {
      CAPTURE(op.op_id);
      if (!returned(op)) CHECK(op.kind == "read");
      if (op.kind == "write") CHECK(returned(op));
    }
  }
}

TEST_CASE("f+1 silent servers stall mr-dissemination at n = 3f+1", "[sim][suite][unsafe]") {
  // Beyond f (allow_unsafe): quorums of 3 of 4 with 2 silent servers never form: all stuck.
  // Every client's first operation waits forever and the run fails on liveness (exit 1).
  const Proto& p = protocol("mr-dissemination");
  json sc = scenario(p, 1);
  sc["allow_unsafe"] = true;
  sc["workload"] = {{"clients", 3}, {"ops_per_client", 20}, {"read_fraction", 0.5}};
  sc["byzantine"] = byzantine(json::array({0, 1}), "silent");
  SimRun r = simulate(sc);
  CHECK(r.exit_code == 1);
  REQUIRE(r.has_manifest);
  CHECK(r.summary["unsafe"] == true);
  CHECK(r.summary["checker"]["verdict"] == "violation");
  CHECK(stuck(r) == 3);
  CHECK(r.ops.size() == 3);
  for (const auto& op : r.ops) CHECK_FALSE(returned(op));
}

TEST_CASE("f+1 colluding forgers get a forged value read on generic protocols", "[sim][suite][unsafe]") {
  // Beyond f (allow_unsafe): f+1 forgers give their pair f+1 votes, and a read returns it.
  // mr-masking, u-masking and sync-threshold (t = 0: reads wait for all n) all fall; the
  // checker reports a forged-value violation of safe semantics and the run exits 1.
  for (const std::string label : {"mr-masking", "u-masking", "sync-threshold/generic"}) {
    CAPTURE(label);
    const Proto& p = protocol(label);
    json sc = scenario(p, 1);
    sc["allow_unsafe"] = true;
    // Think time above the delay: no read overlaps a write, so safe semantics apply in full.
    sc["workload"] = {{"clients", 1}, {"ops_per_client", 60}, {"read_fraction", 0.7},
                      {"think_time", {{"dist", "constant"}, {"value_s", 0.01}}}};
    random_delays(sc, p);
    sc["byzantine"] = byzantine(2, "forge");
    SimRun r = simulate(sc);
    CHECK(r.exit_code == 1);
    REQUIRE(r.has_manifest);
    CHECK(r.summary["unsafe"] == true);
    CHECK(r.summary["checker"]["verdict"] == "violation");
    CHECK(r.summary["checker"]["safe"] == false);
    CHECK(has_violation(r, "forged-value"));
    int forged_reads = 0;
    for (const auto& op : r.ops) forged_reads += op.kind == "read" && forged_label(op.value);
    CHECK(forged_reads > 0);
  }
}
