// Logic tests of the adversary behaviours of PROTOCOLS.md §6 that withhold or delay the
// server's traffic: crash, slow and omit, driven step by step without SimGrid
// (tests/harness.h). Behaviours are built from specs the real reader produced
// (tests/adversary_fixture.h). Stale, equivocate and ts-inflate are in test_adversary_lies.cc.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adversaries/slow.h"
#include "sim/model/distribution.h"
#include "sim/model/random.h"
#include "tests/adversary_fixture.h"
#include "tests/harness.h"

namespace bqsim::test {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// crash

TEST_CASE("crash drops every message from at_s on, for good") {
  // Shows crash is correct before at_s, then drops reads, timestamp queries and writes (never
  // applying them) at every later time, firing one "drop" per dropped message.
  Harness h(protocol("sbq-masking"), {.f = 1});
  const NodeId s = 2;
  h.make_byzantine(s, {spec_of({{"kind", "crash"}, {"at_s", 1.0}})});

  h.now = 0.5;
  full_read(h);
  CHECK(h.sent_of(MessageType::read_reply) == 4u);
  CHECK(h.fired.empty());

  for (const double t : {1.0, 50.0, 1e9}) {
    CAPTURE(t);
    h.now = t;
    h.reset_counts();
    h.fired.clear();
    h.applied.clear();
    CHECK(full_read(h).outcome == Outcome::ok);
    CHECK(h.sent_of(MessageType::read_reply) == 3u);
    full_write(h);
    CHECK(h.sent_of(MessageType::ts_reply) == 3u);
    CHECK(h.fired_count("crash", "drop", s) == 3);  // read, ts_query, write
    CHECK(h.fired.size() == 3);
    CHECK(h.applied.size() == 3u);
    for (const auto& a : h.applied) CHECK(a.server != s);
  }
}

TEST_CASE("crash defaults to crashing at time 0") {
  // Shows at_s's default: the server never answers anything.
  Harness h(protocol("sbq-masking"), {.f = 1});
  h.make_byzantine(1, {spec_of({{"kind", "crash"}})});
  full_read(h);
  CHECK(h.sent_of(MessageType::read_reply) == 3u);
  CHECK(h.fired_count("crash", "drop", 1) == 1);
}

// ---------------------------------------------------------------------------------------------
// slow

TEST_CASE("slow delays each send by a draw from its own distribution and stream") {
  // Shows the extra delays are exactly the draws of Rng(seed, "adversary", server id) from the
  // configured distribution, in send order; the same seed gives the same delays, another seed
  // other ones; other servers' sends are not delayed; one fire per delayed send.
  const Distribution d{DistKind::exponential, 0.01, 0};
  const auto delays = [&](uint64_t seed) {
    Harness h(protocol("mr-masking"), {.f = 1, .seed = seed});
    h.make_byzantine(3, {spec_of({{"kind", "slow"},
                                  {"delay", {{"dist", "exponential"}, {"mean_s", 0.01}}}})});
    std::vector<double> out;
    for (int i = 0; i < 2; ++i) {
      h.read();
      h.write();
      for (int round = 0; round < 2; ++round) {  // requests, then the store phase's writes
        deliver_requests(h);
        for (const auto& e : h.queue) {
          if (e.from == 3) out.push_back(e.extra_delay_s);
          if (e.from != 3) CHECK(e.extra_delay_s == 0);
        }
        while (!h.queue.empty() && !is_request(type_of(h.queue.front().msg))) h.deliver(0);
      }
      h.deliver_all();
    }
    CHECK(h.fired_count("slow", "delay", 3) == out.size());
    CHECK(h.fired.size() == out.size());
    return out;
  };
  const std::vector<double> got = delays(5);
  REQUIRE(got.size() == 6);  // per round: read reply, ts reply, write ack
  Rng rng(5, "adversary", 3);
  std::vector<double> expected;
  for (size_t i = 0; i < got.size(); ++i) expected.push_back(d.sample(rng));
  CHECK(got == expected);
  CHECK(delays(5) == got);
  CHECK(delays(6) != got);
}

TEST_CASE("slow's stream depends on its place in the script, and zero draws do not fire") {
  // Shows the second behaviour of a script draws from id + (1 << 32), and a constant 0 delay
  // changes nothing and fires nothing.
  Harness h(protocol("sbq-masking"), {.f = 1, .seed = 9});
  h.make_byzantine(0, {spec_of({{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0}}}}),
                       spec_of({{"kind", "slow"},
                                {"delay", {{"dist", "uniform"}, {"min_s", 0.1}, {"max_s", 0.2}}}})});
  h.read();
  deliver_requests(h);
  Rng rng = Slow::stream(h.context(0), 1);
  CHECK(queued_from(h, 0, MessageType::read_reply).at(0).extra_delay_s ==
        Distribution{DistKind::uniform, 0.1, 0.2}.sample(rng));
  Rng second_stream(9, "adversary", (uint64_t{1} << 32) | 0);
  Rng plain(9, "adversary", 0);
  CHECK(second_stream.next_u64() == Slow::stream(h.context(0), 1).next_u64());
  CHECK(plain.next_u64() == Slow::stream(h.context(0), 0).next_u64());
  CHECK(h.fired.size() == 1);
  CHECK(h.fired_count("slow", "delay", 0) == 1);
}

// ---------------------------------------------------------------------------------------------
// omit

namespace {

// Server 4 of mr-masking (writes acked, so every request gets a reply) under one omit
// behaviour; clients 0 and 1 each write and read. What reached the server and what left it.
struct OmitOutcome {
  std::map<uint32_t, std::map<MessageType, int>> replies;  // client -> reply type -> count
  std::map<uint32_t, int> applied;                         // client -> writes applied
  uint64_t drop = 0, drop_reply = 0;
  size_t fired = 0;
};

OmitOutcome run_omit(const json& behaviour) {
  Harness h(protocol("mr-masking"), {.f = 1, .clients = 2});
  const NodeId s = 4;
  h.make_byzantine(s, {spec_of(behaviour, "mr-masking")});
  for (uint32_t c = 0; c < 2; ++c) {
    h.write(c);
    h.read(c);
  }
  // Everything but the server's replies, which stay queued to be counted; the operations
  // complete with the other four servers (quorum 4 of 5).
  while (h.deliver_first([&](const Envelope& e) { return e.from != s; })) {
  }
  OmitOutcome o;
  for (const auto& e : h.queue) ++o.replies[e.to - static_cast<NodeId>(h.n)][type_of(e.msg)];
  for (const auto& a : h.applied) o.applied[static_cast<uint32_t>(a.op >> 32)] += a.server == s;
  o.drop = h.fired_count("omit", "drop", s);
  o.drop_reply = h.fired_count("omit", "drop_reply", s);
  o.fired = h.fired.size();
  CHECK(h.completed.size() == 4u);
  return o;
}

int replies(const OmitOutcome& o, uint32_t c, MessageType t) {
  const auto it = o.replies.find(c);
  if (it == o.replies.end()) return 0;
  const auto jt = it->second.find(t);
  return jt == it->second.end() ? 0 : jt->second;
}

}  // namespace

TEST_CASE("omit honours clients, types and direction") {
  // Shows, for each combination, exactly which requests the server never saw (no reply, no
  // apply) and which replies it sent but omitted, with one fire per dropped message.
  using MT = MessageType;
  struct Case {
    json behaviour;
    // Per client 0 and 1: ts_reply, write_ack, read_reply sent; write applied.
    std::array<std::array<int, 4>, 2> expected;
    uint64_t drop, drop_reply;
  };
  const std::vector<Case> cases = {
      {{{"kind", "omit"}, {"direction", "in"}, {"clients", {1}}, {"types", {"write"}}},
       {{{1, 1, 1, 1}, {1, 0, 1, 0}}}, 1, 0},
      {{{"kind", "omit"}, {"direction", "out"}, {"types", {"read_reply"}}},
       {{{1, 1, 0, 1}, {1, 1, 0, 1}}}, 0, 2},
      {{{"kind", "omit"}, {"clients", {0}}},  // both directions, every type
       {{{0, 0, 0, 0}, {1, 1, 1, 1}}}, 3, 0},
      {{{"kind", "omit"}, {"clients", {0}}, {"types", {"ts_query", "write_ack"}}},
       {{{0, 0, 1, 1}, {1, 1, 1, 1}}}, 1, 1},
      {{{"kind", "omit"}, {"direction", "out"}, {"clients", json::array()}, {"types", json::array()}},
       {{{0, 0, 0, 1}, {0, 0, 0, 1}}}, 0, 6},
      {{{"kind", "omit"}, {"direction", "in"}, {"types", {"read_reply", "write_ack"}}},
       {{{1, 1, 1, 1}, {1, 1, 1, 1}}}, 0, 0},  // reply types never arrive: nothing to drop
      {{{"kind", "omit"}, {"direction", "out"}, {"types", {"read"}}},
       {{{1, 1, 1, 1}, {1, 1, 1, 1}}}, 0, 0},  // and request types never leave
  };
  for (const Case& c : cases) {
    CAPTURE(c.behaviour.dump());
    const OmitOutcome o = run_omit(c.behaviour);
    for (uint32_t client = 0; client < 2; ++client) {
      CAPTURE(client);
      const auto& e = c.expected[client];
      CHECK(replies(o, client, MT::ts_reply) == e[0]);
      CHECK(replies(o, client, MT::write_ack) == e[1]);
      CHECK(replies(o, client, MT::read_reply) == e[2]);
      CHECK(o.applied.at(client) == e[3]);
    }
    CHECK(o.drop == c.drop);
    CHECK(o.drop_reply == c.drop_reply);
    CHECK(o.fired == c.drop + c.drop_reply);
  }
}

}  // namespace bqsim::test
