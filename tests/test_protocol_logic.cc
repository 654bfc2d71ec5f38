// Logic tests of the quorum protocols' server and client, driven by hand (tests/harness.h): message
// counts, when reads and writes complete, masking of forged replies, the timestamp choice,
// duplicate and late replies, and counter wrap-around. Contact, concurrency and buffers are in
// test_protocol_contact.cc; signatures and CPU charges in test_protocol_signatures.cc.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "protocols/common/register_server.h"
#include "tests/harness.h"
#include "tests/protocol_fixture.h"

namespace bqsim::test {

TEST_CASE("every read costs 2n messages, an MR write 4n and an SBQ write 3n (PROTOCOLS.md §7)") {
  for (const std::string name : {"mr-masking", "sbq-masking"}) {
    const bool acks = name == "mr-masking";
    for (int f = 0; f <= 3; ++f) {
      for (int extra : {0, 2}) {
        Harness h(protocol(name), {.n = min_servers(protocol(name).family({}), f) + extra, .f = f});
        CAPTURE(name, f, h.n);
        const OpCompleted w = full_write(h);
        CHECK(w.outcome == Outcome::ok);
        CHECK(h.sent_of(MessageType::ts_query) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::ts_reply) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::write) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::write_ack) == (acks ? static_cast<uint64_t>(h.n) : 0));
        CHECK(h.total_sent() == static_cast<uint64_t>((acks ? 4 : 3) * h.n));
        CHECK(h.applied.size() == static_cast<size_t>(h.n));

        h.reset_counts();
        const OpId r = h.read();
        h.deliver_all();
        REQUIRE(h.completion(r) != nullptr);
        CHECK(h.sent_of(MessageType::read) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::read_reply) == static_cast<uint64_t>(h.n));
        CHECK(h.total_sent() == static_cast<uint64_t>(2 * h.n));
      }
    }
  }
}

TEST_CASE("a read after a completed write returns the written pair, the newest of two writers") {
  for (const std::string name : {"mr-masking", "sbq-masking"}) {
    CAPTURE(name);
    Harness h(protocol(name), {.f = 1, .clients = 2});
    const OpCompleted w1 = full_write(h, 0);
    CHECK(w1.pair == Pair{make_value(0, 1), Timestamp{1, 1}, 0});
    OpId r = h.read(1);
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.completion(r)->outcome == Outcome::ok);
    CHECK(h.completion(r)->pair == w1.pair);

    // Client 1's second operation: it sees counter 1, so it writes (2, writer 2).
    const OpCompleted w2 = full_write(h, 1);
    CHECK(w2.pair == Pair{make_value(1, 2), Timestamp{2, 2}, 0});
    r = h.read(0);
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.completion(r)->pair == w2.pair);
  }
}

TEST_CASE("an SBQ write returns once its writes are sent, before any server applies it") {
  for (int f = 1; f <= 3; ++f) {
    CAPTURE(f);
    Harness h(protocol("sbq-masking"), {.f = f});
    const OpId op = h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    // The timestamp phase waits for n - f replies (§4); the f others arrive late.
    for (int i = 0; i < h.n - f - 1; ++i) REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
    CHECK(h.completion(op) == nullptr);
    CHECK(h.queued(MessageType::write) == 0);
    REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
    REQUIRE(h.completion(op) != nullptr);
    CHECK(h.completion(op)->outcome == Outcome::ok);
    CHECK(h.completion(op)->write_quorum.empty());  // all n count for effective completion
    CHECK(h.queued(MessageType::write) == static_cast<size_t>(h.n));
    CHECK(h.applied.empty());
  }
}

TEST_CASE("a writer never reuses a counter, even when its last SBQ write has not landed yet") {
  // An SBQ write returns before reaching any server; the next timestamp phase then sees only
  // old counters, and the writer must still pick a larger timestamp than its own last one.
  Harness h(protocol("sbq-masking"), {.f = 1});
  const OpId first = h.write();
  while (h.deliver_first(of_type(MessageType::ts_query))) {
  }
  while (h.deliver_first(of_type(MessageType::ts_reply))) {
  }
  REQUIRE(h.completion(first) != nullptr);
  REQUIRE(h.drop_if(of_type(MessageType::write)) == static_cast<size_t>(h.n));  // still in flight
  const OpId second = h.write();
  h.deliver_all();
  REQUIRE(h.completion(second) != nullptr);
  CHECK(h.completion(first)->pair.ts < h.completion(second)->pair.ts);
}

TEST_CASE("an MR write completes on the q-th acknowledgement and lists the ackers in order") {
  for (int f = 1; f <= 2; ++f) {
    Harness h(protocol("mr-masking"), {.f = f});
    CAPTURE(f, h.n, h.q.write_acks);
    const OpId op = h.write();
    while (h.deliver_first(
        [](const Envelope& e) { return type_of(e.msg) != MessageType::write_ack; })) {
    }
    REQUIRE(h.queued(MessageType::write_ack) == static_cast<size_t>(h.n));
    // Deliver the acks from the highest server down, so arrival order differs from id order.
    std::vector<NodeId> expected;
    for (int i = 0; i < h.q.write_acks; ++i) {
      CHECK(h.completion(op) == nullptr);
      const NodeId from = static_cast<NodeId>(h.n - 1 - i);
      REQUIRE(h.deliver_first([from](const Envelope& e) { return e.from == from; }));
      expected.push_back(from);
    }
    REQUIRE(h.completion(op) != nullptr);
    CHECK(h.completion(op)->write_quorum == expected);
  }
}

TEST_CASE("f identical forged replies cannot outvote the correct latest pair (§3 masking)") {
  for (const std::string name : {"mr-masking", "sbq-masking"}) {
    for (int f = 1; f <= 3; ++f) {
      Harness h(protocol(name), {.f = f});
      CAPTURE(name, f);
      const Pair latest = full_write(h).pair;
      const OpId op = read_by_hand(h);
      for (int s = 0; s < h.q.read_replies; ++s) {
        h.inject(static_cast<NodeId>(s), h.client_id(0),
                 ReadReply{op, 0, s < f ? kForged : latest});
      }
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->outcome == Outcome::ok);
      CHECK(h.completion(op)->pair == latest);
    }
  }
}

TEST_CASE("f+1 identical forged replies with a huge ts are returned: the theory's break") {
  for (const std::string name : {"mr-masking", "sbq-masking"}) {
    for (int f = 1; f <= 3; ++f) {
      Harness h(protocol(name), {.f = f});
      CAPTURE(name, f);
      const Pair latest = full_write(h).pair;
      const OpId op = read_by_hand(h);
      for (int s = 0; s < h.q.read_replies; ++s) {
        h.inject(static_cast<NodeId>(s), h.client_id(0),
                 ReadReply{op, 0, s <= f ? kForged : latest});
      }
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->pair == kForged);
    }
  }
}

TEST_CASE("a read returns bottom when no pair is vouched for by f+1 servers") {
  for (int f = 1; f <= 3; ++f) {
    Harness h(protocol("sbq-masking"), {.f = f});
    CAPTURE(f);
    const OpId op = read_by_hand(h);
    for (int s = 0; s < h.q.read_replies; ++s) {
      const Pair distinct{make_value(0, static_cast<uint32_t>(s) + 1),
                          Timestamp{static_cast<uint64_t>(s) + 1, 1}, 0};
      h.inject(static_cast<NodeId>(s), h.client_id(0), ReadReply{op, 0, distinct});
    }
    REQUIRE(h.completion(op) != nullptr);
    CHECK(h.completion(op)->outcome == Outcome::bottom);
  }
}

TEST_CASE("ts_choice max follows inflated replies, f+1-th ignores f of them (§4, §6)") {
  for (int f = 1; f <= 2; ++f) {
    for (const TsChoice choice : {TsChoice::max, TsChoice::f1th}) {
      ProtocolOptions options;
      options.ts_choice = choice;
      Harness h(protocol("sbq-masking"), {.f = f, .options = options});
      CAPTURE(f, choice == TsChoice::max);
      const OpId op = h.write();
      h.drop_if(of_type(MessageType::ts_query));
      // f servers inflate to 1000, the others report counter 5.
      for (int s = 0; s < h.q.ts_replies; ++s) {
        h.inject(static_cast<NodeId>(s), h.client_id(0),
                 TsReply{op, 0, Timestamp{s < f ? 1000u : 5u, 1}});
      }
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->pair.ts == Timestamp{choice == TsChoice::max ? 1001u : 6u, 1});
    }
  }
}

TEST_CASE("replies after completion are ignored: no event, no send") {
  for (const std::string name : {"mr-masking", "sbq-masking"}) {
    Harness h(protocol(name), {.f = 1});
    CAPTURE(name);
    const OpId op = h.read();
    while (h.deliver_first(of_type(MessageType::read))) {
    }
    for (int i = 0; i < h.q.read_replies; ++i) h.deliver(0);
    REQUIRE(h.completion(op) != nullptr);
    const uint64_t sent = h.total_sent();
    REQUIRE(h.queue.size() == static_cast<size_t>(h.n - h.q.read_replies));
    h.deliver_all();
    CHECK(h.completed.size() == 1);
    CHECK(h.total_sent() == sent);
  }
}

TEST_CASE("duplicate replies from one server count once, in every phase") {
  Harness h(protocol("mr-masking"), {.f = 1});
  const NodeId client = h.client_id(0);
  // Read: r copies from server 0 are one reply.
  const OpId r = read_by_hand(h);
  for (int i = 0; i < h.q.read_replies; ++i) h.inject(0, client, ReadReply{r, 0, Pair{}});
  CHECK(h.completion(r) == nullptr);
  for (int s = 1; s < h.q.read_replies; ++s)
    h.inject(static_cast<NodeId>(s), client, ReadReply{r, 0, Pair{}});
  CHECK(h.completion(r) != nullptr);

  // Write: repeated TsReply and WriteAck from one server do not advance the phases.
  const OpId w = h.write();
  h.drop_if(of_type(MessageType::ts_query));
  for (int i = 0; i < h.q.ts_replies; ++i) h.inject(0, client, TsReply{w, 0, Timestamp{}});
  CHECK(h.queued(MessageType::write) == 0);
  for (int s = 1; s < h.q.ts_replies; ++s)
    h.inject(static_cast<NodeId>(s), client, TsReply{w, 0, Timestamp{}});
  REQUIRE(h.queued(MessageType::write) == static_cast<size_t>(h.n));
  const Timestamp ts{1, 1};
  for (int i = 0; i < h.q.write_acks; ++i) h.inject(2, client, WriteAck{w, 0, ts});
  CHECK(h.completion(w) == nullptr);
}

TEST_CASE("counters wrap modulo 2^timestamp_bits, and a wrapped write is lost (§6)") {
  Harness h(protocol("sbq-masking"), {.f = 1, .timestamp_bits = 4});
  const NodeId client = h.client_id(0);
  // Every server holds a pair at counter 15, the largest 4-bit counter.
  const Pair old{make_value(5, 1), Timestamp{15, 6}, 0};
  for (int s = 0; s < h.n; ++s) h.inject(client, static_cast<NodeId>(s), WriteRequest{999, 0, old});

  const OpCompleted w = full_write(h);
  CHECK(w.pair.ts == Timestamp{0, 1});  // 15 + 1 wraps to 0
  for (int s = 0; s < h.n; ++s) {
    CHECK(static_cast<const RegisterServer&>(*h.servers[static_cast<size_t>(s)]).stored(0) == old);
  }
  const OpId r = h.read();
  h.deliver_all();
  REQUIRE(h.completion(r) != nullptr);
  CHECK(h.completion(r)->pair == old);  // the completed write is invisible: safety broken

  // A counter reported above the 4-bit range is read modulo 16 too: 0x13 -> 3, next 4.
  const OpId w2 = h.write();
  h.drop_if(of_type(MessageType::ts_query));
  for (int s = 0; s < h.q.ts_replies; ++s) {
    h.inject(static_cast<NodeId>(s), client, TsReply{w2, 0, Timestamp{0x13, 1}});
  }
  REQUIRE(h.completion(w2) != nullptr);
  CHECK(h.completion(w2)->pair.ts == Timestamp{4, 1});
}

}  // namespace bqsim::test
