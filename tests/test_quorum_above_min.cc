// The timestamp phase of Malkhi-Reiter writes (mr-*, u-*) waits for a quorum, not for n - f
// replies (PROTOCOLS.md §4, corrected from MR's write step: "a set A containing value/timestamp
// pairs from every server in some quorum"). At the minimum n the two numbers are equal, so the
// closed forms of §7 do not move; above it the quorum is smaller than n - f, so an MR write no
// longer waits for the slowest correct servers. SBQ's timestamp phase still waits for n - f.
// Logic tests count replies by hand; simulation tests pin latencies and message counts with
// f slow servers, where the two rules give different closed forms.
#include <catch2/catch.hpp>

#include <string>

#include "tests/harness.h"
#include "tests/protocol_fixture.h"
#include "tests/sim_fixture.h"

namespace bqsim::test {
namespace {

// MR quorum sizes: ceil((n+2f+1)/2) masking, ceil((n+f+1)/2) dissemination.
int mr_quorum(const std::string& name, int n, int f) {
  const bool masking = name == "mr-masking" || name == "u-masking";
  return masking ? (n + 2 * f + 2) / 2 : (n + f + 2) / 2;
}

int mr_min(const std::string& name, int f) {
  const bool masking = name == "mr-masking" || name == "u-masking";
  return masking ? 4 * f + 1 : 3 * f + 1;
}

}  // namespace

TEST_CASE("an MR timestamp phase ends after a quorum of replies, n - f only at the minimum n",
          "[quorum][mr]") {
  for (const std::string name : {"mr-masking", "mr-dissemination", "u-masking", "u-dissemination"}) {
    for (int f : {1, 2}) {
      for (int extra : {0, 1, 2, 3}) {
        const int n = mr_min(name, f) + extra;
        const int q = mr_quorum(name, n, f);
        CAPTURE(name, f, n, q);
        if (extra == 0) CHECK(q == n - f);  // the closed forms of §7 stand at the minimum
        if (extra >= 2) CHECK(q < n - f);   // above it the quorum is the smaller number
        Harness h(protocol(name), {.n = n, .f = f});
        REQUIRE(h.q.ts_replies == q);
        const OpId op = h.write();
        while (h.deliver_first(of_type(MessageType::ts_query))) {
        }
        REQUIRE(h.queued(MessageType::ts_reply) == static_cast<size_t>(n));
        for (int i = 0; i < q - 1; ++i) REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
        CHECK(h.queued(MessageType::write) == 0);  // q - 1 replies: still waiting
        REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
        // The q-th reply ends the phase: the store goes to all n, with the n - q late
        // replies still queued (they arrive and are counted, but change nothing).
        CHECK(h.queued(MessageType::write) == static_cast<size_t>(n));
        CHECK(h.queued(MessageType::ts_reply) == static_cast<size_t>(n - q));
        h.deliver_all();
        REQUIRE(h.completion(op) != nullptr);
        CHECK(h.completion(op)->outcome == Outcome::ok);
        CHECK(h.completion(op)->write_quorum.size() == static_cast<size_t>(q));
        CHECK(h.total_sent() == static_cast<uint64_t>(4 * n));
      }
    }
  }
}

namespace {

// f = 1, constant delay d, and the last two servers slow (delay `slow` both ways): one more
// than n - quorum of an MR write above its minimum would have to wait for.
nlohmann::json two_slow_servers(const std::string& name, int n, double d, double slow) {
  nlohmann::json sc = base_scenario(name, 1);
  sc["protocol"]["n"] = n;
  sc["network"]["delay"]["value_s"] = d;
  sc["workload"]["ops_per_client"] = 30;
  nlohmann::json links = nlohmann::json::array();
  for (int s : {n - 2, n - 1}) {
    const std::string server = "server:" + std::to_string(s);
    const nlohmann::json delay = {{"dist", "constant"}, {"value_s", slow}};
    links.push_back({{"from", "client:*"}, {"to", server}, {"delay", delay}});
    links.push_back({{"from", server}, {"to", "client:*"}, {"delay", delay}});
  }
  sc["network"]["links"] = links;
  return sc;
}

}  // namespace

TEST_CASE("above the minimum, MR writes skip the slow servers and SBQ writes wait for them",
          "[sim][closed-form][quorum]") {
  // mr-masking n = 7 (quorum 5, n - f = 6), mr-dissemination n = 6 (quorum 4, n - f = 5),
  // sbq-masking n = 7 (timestamp phase n - f = 6), two servers with delay D = 10d. An MR write
  // hears a quorum of fast servers in both phases: 4d, effective at 3d (its quorum is the
  // fast ackers). Waiting for n - f would include a slow server: 2D + 2d. SBQ's timestamp
  // phase does wait for one slow reply (2D), returns on sending, and is effective when the
  // slow servers applied it (2D + D). Every message, late or not, is sent and delivered.
  const double d = 0.001, slow = 0.01;
  struct Case {
    std::string name;
    int n;
    bool sbq;
  };
  for (const Case& c : {Case{"mr-masking", 7, false}, Case{"mr-dissemination", 6, false},
                        Case{"u-masking", 7, false}, Case{"sbq-masking", 7, true}}) {
    CAPTURE(c.name, c.n);
    SimRun r = simulate(two_slow_servers(c.name, c.n, d, slow));
    REQUIRE(r.exit_code == 0);
    const uint64_t n = static_cast<uint64_t>(c.n);
    if (!c.sbq) REQUIRE(r.summary["quorum"]["ts_replies"] == mr_quorum(c.name, c.n, 1));
    for (const auto& op : r.ops) {
      REQUIRE(op.outcome == "ok");
      // An op starts when the previous returned, so the slow replies of one op are still
      // in flight during the next: they are late and count for nothing.
      if (op.kind == "read") {
        CHECK(op.latency_s == Approx(2 * d).epsilon(1e-9));
      } else if (c.sbq) {
        CHECK(op.latency_s == Approx(2 * slow).epsilon(1e-9));
        CHECK(op.effective_s - op.invoke_s == Approx(3 * slow).epsilon(1e-9));
      } else {
        CHECK(op.latency_s == Approx(4 * d).epsilon(1e-9));
        CHECK(op.effective_s - op.invoke_s == Approx(3 * d).epsilon(1e-9));
      }
    }
    const uint64_t reads = r.ops_of_kind("read"), writes = r.ops_of_kind("write");
    REQUIRE(reads > 0);
    REQUIRE(writes > 0);
    CHECK(sent(r, "read") == n * reads);
    CHECK(sent(r, "read_reply") == n * reads);
    CHECK(sent(r, "ts_query") == n * writes);
    CHECK(sent(r, "ts_reply") == n * writes);
    CHECK(sent(r, "write") == n * writes);
    CHECK(sent(r, "write_ack") == (c.sbq ? 0 : n * writes));
    for (const auto& [type, m] : r.messages) {
      CAPTURE(type);
      CHECK(m["delivered"] == m["sent"]);
      CHECK(m.value("retransmissions", uint64_t{0}) == 0);
    }
  }
}

}  // namespace bqsim::test
