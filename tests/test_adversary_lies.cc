// Logic tests of the adversary behaviours of PROTOCOLS.md §6 that lie about what the server
// holds: stale, equivocate and ts-inflate, driven step by step without SimGrid
// (tests/harness.h). Behaviours are built from specs the real reader produced
// (tests/adversary_fixture.h). Crash, slow and omit are in test_adversary_traffic.cc.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "adversaries/coalition.h"
#include "adversaries/ts_inflate.h"
#include "tests/adversary_fixture.h"
#include "tests/harness.h"

namespace bqsim::test {

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
// ts-inflate

TEST_CASE("ts-inflate with 8-bit timestamps wraps a max-choosing writer, but not an f+1-th one") {
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

}  // namespace bqsim::test
