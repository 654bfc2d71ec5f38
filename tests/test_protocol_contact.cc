// Logic tests of whom a quorum client asks and when, driven by hand (tests/harness.h):
// contact quorum and its widening timer, concurrent operations of one client, finite buffers
// (PROTOCOLS.md §5), and resends of the u-protocols.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "protocols/common/quorum_client.h"
#include "protocols/registry.h"
#include "tests/harness.h"
#include "tests/protocol_fixture.h"

namespace bqsim::test {

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
  // The asked servers answer, but one reply short of the quorum.
  while (h.deliver_first(of_type(MessageType::read))) {
  }
  for (int i = 0; i + 1 < h.q.read_replies; ++i) {
    REQUIRE(h.deliver_first(of_type(MessageType::read_reply)));
  }
  // A server that was not asked cannot vote (authenticated channels, §1): its reply, which
  // would complete the quorum if it counted, does not.
  h.inject(stranger, h.client_id(0), ReadReply{op, 0, Pair{}});
  CHECK(h.completion(op) == nullptr);
  h.fire_timer(0);
  CHECK(h.queued(MessageType::read) == static_cast<size_t>(h.n - h.q.read_replies));
  CHECK(h.sent_of(MessageType::read) == static_cast<uint64_t>(h.n));  // the rest asked now
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

TEST_CASE("with B buffers a client runs B/n operations at once while the others wait, FIFO (§5)") {
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

TEST_CASE("contact quorum works wherever it is accepted, and u-resends go to the asked only") {
  // Shows contact: quorum in every protocol that accepts it, and its interplay with resends.
  ProtocolOptions options;
  options.contact = Contact::quorum;
  for (const auto& p : protocol_registry()) {
    if (!p.accepts(*find_protocol_option("contact"))) continue;
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

}  // namespace bqsim::test
