// Logic tests of the adversary catalogue of PROTOCOLS.md §6 (crash, stale, equivocate, slow,
// omit, ts-inflate and their composition), driven step by step without SimGrid
// (tests/harness.h), and of the scenario reader's parameter types those behaviours brought
// (distribution, integer-list, string-list) and its rules between parameters. Behaviours are
// built from specs the real reader produced, so each test also covers the path a scenario takes.
#include <catch2/catch.hpp>

#include <array>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "adversaries/byzantine_server.h"
#include "adversaries/coalition.h"
#include "adversaries/registry.h"
#include "adversaries/slow.h"
#include "adversaries/ts_inflate.h"
#include "protocols/common/register_server.h"
#include "protocols/registry.h"
#include "sim/core/distribution.h"
#include "sim/core/json_reader.h"
#include "sim/core/random.h"
#include "sim/core/scenario_reader.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

const ProtocolDescription& protocol(const std::string& name) {
  for (const auto& p : protocol_registry()) {
    if (p.name == name) return p;
  }
  FAIL("no protocol " << name);
  throw;  // unreachable: FAIL throws
}

const Catalog& catalog() {
  static const Catalog kCatalog{&protocol_registry(), &behaviour_registry()};
  return kCatalog;
}

// The scenario a behaviour object is read in: one Byzantine server, 4 clients.
json scenario_with(const json& behaviour, const std::string& protocol_name, uint32_t bits) {
  return {{"protocol", {{"name", protocol_name}, {"f", 1}}},
          {"workload", {{"clients", 4}}},
          {"timestamp_bits", bits},
          {"byzantine", json::array({{{"servers", {0}}, {"behaviours", {behaviour}}}})}};
}

// A behaviour as the scenario reader reads it (so its params are the checked ones).
BehaviourSpec spec_of(const json& behaviour, const std::string& protocol_name = "sbq-masking",
                      uint32_t bits = 64) {
  const Scenario s = read_scenario_text(scenario_with(behaviour, protocol_name, bits).dump(),
                                        "test.json", {}, catalog());
  return s.byzantine.at(0).behaviours.at(0);
}

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

// Queued messages from server s of type t, in queue order.
std::vector<Envelope> queued_from(const Harness& h, NodeId s, MessageType t) {
  std::vector<Envelope> out;
  for (const auto& e : h.queue) {
    if (e.from == s && type_of(e.msg) == t) out.push_back(e);
  }
  return out;
}
Pair read_pair(const Envelope& e) { return std::get<ReadReply>(e.msg).pair; }
TsReply ts_reply(const Envelope& e) { return std::get<TsReply>(e.msg); }

// Delivers every queued request (replies stay queued, to be inspected).
void deliver_requests(Harness& h) {
  while (h.deliver_first([](const Envelope& e) { return is_request(type_of(e.msg)); })) {
  }
}

OpCompleted full_write(Harness& h, uint32_t c = 0) {
  const OpId op = h.write(c);
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}
OpCompleted full_read(Harness& h, uint32_t c = 0) {
  const OpId op = h.read(c);
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

// The correct server inside Byzantine server s.
const RegisterServer& inner_of(const Harness& h, NodeId s) {
  const auto* byz = dynamic_cast<const ByzantineServer*>(h.servers[s].get());
  REQUIRE(byz != nullptr);
  const auto* inner = dynamic_cast<const RegisterServer*>(&byz->inner());
  REQUIRE(inner != nullptr);
  return *inner;
}

// A send as text, for comparing traffic with a correct run's.
std::string describe(const Envelope& e) {
  std::string s = std::to_string(e.from) + ">" + std::to_string(e.to) + " " +
                  std::string(type_name(type_of(e.msg))) + " op " + std::to_string(op_of(e.msg));
  const auto pair_text = [](const Pair& p) {
    return " {" + std::to_string(p.value) + " " + to_string(p.ts) + " " + std::to_string(p.sig) +
           "}";
  };
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, TsReply>) {
          s += pair_text(Pair{m.value, m.ts, m.sig});
        } else if constexpr (std::is_same_v<M, ReadReply> || std::is_same_v<M, WriteRequest>) {
          s += pair_text(m.pair);
        } else if constexpr (std::is_same_v<M, WriteAck>) {
          s += " " + to_string(m.ts);
        }
      },
      e.msg);
  return s + " +" + format_number(e.extra_delay_s);
}

}  // namespace

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
// stale

TEST_CASE("stale replays exactly the k-th newest pair, following writes made outside its window") {
  // Shows which=k-th-newest for k = 1..5 after four writes made before the window: the read
  // reply and the timestamp reply carry held[4-k] (the initial pair when k exceeds what was
  // held); a write inside the window moves the history on; fired counts equal the replies it
  // changed.
  for (size_t k = 1; k <= 5; ++k) {
    CAPTURE(k);
    Harness h(protocol("sbq-masking"), {.f = 1});
    const NodeId s = 0;
    h.make_byzantine(s, {spec_of({{"kind", "stale"}, {"k", k}, {"from_s", 10.0}})});
    std::vector<Pair> held = {Pair{}};
    for (int i = 0; i < 4; ++i) held.push_back(full_write(h).pair);
    full_read(h);
    CHECK(h.fired.empty());  // before the window it is the correct server

    const auto expected = [&](size_t current) { return k <= current ? held[current - k] : Pair{}; };
    h.now = 10;
    h.read();
    deliver_requests(h);
    const auto replies = queued_from(h, s, MessageType::read_reply);
    REQUIRE(replies.size() == 1);
    CHECK(read_pair(replies[0]) == expected(4));
    CHECK(inner_of(h, s).stored(0) == held[4]);  // the server itself holds the newest
    h.deliver_all();
    CHECK(h.fired_count("stale", "stale_reply", s) == 1);

    // A write inside the window: its timestamp reply is stale, and it is applied and observed.
    h.write();
    deliver_requests(h);
    const auto ts = queued_from(h, s, MessageType::ts_reply);
    REQUIRE(ts.size() == 1);
    CHECK(ts_reply(ts[0]).ts == expected(4).ts);
    CHECK(ts_reply(ts[0]).sig == 0);  // generic data carries no signature
    h.deliver_all();
    held.push_back(inner_of(h, s).stored(0));
    CHECK(held.back().ts.counter == 5u);
    CHECK(h.fired_count("stale", "stale_ts", s) == 1);

    h.read();
    deliver_requests(h);
    CHECK(read_pair(queued_from(h, s, MessageType::read_reply).at(0)) == expected(5));
    h.deliver_all();
    CHECK(h.fired_count("stale", "stale_reply", s) == 2);
    CHECK(h.fired.size() == 3);
  }
}

TEST_CASE("stale's history holds only the pairs the server stored") {
  // Shows a late write with an older timestamp, which the server does not apply (§4), does not
  // enter the history: k=1 still replays the pair before the one the server holds.
  Harness h(protocol("sbq-masking"), {.f = 1});
  h.make_byzantine(0, {spec_of({{"kind", "stale"}})});
  const Pair p1 = full_write(h).pair;
  const Pair p2 = full_write(h).pair;
  h.inject(h.client_id(0), 0, WriteRequest{make_op_id(0, 1), 0, p1});  // p1 again, late
  CHECK(inner_of(h, 0).stored(0) == p2);
  h.read();
  deliver_requests(h);
  CHECK(read_pair(queued_from(h, 0, MessageType::read_reply).at(0)) == p1);
}

TEST_CASE("stale with which=oldest replays the initial pair, and fires only when that changes") {
  // Shows "oldest" is the initial pair, and that a reply already carrying it is not counted.
  Harness h(protocol("sbq-masking"), {.f = 1});
  h.make_byzantine(3, {spec_of({{"kind", "stale"}, {"which", "oldest"}})});
  full_read(h);  // nothing written yet: the correct reply is the initial pair already
  CHECK(h.fired.empty());
  for (int i = 0; i < 3; ++i) full_write(h);
  h.read();
  deliver_requests(h);
  CHECK(read_pair(queued_from(h, 3, MessageType::read_reply).at(0)) == Pair{});
  h.deliver_all();
  CHECK(h.fired_count("stale", "stale_reply", 3) == 1);
  // The first write's timestamp phase found the initial pair stored: nothing to change.
  CHECK(h.fired_count("stale", "stale_ts", 3) == 2);
  CHECK(h.fired.size() == 3);
}

TEST_CASE("stale replays signed pairs that still verify on self-verifying data") {
  // Shows the replay needs no signer: the stale read reply and the stale timestamp reply carry
  // a pair a correct writer signed, so both verify.
  Harness h(protocol("sbq-dissemination"), {.f = 1});
  h.make_byzantine(0, {spec_of({{"kind", "stale"}}, "sbq-dissemination")});
  const Pair first = full_write(h).pair;
  const Pair second = full_write(h).pair;
  REQUIRE(first.sig != 0);
  h.read();
  h.write();
  deliver_requests(h);
  const Pair replayed = read_pair(queued_from(h, 0, MessageType::read_reply).at(0));
  CHECK(replayed == first);
  CHECK(h.signer().verify(0, replayed));
  const TsReply t = ts_reply(queued_from(h, 0, MessageType::ts_reply).at(0));
  CHECK(Pair{t.value, t.ts, t.sig} == first);
  CHECK(h.signer().verify(0, Pair{t.value, t.ts, t.sig}));
  CHECK(second.ts > first.ts);
  CHECK(h.fired_count("stale", "stale_reply") == 1);
  CHECK(h.fired_count("stale", "stale_ts") == 2);  // the second write's phase replayed too
}

// ---------------------------------------------------------------------------------------------
// equivocate

TEST_CASE("equivocate by-client tells even clients the truth and odd clients the stale pair") {
  // Shows the split by client index, for read replies and timestamp replies, with one fire
  // per lie.
  Harness h(protocol("sbq-masking"), {.f = 1, .clients = 4});
  const NodeId s = 1;
  h.make_byzantine(s, {spec_of({{"kind", "equivocate"}})});  // by-client, lie stale
  const Pair p1 = full_write(h, 0).pair;
  CHECK(h.fired.empty());  // the writer is client 0: told the truth
  const Pair p2 = full_write(h, 2).pair;
  for (uint32_t c = 0; c < 4; ++c) h.read(c);
  deliver_requests(h);
  const auto replies = queued_from(h, s, MessageType::read_reply);
  REQUIRE(replies.size() == 4);
  for (const auto& r : replies) {
    const uint32_t c = r.to - static_cast<NodeId>(h.n);
    CAPTURE(c);
    CHECK(read_pair(r) == (c % 2 == 0 ? p2 : p1));
  }
  h.deliver_all();
  CHECK(h.fired_count("equivocate", "equivocate_reply", s) == 2);

  h.write(1);  // an odd writer's timestamp phase is lied to as well
  h.write(3);
  deliver_requests(h);
  for (const auto& t : queued_from(h, s, MessageType::ts_reply)) CHECK(ts_reply(t).ts == p1.ts);
  h.deliver_all();
  CHECK(h.fired_count("equivocate", "equivocate_ts", s) == 2);
  CHECK(h.fired.size() == 4);
}

TEST_CASE("equivocate by-request alternates answers, the first one correct") {
  // Shows one client getting correct, lie, correct, lie over reads, the alternation running on
  // through timestamp replies, and one fire per lie.
  Harness h(protocol("sbq-masking"), {.f = 1});
  const NodeId s = 2;
  h.make_byzantine(s, {spec_of({{"kind", "equivocate"}, {"mode", "by-request"}, {"from_s", 1.0}})});
  const Pair p1 = full_write(h).pair;
  const Pair p2 = full_write(h).pair;  // answers outside the window are not counted
  h.now = 1.0;
  std::vector<Pair> seen;
  for (int i = 0; i < 4; ++i) {
    h.read();
    deliver_requests(h);
    seen.push_back(read_pair(queued_from(h, s, MessageType::read_reply).at(0)));
    h.deliver_all();
  }
  CHECK(seen == std::vector<Pair>{p2, p1, p2, p1});
  CHECK(h.fired_count("equivocate", "equivocate_reply", s) == 2);
  std::vector<Timestamp> ts;
  for (int i = 0; i < 2; ++i) {
    h.write();
    deliver_requests(h);
    ts.push_back(ts_reply(queued_from(h, s, MessageType::ts_reply).at(0)).ts);
    h.deliver_all();
  }
  // Answer 5 is correct (p2's ts); answer 6 lies with the pair before the current one, which
  // is p2 again, since answer 5's write replaced p2 by p3.
  CHECK(ts[0] == p2.ts);
  CHECK(ts[1] == p2.ts);
  CHECK(inner_of(h, s).stored(0).ts.counter == 4u);
  CHECK(h.fired_count("equivocate", "equivocate_ts", s) == 1);
}

TEST_CASE("equivocate with lie=forge tells odd clients its coalition's pair") {
  // Shows the forged lie is the pair the coalition agreed on (fixed here by a forger listed
  // first), and that even clients still get the truth.
  Harness h(protocol("sbq-masking"), {.f = 1, .clients = 2});
  h.make_byzantine(1, {spec_of({{"kind", "forge"}, {"coalition", "c"}, {"value", 42},
                                {"ts_counter", 9}})});
  h.make_byzantine(0, {spec_of({{"kind", "equivocate"}, {"lie", "forge"}, {"coalition", "c"}})});
  CHECK(h.coalitions.get("c").members() == 2);
  h.read(0);
  h.read(1);
  deliver_requests(h);
  const Pair forged{42, Timestamp{9, 0xffffffff}, 0};
  for (const auto& r : queued_from(h, 0, MessageType::read_reply)) {
    CHECK(read_pair(r) == (r.to == h.client_id(1) ? forged : Pair{}));
  }
  CHECK(h.fired_count("equivocate", "equivocate_reply", 0) == 1);
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

TEST_CASE("slow's stream depends on its place in the script; zero draws do not fire") {
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

// ---------------------------------------------------------------------------------------------
// ts-inflate

TEST_CASE("ts-inflate with 8-bit timestamps wraps a max-choosing writer; f+1-th does not") {
  // Shows §6 on mr-masking and sbq-masking: one inflated timestamp reply (255 - margin) drives
  // a "max" writer's counter to 0 (margin 0), so its completed write loses to the older one and
  // a later read returns the old value; with margin 10 the counter is 246; "f+1-th" ignores the
  // inflated reply and takes counter 2.
  struct Case {
    const char* ts_choice;
    uint64_t margin;
    uint64_t counter;
  };
  for (const std::string name : {"sbq-masking", "mr-masking"}) {
    for (const Case c : {Case{"max", 0, 0}, Case{"max", 10, 246}, Case{"f+1-th", 0, 2}}) {
      CAPTURE(name, c.ts_choice, c.margin);
      ProtocolOptions options;
      options.ts_choice = std::string(c.ts_choice) == "max" ? TsChoice::max : TsChoice::f1th;
      Harness h(protocol(name), {.f = 1, .options = options, .timestamp_bits = 8});
      h.make_byzantine(0, {spec_of({{"kind", "ts-inflate"}, {"margin", c.margin}, {"from_s", 1.0}},
                                   name, 8)});
      const Pair first = full_write(h).pair;
      CHECK(first.ts.counter == 1u);
      CHECK(h.fired.empty());

      h.now = 1.0;
      h.write();
      deliver_requests(h);  // the timestamp queries
      const auto inflated = queued_from(h, 0, MessageType::ts_reply);
      REQUIRE(inflated.size() == 1);
      CHECK(ts_reply(inflated[0]).ts.counter == 255 - c.margin);
      CHECK(TsInflate::reported_counter(c.margin, 8) == 255 - c.margin);
      h.deliver_all();
      REQUIRE(h.completed.size() == 2);
      const Pair second = h.completed.back().pair;
      CHECK(second.ts.counter == c.counter);
      CHECK(h.fired_count("ts-inflate", "inflate_ts", 0) == 1);
      CHECK(h.fired.size() == 1);

      // A read returns the older write when the counter wrapped (§6: safety breaks), the
      // newer one otherwise.
      CHECK(full_read(h).pair == (c.counter < first.ts.counter ? first : second));
    }
  }
}

TEST_CASE("ts-inflate achieves nothing on self-verifying data") {
  // Shows the inflated reply goes out unsigned, the writer ignores its counter, and the write
  // takes the next counter after the real one; a later read returns it.
  for (const std::string name : {"sbq-dissemination", "mr-dissemination"}) {
    CAPTURE(name);
    Harness h(protocol(name), {.f = 1, .timestamp_bits = 8});
    h.make_byzantine(0, {spec_of({{"kind", "ts-inflate"}}, name, 8)});
    const Pair first = full_write(h).pair;
    h.write();
    deliver_requests(h);
    const TsReply t = ts_reply(queued_from(h, 0, MessageType::ts_reply).at(0));
    CHECK(t.ts.counter == 255u);
    CHECK(t.sig == 0);
    h.deliver_all();
    const Pair second = h.completed.back().pair;
    CHECK(first.ts.counter == 1u);
    CHECK(second.ts.counter == 2u);
    CHECK(h.fired_count("ts-inflate", "inflate_ts", 0) == 2);
    CHECK(full_read(h).pair == second);
  }
}

// ---------------------------------------------------------------------------------------------
// windows and composition

TEST_CASE("every behaviour leaves traffic untouched outside its window") {
  // Shows for each behaviour with window [1, 2): before it the traffic equals a correct run's
  // message for message; inside it fires; after it nothing fires and every reply of the server
  // is the correct one (its own stored pair, no delay), one per request it handled.
  const std::vector<json> behaviours = {
      {{"kind", "silent"}},
      {{"kind", "stale"}},
      {{"kind", "stale"}, {"which", "oldest"}},
      {{"kind", "equivocate"}},
      {{"kind", "equivocate"}, {"mode", "by-request"}, {"lie", "forge"}},
      {{"kind", "forge"}},
      {{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0.5}}}},
      {{"kind", "omit"}},
      {{"kind", "omit"}, {"direction", "out"}, {"clients", {1}}},
      {{"kind", "ts-inflate"}},
  };
  const NodeId s = 4;
  // Two clients each write then read; returns the sends made, described.
  const auto round = [&](Harness& h) {
    std::vector<std::string> sent;
    for (uint32_t c = 0; c < 2; ++c) {
      h.write(c);
      h.read(c);
    }
    while (!h.queue.empty()) {
      sent.push_back(describe(h.queue.front()));
      h.deliver(0);
    }
    return sent;
  };
  for (json b : behaviours) {
    b["from_s"] = 1.0;
    b["until_s"] = 2.0;
    CAPTURE(b.dump());
    Harness correct(protocol("mr-masking"), {.f = 1, .clients = 2});
    Harness h(protocol("mr-masking"), {.f = 1, .clients = 2});
    h.make_byzantine(s, {spec_of(b, "mr-masking")});
    correct.now = h.now = 0.5;
    CHECK(round(h) == round(correct));
    CHECK(h.fired.empty());

    h.now = 1.5;
    round(h);
    CHECK_FALSE(h.fired.empty());
    const size_t fired = h.fired.size();

    h.now = 2.0;
    for (uint32_t c = 0; c < 2; ++c) {
      h.write(c);
      h.read(c);
    }
    size_t requests = 0, replies = 0;
    while (!h.queue.empty()) {
      const Envelope e = h.queue.front();
      if (e.to == s) ++requests;
      if (e.from == s) {
        ++replies;
        CHECK(e.extra_delay_s == 0);
        const Pair& stored = inner_of(h, s).stored(0);
        if (const auto* r = std::get_if<ReadReply>(&e.msg)) CHECK(r->pair == stored);
        if (const auto* t = std::get_if<TsReply>(&e.msg)) CHECK(t->ts == stored.ts);
      }
      h.deliver(0);
    }
    CHECK(requests == 6u);
    CHECK(replies == requests);
    CHECK(h.fired.size() == fired);
  }
}

TEST_CASE("a send dropped later in the script fires only the drop") {
  // Shows [slow, omit out read_reply] and the reverse order: the read reply is dropped and
  // slow does not report delaying it (it never left); the timestamp reply is delayed.
  const json slow = {{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0.5}}}};
  const json omit = {{"kind", "omit"}, {"direction", "out"}, {"types", {"read_reply"}}};
  for (const bool slow_first : {true, false}) {
    CAPTURE(slow_first);
    Harness h(protocol("sbq-masking"), {.f = 1});
    if (slow_first) {
      h.make_byzantine(0, {spec_of(slow), spec_of(omit)});
    } else {
      h.make_byzantine(0, {spec_of(omit), spec_of(slow)});
    }
    h.read();
    deliver_requests(h);
    CHECK(queued_from(h, 0, MessageType::read_reply).empty());
    CHECK(h.fired_count("omit", "drop_reply", 0) == 1);
    CHECK(h.fired_count("slow", "delay", 0) == 0);
    h.deliver_all();
    h.write();
    deliver_requests(h);
    CHECK(queued_from(h, 0, MessageType::ts_reply).at(0).extra_delay_s == 0.5);
    CHECK(h.fired_count("slow", "delay", 0) == 1);
    CHECK(h.fired.size() == 2);
  }
}

TEST_CASE("rewrites compose in script order and each fires for its own change") {
  // Shows [stale, slow]: the stale pair leaves late, both fire; [silent, omit]: the first
  // dropper wins and alone fires; different servers follow different scripts.
  Harness h(protocol("sbq-masking"), {.f = 1});
  h.make_byzantine(0, {spec_of({{"kind", "stale"}}),
                       spec_of({{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0.25}}}})});
  h.make_byzantine(1, {spec_of({{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0.75}}}})});
  h.make_byzantine(2, {spec_of({{"kind", "silent"}}), spec_of({{"kind", "omit"}})});
  const Pair p1 = full_write(h).pair;
  const Pair p2 = full_write(h).pair;
  h.fired.clear();
  h.read();
  deliver_requests(h);
  const Envelope from0 = queued_from(h, 0, MessageType::read_reply).at(0);
  CHECK(read_pair(from0) == p1);
  CHECK(from0.extra_delay_s == 0.25);
  const Envelope from1 = queued_from(h, 1, MessageType::read_reply).at(0);
  CHECK(read_pair(from1) == p2);
  CHECK(from1.extra_delay_s == 0.75);
  CHECK(queued_from(h, 2, MessageType::read_reply).empty());
  CHECK(h.fired_count("stale", "stale_reply", 0) == 1);
  CHECK(h.fired_count("slow", "delay", 0) == 1);
  CHECK(h.fired_count("slow", "delay", 1) == 1);
  CHECK(h.fired_count("silent", "drop", 2) == 1);
  CHECK(h.fired_count("omit", "drop", 2) == 0);
  CHECK(h.fired.size() == 4);
}

TEST_CASE("a write dropped by an earlier behaviour is never observed by a later one") {
  // Shows observation follows what the correct server handled: with [omit in write, stale],
  // the stale history never holds the omitted write, so k=1 replays the pair before the one
  // the server really holds.
  Harness h(protocol("sbq-masking"), {.f = 1, .clients = 2});
  h.make_byzantine(0, {spec_of({{"kind", "omit"}, {"direction", "in"}, {"types", {"write"}},
                                {"clients", {1}}}),
                       spec_of({{"kind", "stale"}})});
  const Pair p1 = full_write(h, 0).pair;
  full_write(h, 1);  // omitted at server 0
  const Pair p3 = full_write(h, 0).pair;
  CHECK(inner_of(h, 0).stored(0) == p3);
  h.read();
  deliver_requests(h);
  CHECK(read_pair(queued_from(h, 0, MessageType::read_reply).at(0)) == p1);
}

// ---------------------------------------------------------------------------------------------
// the registry and the reader

TEST_CASE("the behaviour registry lists the §6 catalogue with typed parameters") {
  // Shows every behaviour of §6 by the name scenarios use, each parameter with its type, in the
  // order `bqsim list` prints them.
  std::vector<std::string> listed;
  for (const auto& b : behaviour_registry()) {
    std::string line = b.name + (b.generic_data_only ? "!" : "") + ":";
    for (const auto& p : b.params) line += " " + p.key + "=" + p.type;
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
                  });
}

TEST_CASE("the reader reads lists and distributions as declared") {
  // Shows the new declaration types: integer-list and string-list item by item (empty lists
  // accepted), distribution objects returned as written, each error at its exact pointer.
  const std::string file = "f.json";
  const auto read = [&](const OptionSpec& spec, const std::string& text) {
    const json doc = json::parse(text);
    return read_declared(spec, JsonValue(doc, "/p", file), std::numeric_limits<double>::infinity());
  };
  const auto error = [&](const OptionSpec& spec, const std::string& text) -> std::string {
    try {
      read(spec, text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const OptionSpec ints{"p", "integer-list", "", "", {}, 0.0, 9.0};
  CHECK(read(ints, "[3, 0, 9, 2.0]") == json::parse("[3, 0, 9, 2]"));
  CHECK(read(ints, "[]") == json::array());
  CHECK(error(ints, "3") == "error: f.json: /p: expected a list of integers from 0 to 9, got 3");
  CHECK(error(ints, "[1, 10]") == "error: f.json: /p/1: expected an integer from 0 to 9, got 10");
  CHECK(error(ints, "[1.5]") == "error: f.json: /p/0: expected an integer from 0 to 9, got 1.5");
  CHECK(error(ints, "[\"1\"]") == "error: f.json: /p/0: expected an integer from 0 to 9, got '1'");
  const OptionSpec big{"p", "integer-list", "", "", {}, 0.0};
  CHECK(read(big, "[18446744073709551615]")[0].get<uint64_t>() == 18446744073709551615ULL);
  CHECK(error(big, "{}") == "error: f.json: /p: expected a list of integers >= 0, got an object");
  CHECK(error(big, "[-1]") ==
        "error: f.json: /p/0: expected an integer from 0 to 2^64-1, got -1");

  const OptionSpec names{"p", "string-list", "", "", {"read", "write"}};
  CHECK(read(names, R"(["write", "read", "write"])") == json::parse(R"(["write", "read", "write"])"));
  CHECK(error(names, R"("read")") ==
        "error: f.json: /p: expected a list of strings among read, write; got 'read'");
  CHECK(error(names, R"(["read", "wirte"])") ==
        "error: f.json: /p/1: expected one of read, write; got 'wirte' (did you mean 'write'?)");
  CHECK(error(names, "[null]") == "error: f.json: /p/0: expected one of read, write; got null");
  const OptionSpec free_names{"p", "string-list", "", "", {}};
  CHECK(read(free_names, R"(["x"])") == json::parse(R"(["x"])"));
  CHECK(error(free_names, "[1]") == "error: f.json: /p/0: expected a string, got 1");

  const OptionSpec dist{"p", "distribution", "", "", {}};
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
  CHECK(spec_of({{"kind", "equivocate"}, {"lie", "forge"}, {"coalition", "x"}}).coalition == "x");
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
  u.option_keys = {"buffers"};
  u.family = [](const ProtocolOptions&) { return QuorumFamily::mr_masking; };
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
