// Logic tests of the adversary decorator and its behaviours, driven by hand (tests/harness.h).
#include <catch2/catch.hpp>
#include <string>

#include "adversaries/byzantine_server.h"
#include "adversaries/coalition.h"
#include "adversaries/forge.h"
#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/model/random.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

const ProtocolDescription& sbq_masking() {
  for (const auto& p : protocol_registry()) {
    if (p.name == "sbq-masking") return p;
  }
  FAIL("no sbq-masking");
  throw;  // unreachable: FAIL throws
}

BehaviourSpec silent(double from_s, double until_s) {
  BehaviourSpec b;
  b.kind = "silent";
  b.from_s = from_s;
  b.until_s = until_s;
  return b;
}

BehaviourSpec forge(const std::string& coalition = "default", double from_s = 0,
                    double until_s = kForever) {
  BehaviourSpec b;
  b.kind = "forge";
  b.params = {{"kind", "forge"}, {"coalition", coalition}};
  b.from_s = from_s;
  b.until_s = until_s;
  return b;
}

// The pair a coalition agrees on when its first member sets no value or counter (§6).
Pair default_forged(const std::string& coalition) {
  return Pair{kForgedBit | (hash_name(coalition) & 0xffffffff),
              Timestamp{uint64_t{1} << 62, 0xffffffff}, 0};
}

// Pairs carried by queued ReadReply messages from server s.
std::vector<Pair> replies_from(const Harness& h, NodeId s) {
  std::vector<Pair> pairs;
  for (const auto& e : h.queue) {
    if (const auto* r = std::get_if<ReadReply>(&e.msg); r != nullptr && e.from == s) {
      pairs.push_back(r->pair);
    }
  }
  return pairs;
}

// Runs a read with every message delivered; returns its completion.
OpCompleted full_read(Harness& h) {
  const OpId op = h.read();
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

}  // namespace

TEST_CASE("silent drops everything inside its window and nothing outside it") {
  Harness h(sbq_masking(), {.f = 1});
  const NodeId s = 3;
  h.make_byzantine(s, {silent(1.0, 2.0)});

  h.now = 0.5;  // before the window: a correct server
  full_read(h);
  CHECK(h.sent_of(MessageType::read_reply) == static_cast<uint64_t>(h.n));
  CHECK(h.fired.empty());

  h.now = 1.5;  // inside: a read request, a timestamp query and a write are dropped
  h.reset_counts();
  const OpCompleted r = full_read(h);
  CHECK(r.outcome == Outcome::ok);  // live with f silent
  CHECK(h.sent_of(MessageType::read_reply) == static_cast<uint64_t>(h.n - 1));
  const OpId w = h.write();
  h.deliver_all();
  REQUIRE(h.completion(w) != nullptr);
  CHECK(h.fired_count("silent", "drop", s) == 3);
  CHECK(h.fired.size() == 3);
  for (const auto& a : h.applied) CHECK(a.server != s);  // it never applied the write

  h.now = 2.0;  // the window is half-open: until_s itself is outside
  h.reset_counts();
  full_read(h);
  CHECK(h.sent_of(MessageType::read_reply) == static_cast<uint64_t>(h.n));
  CHECK(h.fired.size() == 3);
}

TEST_CASE("a silent window in which nothing arrives fires nothing") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {silent(5.0, 6.0)});
  full_read(h);
  h.now = 7.0;
  full_read(h);
  CHECK(h.fired.empty());
}

TEST_CASE("colluding forgers rewrite read replies to one agreed pair") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {forge("c")});
  h.make_byzantine(1, {forge("c")});
  const OpId op = h.read();
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  const Pair agreed = default_forged("c");
  CHECK(replies_from(h, 0) == std::vector<Pair>{agreed});
  CHECK(replies_from(h, 1) == std::vector<Pair>{agreed});
  CHECK(replies_from(h, 2) == std::vector<Pair>{Pair{}});
  CHECK(h.fired_count("forge", "forge_reply", 0) == 1);
  CHECK(h.fired_count("forge", "forge_reply", 1) == 1);
  // Two colluders are f+1 identical votes with a larger ts: the read returns the forgery.
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  CHECK(h.completion(op)->pair == agreed);
}

TEST_CASE("one forger within f never makes a read return a forged value") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {forge()});
  const OpId w = h.write();
  h.deliver_all();
  REQUIRE(h.completion(w) != nullptr);
  const Pair latest = h.completion(w)->pair;
  for (int i = 0; i < 5; ++i) CHECK(full_read(h).pair == latest);
  CHECK(h.fired_count("forge", "forge_reply") == 5);
}

TEST_CASE("the first colluder fixes the pair, and other coalitions agree on another") {
  BehaviourSpec first = forge("c");
  first.params["value"] = 42;
  first.params["ts_counter"] = 9;
  BehaviourSpec second = forge("c");  // proposes the default pair, gets the first's
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {first});
  h.make_byzantine(1, {second});
  h.make_byzantine(2, {forge("other")});
  h.read();
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  const Pair agreed{42, Timestamp{9, 0xffffffff}, 0};
  CHECK(replies_from(h, 0) == std::vector<Pair>{agreed});
  CHECK(replies_from(h, 1) == std::vector<Pair>{agreed});
  CHECK(replies_from(h, 2) == std::vector<Pair>{default_forged("other")});
  CHECK(h.coalitions.get("c").members() == 2);
}

TEST_CASE("forge leaves timestamp replies alone unless answer_ts_queries is set") {
  for (const bool inflate : {false, true}) {
    CAPTURE(inflate);
    Harness h(sbq_masking(), {.f = 1});
    BehaviourSpec spec = forge();
    spec.params["answer_ts_queries"] = inflate;
    h.make_byzantine(0, {spec});
    const OpId w = h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    for (const auto& e : h.queue) {
      const auto& reply = std::get<TsReply>(e.msg);
      const bool forged = inflate && e.from == 0;
      CHECK(reply.ts == (forged ? default_forged("default").ts : Timestamp{}));
    }
    CHECK(h.fired_count("forge", "forge_ts") == (inflate ? 1u : 0u));
    // With ts_choice max (the default) one inflated reply drives the writer's counter (§6).
    h.deliver_all();
    REQUIRE(h.completion(w) != nullptr);
    CHECK(h.completion(w)->pair.ts.counter == (inflate ? (uint64_t{1} << 62) + 1 : 1u));
  }
}

TEST_CASE("behaviours compose in time: a silent window, then a forge window") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {silent(0.0, 1.0), forge("default", 1.0, kForever)});
  h.now = 0.5;
  full_read(h);
  CHECK(h.fired_count("silent", "drop", 0) == 1);
  CHECK(h.fired_count("forge", "forge_reply", 0) == 0);
  h.now = 1.5;
  h.read();
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  CHECK(replies_from(h, 0) == std::vector<Pair>{default_forged("default")});
  CHECK(h.fired_count("silent", "drop", 0) == 1);
  CHECK(h.fired_count("forge", "forge_reply", 0) == 1);
}

TEST_CASE("forge fires only for replies it changed") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {forge()});
  full_read(h);
  CHECK(h.fired_count("forge", "forge_reply") == 1);
  // The server now stores the forged pair itself: its reply already says it, nothing changes.
  h.inject(h.client_id(0), 0, WriteRequest{12345, 0, default_forged("default")});
  full_read(h);
  CHECK(h.fired_count("forge", "forge_reply") == 1);
  CHECK(h.fired.size() == 1);
}

TEST_CASE("a Byzantine server keeps the correct server's apply events") {
  Harness h(sbq_masking(), {.f = 1});
  h.make_byzantine(0, {forge()});
  h.write();
  h.deliver_all();
  CHECK(h.applied.size() == static_cast<size_t>(h.n));
}

TEST_CASE("the behaviour registry lists silent and forge first, with forge's parameters") {
  // Shows the two original behaviours keep their place and declarations as the catalogue grows
  // (the whole catalogue: test_adversary_behaviours.cc).
  const auto& infos = behaviour_registry();
  REQUIRE(infos.size() >= 2);
  CHECK(infos[0].name == "silent");
  CHECK(infos[0].params.empty());
  CHECK_FALSE(infos[0].generic_data_only);
  CHECK(infos[1].name == "forge");
  CHECK(infos[1].generic_data_only);
  std::vector<std::string> keys;
  for (const auto& p : infos[1].params) {
    keys.push_back(p.key + ":" + std::string(to_string(p.type)));
  }
  CHECK(keys == std::vector<std::string>{"coalition:string", "ts_counter:integer", "value:integer",
                                         "answer_ts_queries:boolean"});
}

namespace {

// A behaviour that records what the decorator hands it and does what the test sets.
class Probe : public Behaviour {
 public:
  Probe(std::string name, double from_s, double until_s) : Behaviour(name, from_s, until_s) {}
  void observe_incoming(NodeId, const Message& msg, double now_s) override {
    observed.push_back({type_of(msg), now_s});
  }
  bool drops_incoming(NodeId, const Message& msg, double) override {
    return drop_in && type_of(msg) == MessageType::read;
  }
  Effect rewrite_outgoing(Send& send, double) override {
    if (drop_out) return {false, "drop_out"};
    send.extra_delay_s += 1;
    return {true, "delay"};
  }
  std::vector<std::pair<MessageType, double>> observed;
  bool drop_in = false;
  bool drop_out = false;
};

}  // namespace

TEST_CASE("every behaviour observes what the server handles, also outside its window") {
  // Shows the observation hook: called for each message the correct server handles whether or
  // not the behaviour is active, never for one an earlier behaviour dropped, and never fired.
  Harness h(sbq_masking(), {.f = 1});
  auto dropper = std::make_unique<Probe>("dropper", 0, kForever);
  auto watcher = std::make_unique<Probe>("watcher", 5, 6);  // active only in [5, 6)
  dropper->drop_in = true;
  Probe* w = watcher.get();
  std::vector<std::unique_ptr<Behaviour>> script;
  script.push_back(std::move(dropper));
  script.push_back(std::move(watcher));
  h.servers[0] = std::make_unique<ByzantineServer>(0, std::move(h.servers[0]), std::move(script));
  h.now = 1;
  h.write();
  h.read();
  h.deliver_all();
  using MT = MessageType;
  CHECK(w->observed ==
        std::vector<std::pair<MT, double>>{{MT::ts_query, 1.0}, {MT::write, 1.0}});
  CHECK(h.fired_count("dropper", "drop", 0) == 1);  // the read
  CHECK(h.fired_count("watcher", "delay") == 0);    // outside its window it rewrote nothing
  CHECK(h.fired.size() == 2);  // the dropper's drop and its delay of the ts reply
}

TEST_CASE("a send dropped by a later behaviour reports only the drop") {
  // Shows the decorator fires the rewrites of a send only once it is kept: earlier delays of a
  // send that a later behaviour drops are not reported, and the dropper's action is.
  Harness h(sbq_masking(), {.f = 1});
  auto first = std::make_unique<Probe>("first", 0, kForever);
  auto second = std::make_unique<Probe>("second", 0, kForever);
  Probe* s2 = second.get();
  std::vector<std::unique_ptr<Behaviour>> script;
  script.push_back(std::move(first));
  script.push_back(std::move(second));
  h.servers[1] = std::make_unique<ByzantineServer>(1, std::move(h.servers[1]), std::move(script));
  h.read();
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  REQUIRE(replies_from(h, 1).size() == 1);
  CHECK(h.queue.back().extra_delay_s == 0);  // server 3's reply: untouched
  for (const auto& e : h.queue) CHECK(e.extra_delay_s == (e.from == 1 ? 2.0 : 0.0));
  CHECK(h.fired_count("first", "delay", 1) == 1);
  CHECK(h.fired_count("second", "delay", 1) == 1);
  h.deliver_all();
  s2->drop_out = true;
  h.read();
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  CHECK(replies_from(h, 1).empty());
  CHECK(h.fired_count("first", "delay", 1) == 1);
  CHECK(h.fired_count("second", "drop_out", 1) == 1);
  CHECK(h.fired.size() == 3);
}

}  // namespace bqsim::test
