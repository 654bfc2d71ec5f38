// Logic tests of the quorum protocols' server and client, driven by hand (tests/harness.h).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "protocols/common/quorum_client.h"
#include "protocols/common/quorum_protocol.h"
#include "protocols/common/register_server.h"
#include "protocols/registry.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

const ProtocolDescription& protocol(const std::string& name) {
  for (const auto& p : protocol_registry()) {
    if (p.name == name) return p;
  }
  FAIL("no protocol " << name);
  throw;  // unreachable: FAIL throws
}

// A pair no client writes, with a huge timestamp: what f+1 colluding forgers would report.
const Pair kForged{kForgedBit | 7, Timestamp{uint64_t{1} << 62, 0xffffffff}, 0};

// Runs one write to completion with every message delivered; returns its completion.
OpCompleted full_write(Harness& h, uint32_t c = 0) {
  const OpId op = h.write(c);
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

// Starts a read and removes its requests, so the test decides every reply by hand.
OpId read_by_hand(Harness& h) {
  const OpId op = h.read();
  REQUIRE(h.drop_if(of_type(MessageType::read)) == static_cast<size_t>(h.n));
  return op;
}

}  // namespace

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

TEST_CASE("contact quorum asks a random quorum, widens on the timer, ignores strangers") {
  ProtocolOptions options;
  options.contact = Contact::quorum;
  Harness h(protocol("sbq-masking"), {.n = 7, .f = 1, .options = options});
  const OpId op = h.read();
  REQUIRE(h.queue.size() == static_cast<size_t>(h.q.read_replies));
  REQUIRE(h.timers.size() == 1);
  CHECK(h.timers[0].delay_s == options.contact_widen_s);
  std::vector<bool> asked(static_cast<size_t>(h.n), false);
  for (const auto& e : h.queue) asked[e.to] = true;
  NodeId stranger = 0;
  while (asked[stranger]) ++stranger;
  // A server that was not asked cannot vote (authenticated channels, §1).
  h.inject(stranger, h.client_id(0), ReadReply{op, 0, Pair{}});
  h.fire_timer(0);
  CHECK(h.queue.size() == static_cast<size_t>(h.n));  // the rest were asked now
  CHECK(h.sent_of(MessageType::read) == static_cast<uint64_t>(h.n));
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  CHECK(h.completion(op)->outcome == Outcome::ok);
}

TEST_CASE("one client's concurrent operations complete independently, timers included") {
  ProtocolOptions options;
  options.contact = Contact::quorum;
  Harness h(protocol("sbq-masking"), {.n = 7, .f = 1, .options = options});
  const OpId w = h.write();
  const OpId r = h.read();
  REQUIRE(h.timers.size() == 2);
  // Widening the read (the second timer) asks the read's other servers, and only those.
  const size_t before = h.queue.size();
  h.fire_timer(1);
  CHECK(h.queue.size() == before + static_cast<size_t>(h.n - h.q.read_replies));
  CHECK(h.sent_of(MessageType::ts_query) == static_cast<uint64_t>(h.q.ts_replies));
  h.deliver_all();
  REQUIRE(h.completion(w) != nullptr);
  REQUIRE(h.completion(r) != nullptr);
  CHECK(h.completion(r)->outcome == Outcome::ok);
  // The write's timestamp-phase timer is stale now: firing it sends nothing.
  const uint64_t sent = h.total_sent();
  while (!h.timers.empty()) h.fire_timer(0);
  CHECK(h.total_sent() == sent);
}

TEST_CASE("self-verifying reads drop unsigned pairs and keep the newest signed one") {
  // An unregistered description over the shared client: a protocol is a parameter set.
  const ProtocolDescription sv = quorum_protocol(
      "test-sbq-dissemination", "", QuorumFamily::sbq_dissemination, common_option_keys());
  Harness h(sv, {.f = 2});
  const OpCompleted w = full_write(h);
  CHECK(w.pair.sig != 0);
  CHECK(h.signer().verify(0, w.pair));
  const OpId op = read_by_hand(h);
  // f+1 replies: one forged with a huge ts (unsigned), the rest the signed latest pair.
  h.inject(0, h.client_id(0), ReadReply{op, 0, kForged});
  for (int s = 1; s < h.q.read_replies; ++s)
    h.inject(static_cast<NodeId>(s), h.client_id(0), ReadReply{op, 0, w.pair});
  REQUIRE(h.completion(op) != nullptr);
  CHECK(h.completion(op)->pair == w.pair);
}

TEST_CASE("with B buffers a client runs B/n operations at once; the others wait, FIFO (§5)") {
  // Shows FIRST/LAST over a pool of B buffers: occupancy <= B, waiting operations start FIFO.
  for (const std::string name : {"u-masking", "u-dissemination"}) {
    const int n = min_servers(protocol(name).family({}), 1);
    for (const int buffers : {n, 2 * n, 3 * n - 1}) {
      ProtocolOptions options;
      options.buffers = buffers;
      Harness h(protocol(name), {.f = 1, .options = options});
      const auto& client = dynamic_cast<const QuorumClient&>(*h.clients[0]);
      const size_t running = static_cast<size_t>(buffers / n);
      CAPTURE(name, buffers, running);
      const std::vector<OpId> ops = {h.write(), h.read(), h.read(), h.write()};
      const auto messages_of = [&](OpId op) {
        size_t k = 0;
        for (const auto& e : h.queue) k += op_of(e.msg) == op;
        return k;
      };
      // FIRST: the first `running` operations lock n buffers each and send; the rest wait.
      for (size_t i = 0; i < ops.size(); ++i) {
        CHECK(messages_of(ops[i]) == (i < running ? static_cast<size_t>(n) : 0));
      }
      CHECK(client.in_flight() == running);
      CHECK(client.waiting() == ops.size() - running);
      REQUIRE(h.buffer_events.size() == running);
      // LAST of the newest running operation hands its buffers to the oldest waiting one.
      const OpId last = ops[running - 1];
      while (h.deliver_first([&](const Envelope& e) { return op_of(e.msg) == last; })) {
      }
      REQUIRE(h.completion(last) != nullptr);
      CHECK(messages_of(ops[running]) == static_cast<size_t>(n));
      CHECK(messages_of(ops[running + 1]) == 0);
      CHECK(client.waiting() == ops.size() - running - 1);
      for (int guard = 0; guard < 100 && h.completed.size() < ops.size(); ++guard) h.deliver_all();
      for (const OpId op : ops) CHECK(h.completion(op) != nullptr);
      // Occupancy moves by n, never exceeds B, and returns to 0.
      uint32_t previous = 0;
      for (const BuffersInUse& b : h.buffer_events) {
        CHECK(b.client == 0);
        CHECK(b.capacity == static_cast<uint32_t>(buffers));
        CHECK(b.in_use <= b.capacity);
        CHECK((b.in_use == previous + static_cast<uint32_t>(n) ||
               b.in_use + static_cast<uint32_t>(n) == previous));
        previous = b.in_use;
      }
      CHECK(h.buffer_events.size() == 2 * ops.size());
      CHECK(h.buffer_events.back().in_use == 0);
      CHECK(client.buffers_in_use() == 0);
    }
    // buffers = 0: unlimited, nothing waits and nothing is traced.
    Harness h(protocol(name), {.f = 1});
    for (int i = 0; i < 4; ++i) h.read();
    CHECK(h.queue.size() == static_cast<size_t>(4 * h.n));
    CHECK(h.buffer_events.empty());
  }
}

TEST_CASE("CPU charges: one signature per write, one verification per counted reply") {
  // Shows where self-verifying data costs CPU time (Outbox::cpu_s); generic data costs none.
  ProtocolOptions options;
  options.sign_cpu_s = 0.5;  // binary fractions, so the sums below are exact
  options.verify_cpu_s = 0.125;
  for (const auto& p : protocol_registry()) {
    CAPTURE(p.name);
    Harness h(p, {.f = 1, .options = options});
    const bool sv = data_kind(p.family(options)) == DataKind::self_verifying;
    const OpId w = h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    for (int i = 0; i + 1 < h.q.ts_replies; ++i) {
      REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
      CHECK(h.last_cpu_s == (sv ? 0.125 : 0));
    }
    // The reply that ends the timestamp phase is checked, then the pair is signed.
    REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
    CHECK(h.last_cpu_s == (sv ? 0.625 : 0));
    h.deliver_all();
    REQUIRE(h.completion(w) != nullptr);
    CHECK(h.cpu_s == (sv ? 0.5 + 0.125 * h.q.ts_replies : 0));  // late replies cost nothing
    h.cpu_s = 0;
    const OpId r = h.read();
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.cpu_s == (sv ? 0.125 * h.q.read_replies : 0));
  }
}

TEST_CASE("contact quorum works wherever it is accepted; u-resends go to the asked only") {
  // Shows contact: quorum in every protocol that accepts it, and its interplay with resends.
  ProtocolOptions options;
  options.contact = Contact::quorum;
  for (const auto& p : protocol_registry()) {
    const auto& keys = p.option_keys;
    if (std::find(keys.begin(), keys.end(), "contact") == keys.end()) continue;
    CAPTURE(p.name);
    Harness h(p, {.n = min_servers(p.family({}), 1) + 3, .f = 1, .options = options});
    const OpId w = h.write();
    CHECK(h.sent_of(MessageType::ts_query) == static_cast<uint64_t>(h.q.ts_replies));
    while (h.deliver_first([](const Envelope& e) {
      return type_of(e.msg) == MessageType::ts_query || type_of(e.msg) == MessageType::ts_reply;
    })) {
    }
    CHECK(h.sent_of(MessageType::write) == static_cast<uint64_t>(h.q.write_reach));
    h.deliver_all();
    REQUIRE(h.completion(w) != nullptr);
    const OpId r = h.read();
    CHECK(h.sent_of(MessageType::read) == static_cast<uint64_t>(h.q.read_replies));
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.completion(r)->pair == h.completion(w)->pair);
  }
  for (const std::string name : {"u-masking", "u-dissemination"}) {
    CAPTURE(name);
    Harness h(protocol(name), {.n = 8, .f = 1, .options = options});
    const OpId op = h.read();
    const NodeId lost = h.queue.front().to;
    h.queue.pop_front();
    h.deliver_all();
    CHECK(h.completion(op) == nullptr);
    // The resend (0.05 s) comes before the widening (0.1 s) and goes to the lost server only.
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.queue.size() == 1);
    CHECK(h.queue.front().to == lost);
    CHECK(h.queue.front().retransmission);
    h.queue.clear();
    REQUIRE(h.fire_next_timer());  // widening: first requests to the others, not resends
    CHECK(h.queue.size() == static_cast<size_t>(h.n - h.q.read_replies));
    for (const auto& e : h.queue) CHECK_FALSE(e.retransmission);
    h.deliver_all();
    REQUIRE(h.completion(op) != nullptr);
    CHECK(h.completion(op)->retransmissions == 1);
  }
}

TEST_CASE("the server's TsReply carries the stored pair's signature only on self-verifying data") {
  // Shows the correct server ships the signed pair with its timestamp only where it can be checked.
  for (const std::string name : {"mr-masking", "mr-dissemination"}) {
    Harness h(protocol(name), {.f = 1});
    CAPTURE(name);
    const Pair w = full_write(h).pair;
    h.inject(h.client_id(0), 0, TsQuery{999, 0});
    const auto* reply = std::get_if<TsReply>(&h.queue.back().msg);
    REQUIRE(reply != nullptr);
    CHECK(reply->ts == w.ts);
    if (name == "mr-masking") {
      CHECK(reply->value == 0);
      CHECK(reply->sig == 0);
    } else {
      CHECK(reply->value == w.value);
      CHECK(reply->sig == w.sig);
      CHECK(h.signer().verify(0, Pair{reply->value, reply->ts, reply->sig}));
    }
  }
}

}  // namespace bqsim::test
