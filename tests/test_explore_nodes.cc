// What the exhaustive explorer relies on in the protocol and adversary code (node.h), driven by
// hand (tests/harness.h): a clone continues exactly as its original, fingerprints are equal for
// equal states (and for replies that arrived in another order) and differ otherwise, a reply
// claimed ignored forever changes nothing, the Byzantine menu offers each distinct lie once,
// and the bad-signature behaviour stages what a correct self-verifying reader must drop.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "adversaries/bad_signature.h"
#include "adversaries/menu_server.h"
#include "tests/adversary_fixture.h"
#include "tests/harness.h"
#include "tests/protocol_fixture.h"

namespace bqsim::test {
namespace {

Hash128 fingerprint(const Node& n) {
  StateHasher h;
  REQUIRE(n.hash_state(h));
  return h.digest();
}
Hash128 fingerprint(const ClientLogic& c) {
  StateHasher h;
  REQUIRE(c.hash_state(h));
  return h.digest();
}

// The sends of one handler call, as fingerprints (order kept).
std::vector<Hash128> sends_of(const Outbox& out) {
  std::vector<Hash128> v;
  for (const Send& s : out.sends) {
    StateHasher h(s.to);
    h.add(s.msg);
    v.push_back(h.digest());
  }
  return v;
}

}  // namespace

TEST_CASE("explore: a cloned node continues exactly as its original") {
  // For every protocol, mid-write: each server and the client are cloned, and both copies are
  // handed every queued message; sends and fingerprints stay equal at each step.
  for (const auto& p : protocol_registry()) {
    CAPTURE(p.name);
    Harness h(p, {.f = 1});
    const OpId op = h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
    std::unique_ptr<ClientLogic> client = h.clients[0]->clone();
    REQUIRE(client != nullptr);
    CHECK(fingerprint(*client) == fingerprint(*h.clients[0]));
    std::vector<std::unique_ptr<Node>> servers;
    for (const auto& s : h.servers) servers.push_back(s->clone());
    for (const Envelope& e : std::vector<Envelope>(h.queue.begin(), h.queue.end())) {
      Outbox a, b;
      if (e.to < static_cast<NodeId>(h.n)) {
        h.servers[e.to]->on_message(e.from, e.msg, 0, a);
        servers[e.to]->on_message(e.from, e.msg, 0, b);
        CHECK(fingerprint(*servers[e.to]) == fingerprint(*h.servers[e.to]));
      } else {
        h.clients[0]->on_message(e.from, e.msg, 0, a);
        client->on_message(e.from, e.msg, 0, b);
        CHECK(fingerprint(*client) == fingerprint(*h.clients[0]));
      }
      CHECK(sends_of(a) == sends_of(b));
      CHECK(a.events.size() == b.events.size());
    }
    (void)op;
  }
}

TEST_CASE("explore: fingerprints follow the state, not the order replies arrived in") {
  // Two clients hear the same two timestamp replies in opposite orders: equal fingerprints.
  // A third hears another pair of servers: a different one. A server's fingerprint changes
  // when it stores a write, and does not depend on its id.
  const ProtocolDescription& p = protocol("sbq-masking");
  auto after = [&](std::vector<NodeId> order) {
    Harness h(p, {.f = 1});
    h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    for (NodeId s : order) {
      REQUIRE(h.deliver_first([s](const Envelope& e) { return e.from == s; }));
    }
    return fingerprint(*h.clients[0]);
  };
  CHECK(after({0, 1}) == after({1, 0}));
  CHECK(after({0, 1}) != after({0, 2}));
  CHECK(after({0}) != after({0, 1}));

  Harness h(p, {.f = 1});
  const Hash128 fresh = fingerprint(*h.servers[0]);
  CHECK(fresh == fingerprint(*h.servers[1]));
  full_write(h);
  CHECK(fingerprint(*h.servers[0]) != fresh);
  CHECK(fingerprint(*h.servers[0]) == fingerprint(*h.servers[1]));
}

TEST_CASE("explore: a reply claimed ignored forever changes nothing when delivered") {
  // mr-masking: once the timestamp phase ended, the last timestamp reply is late; once the
  // write ended, the last ack is late. Both are claimed, delivered, and leave no trace. A reply
  // that still counts is never claimed.
  Harness h(protocol("mr-masking"), {.f = 1});
  h.write();
  while (h.deliver_first(of_type(MessageType::ts_query))) {
  }
  const Envelope first = h.queue.front();
  CHECK_FALSE(h.clients[0]->ignores_forever(first.from, first.msg));
  for (int i = 0; i < h.q.ts_replies; ++i) REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
  REQUIRE(h.queued(MessageType::ts_reply) == static_cast<size_t>(h.n - h.q.ts_replies));
  for (const MessageType late : {MessageType::ts_reply, MessageType::write_ack}) {
    if (late == MessageType::write_ack) {
      while (h.deliver_first(of_type(MessageType::write))) {
      }
      for (int i = 0; i < h.q.write_acks; ++i) {
        REQUIRE(h.deliver_first(of_type(MessageType::write_ack)));
      }
    }
    const auto it = std::find_if(h.queue.begin(), h.queue.end(), of_type(late));
    REQUIRE(it != h.queue.end());
    CHECK(h.clients[0]->ignores_forever(it->from, it->msg));
    const Hash128 before = fingerprint(*h.clients[0]);
    Outbox out;
    h.clients[0]->on_message(it->from, it->msg, 0, out);
    CHECK(out.sends.empty());
    CHECK(out.events.empty());
    CHECK(fingerprint(*h.clients[0]) == before);
  }
  // Requests are never a client's business.
  CHECK(h.clients[0]->ignores_forever(0, ReadRequest{1, 0}));
}

TEST_CASE("explore: the Byzantine menu offers each distinct lie once") {
  // Generic data: a timestamp query may be answered truly, not at all, with the coalition's
  // forged timestamp or an inflated one; a read truly, not at all or with the forged pair;
  // after a write, the older pair too (stale:1). Signed data: bad-signature instead of forge
  // and inflate. An acknowledged write may go unacknowledged; an unacknowledged one has
  // nothing to lie with.
  const Pair forged = kForged;
  auto names = [](const std::vector<MenuChoice>& menu) {
    std::vector<std::string> out;
    for (const MenuChoice& c : menu) out.push_back(to_string(c));
    return out;
  };
  using V = std::vector<std::string>;
  {
    Harness h(protocol("mr-masking"), {.f = 1});
    MenuServer m(h.context(0), h.servers[0]->clone(), forged);
    CHECK(names(m.choices(5, TsQuery{1, 0})) == V{"correct", "silent", "forge", "inflate"});
    CHECK(names(m.choices(5, ReadRequest{1, 0})) == V{"correct", "silent", "forge"});
    const WriteRequest w{1, 0, Pair{make_value(0, 1), Timestamp{1, 1}, 0}};
    CHECK(names(m.choices(5, w)) == V{"correct", "silent"});
    Outbox out;
    m.on_message(5, w, 0, out);
    CHECK(names(m.choices(5, ReadRequest{2, 0})) == V{"correct", "silent", "stale:1", "forge"});
    m.choose(MenuChoice{MenuChoice::Lie::stale, 1});
    out.clear();
    m.on_message(5, ReadRequest{2, 0}, 0, out);
    REQUIRE(out.sends.size() == 1);
    CHECK(std::get<ReadReply>(out.sends[0].msg).pair == Pair{});
    m.choose(MenuChoice{MenuChoice::Lie::silent, 0});
    out.clear();
    m.on_message(5, ReadRequest{3, 0}, 0, out);
    CHECK(out.sends.empty());
    // A clone has the same history and menu.
    const std::unique_ptr<Node> copy = m.clone();
    CHECK(fingerprint(*copy) == fingerprint(m));
  }
  {
    Harness h(protocol("sbq-dissemination"), {.f = 1});
    MenuServer m(h.context(0), h.servers[0]->clone(), forged);
    CHECK(names(m.choices(5, ReadRequest{1, 0})) == V{"correct", "silent", "bad-signature"});
    const Pair signed_pair{make_value(0, 1), Timestamp{1, 1},
                           h.signer().sign(0, make_value(0, 1), Timestamp{1, 1})};
    CHECK(names(m.choices(5, WriteRequest{1, 0, signed_pair})) == V{"correct"});
    Outbox out;
    m.on_message(5, WriteRequest{1, 0, signed_pair}, 0, out);
    CHECK(names(m.choices(5, ReadRequest{2, 0})) ==
          V{"correct", "silent", "stale:1", "bad-signature"});
    m.choose(MenuChoice{MenuChoice::Lie::bad_signature, 0});
    out.clear();
    m.on_message(5, ReadRequest{2, 0}, 0, out);
    REQUIRE(out.sends.size() == 1);
    const Pair bad = std::get<ReadReply>(out.sends[0].msg).pair;
    CHECK(bad.sig != 0);
    CHECK_FALSE(h.signer().verify(0, bad));
  }
  for (const std::string text : {"correct", "silent", "stale:3", "forge", "inflate",
                                 "bad-signature"}) {
    const auto c = parse_menu_choice(text);
    REQUIRE(c);
    CHECK(to_string(*c) == text);
  }
  CHECK_FALSE(parse_menu_choice("stale:0"));
  CHECK_FALSE(parse_menu_choice("lie"));
}

TEST_CASE("bad-signature: correct self-verifying readers drop the pair, a mutant reader takes it") {
  // One bad-signature server among f = 1 on sbq-dissemination and mr-dissemination: the reply
  // it sends carries a made-up pair whose signature fails; the correct reader returns the
  // written pair. With the TEST-ONLY accept-bad-signature mutant the reader returns the
  // made-up value (it has the largest timestamp).
  for (const std::string name : {"sbq-dissemination", "mr-dissemination"}) {
    for (const Mutation mutation : {Mutation::none, Mutation::accept_bad_signature}) {
      CAPTURE(name, mutation_name(mutation));
      Harness h(protocol(name), {.f = 1, .mutation = mutation});
      h.make_byzantine(0, {spec_of({{"kind", "bad-signature"}}, name)});
      const OpCompleted w = full_write(h);
      const OpId r = h.read();
      // The liar answers first, so its pair is among the replies the read counts.
      REQUIRE(h.deliver_first(of_type(MessageType::read)));
      REQUIRE(h.deliver_first([](const Envelope& e) { return e.from == 0; }));
      h.deliver_all();
      REQUIRE(h.completion(r) != nullptr);
      CHECK(h.fired_count("bad-signature", "bad_signature_reply", 0) >= 1);
      const Pair got = h.completion(r)->pair;
      if (mutation == Mutation::none) {
        CHECK(got == w.pair);
      } else {
        CHECK(got == BadSignature::pair(64));
        CHECK_FALSE(h.signer().verify(0, got));
      }
    }
  }
}

}  // namespace bqsim::test
