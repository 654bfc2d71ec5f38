// Logic tests of adversary behaviours (PROTOCOLS.md §6) in time and in combination: each
// behaviour's window, and scripts of several behaviours on one server, driven step by step
// without SimGrid (tests/harness.h) from specs the real reader produced
// (tests/adversary_fixture.h).
#include <catch2/catch.hpp>

#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/input/json_reader.h"
#include "tests/adversary_fixture.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

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
          s += " ";  // appended apart: GCC 12 warns (-Wrestrict) on " " + temporary here
          s += to_string(m.ts);
        }
      },
      e.msg);
  return s + " +" + format_number(e.extra_delay_s);
}

}  // namespace

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

}  // namespace bqsim::test
