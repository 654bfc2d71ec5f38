// The Recorder: operation rows, effective completion of writes (PROTOCOLS.md §2), message
// counters and adversary action counts, fed by hand-made trace events.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/judge/trace.h"

using namespace bqsim;

namespace {

OpInvoked invoke_write(OpId op, ValueId v, Key key = 0) {
  return OpInvoked{op, 0, OpKind::write, key, v};
}
OpInvoked invoke_read(OpId op, Key key = 0) {
  return OpInvoked{op, 1, OpKind::read, key, kInitialValue};
}
OpCompleted complete_write(OpId op, ValueId v, Timestamp ts, std::vector<NodeId> quorum = {}) {
  OpCompleted c;
  c.op = op;
  c.pair = Pair{v, ts, 0};
  c.write_quorum = std::move(quorum);
  return c;
}
WriteApplied apply(NodeId server, OpId op, Timestamp ts = {1, 1}) {
  return WriteApplied{server, op, 0, ts};
}

}  // namespace

TEST_CASE("recorder: reads and writes become rows in invocation order") {
  // Rows keep invocation order, reads take the returned pair only when ok, and finish()
  // marks the operations that never returned as timeouts with no return time.
  Recorder rec(4, {false, false, false, false});
  rec.on_event(invoke_write(7, make_value(0, 1)), 1.0);
  rec.on_event(invoke_read(3), 1.5);
  rec.on_event(invoke_read(5), 1.6);
  rec.on_event(invoke_read(9), 1.7);
  OpCompleted r3;
  r3.op = 3;
  r3.pair = Pair{make_value(0, 1), {1, 1}, 0};
  r3.slow = true;
  r3.retransmissions = 2;
  rec.on_event(r3, 2.5);
  OpCompleted r5;
  r5.op = 5;
  r5.outcome = Outcome::bottom;
  r5.pair = Pair{make_value(9, 9), {9, 9}, 0};
  rec.on_event(r5, 2.6);
  rec.on_event(complete_write(7, make_value(0, 1), {1, 1}), 3.0);
  rec.finish(10.0);

  const auto& ops = rec.ops();
  REQUIRE(ops.size() == 4);
  CHECK(ops[0].op == 7);
  CHECK(ops[1].op == 3);
  CHECK(ops[2].op == 5);
  CHECK(ops[3].op == 9);

  CHECK(ops[0].kind == OpKind::write);
  CHECK(ops[0].invoke_s == 1.0);
  CHECK(ops[0].return_s == 3.0);
  CHECK(ops[0].value == make_value(0, 1));
  CHECK(ops[0].ts == Timestamp{1, 1});
  CHECK(ops[0].outcome == Outcome::ok);

  CHECK(ops[1].return_s == 2.5);
  CHECK(ops[1].value == make_value(0, 1));
  CHECK(ops[1].ts == Timestamp{1, 1});
  CHECK(ops[1].slow);
  CHECK(ops[1].retransmissions == 2);

  CHECK(ops[2].outcome == Outcome::bottom);
  CHECK(ops[2].value == kInitialValue);  // a bottom read returned no pair
  CHECK(ops[2].ts == Timestamp{});

  CHECK_FALSE(ops[3].returned());
  CHECK(std::isnan(ops[3].return_s));
  CHECK(ops[3].outcome == Outcome::timeout);
}

TEST_CASE("recorder: a write to all servers completes at the last correct apply") {
  // SBQ write: returns at 2, applied by the correct servers at 2.5, 2.8 and 3; the Byzantine
  // server's later apply and a correct server's second apply do not move the time.
  Recorder rec(4, {false, false, false, true});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}), 2.0);
  rec.on_event(apply(0, 1), 2.5);
  rec.on_event(apply(2, 1), 2.8);
  CHECK_FALSE(rec.ops()[0].effective());  // server 1 has not applied yet
  rec.on_event(apply(0, 1), 2.9);          // repeat: only the first counts
  rec.on_event(apply(1, 1), 3.0);
  CHECK(rec.ops()[0].effective_s == 3.0);
  rec.on_event(apply(3, 1), 5.0);  // Byzantine
  rec.on_event(apply(1, 1), 6.0);  // settled already
  rec.finish(10.0);
  CHECK(rec.ops()[0].effective_s == 3.0);
  CHECK(rec.ops()[0].return_s == 2.0);
}

TEST_CASE("recorder: Byzantine applies never complete a write") {
  // Only the Byzantine server applies besides two correct ones: the third correct server
  // never does, so the write stays without an effective time.
  Recorder rec(4, {false, false, false, true});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}), 2.0);
  rec.on_event(apply(0, 1), 2.5);
  rec.on_event(apply(1, 1), 2.6);
  rec.on_event(apply(3, 1), 2.7);
  rec.finish(10.0);
  CHECK(rec.ops()[0].returned());
  CHECK_FALSE(rec.ops()[0].effective());
  CHECK(std::isnan(rec.ops()[0].effective_s));
}

TEST_CASE("recorder: an acknowledged write completes at its quorum's last correct apply") {
  // MR write acked by {0, 1, 3}, server 3 Byzantine: servers apply before they ack, so the
  // effective time (1.5) precedes the return (2); server 2, outside the quorum, is ignored.
  Recorder rec(5, {false, false, false, true, false});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(apply(0, 1), 1.0);
  rec.on_event(apply(2, 1), 1.7);
  rec.on_event(apply(1, 1), 1.5);
  rec.on_event(apply(3, 1), 1.8);
  CHECK_FALSE(rec.ops()[0].effective());  // not settled before the write returns
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}, {0, 1, 3}), 2.0);
  CHECK(rec.ops()[0].effective_s == 1.5);
  CHECK(rec.ops()[0].return_s == 2.0);
}

TEST_CASE("recorder: a quorum member applying after the return sets the time") {
  // The write returns at 2 with quorum {0, 1}; server 1 applies only at 3.
  Recorder rec(3, {false, false, false});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(apply(0, 1), 1.0);
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}, {0, 1}), 2.0);
  CHECK_FALSE(rec.ops()[0].effective());
  rec.on_event(apply(2, 1), 2.5);  // not in the quorum
  CHECK_FALSE(rec.ops()[0].effective());
  rec.on_event(apply(1, 1), 3.0);
  CHECK(rec.ops()[0].effective_s == 3.0);
}

TEST_CASE("recorder: concurrent writes are tracked apart") {
  // Two writes in flight at once, applies interleaved: each gets its own last apply.
  Recorder rec(2, {false, false});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(invoke_write(2, make_value(1, 1)), 0.1);
  rec.on_event(complete_write(2, make_value(1, 1), {1, 2}), 0.5);
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}), 0.6);
  rec.on_event(apply(0, 2), 1.0);
  rec.on_event(apply(0, 1), 1.1);
  rec.on_event(apply(1, 1), 1.2);
  rec.on_event(apply(1, 2), 1.3);
  CHECK(rec.ops()[0].effective_s == 1.2);
  CHECK(rec.ops()[1].effective_s == 1.3);
}

TEST_CASE("recorder: applies that precede the invocation are buffered") {
  // Robustness: an apply reported before its OpInvoked still counts once the write is known.
  Recorder rec(2, {false, false});
  rec.on_event(apply(0, 1), 0.5);
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(complete_write(1, make_value(0, 1), {1, 1}), 1.0);
  CHECK_FALSE(rec.ops()[0].effective());
  rec.on_event(apply(1, 1), 1.5);
  CHECK(rec.ops()[0].effective_s == 1.5);
}

TEST_CASE("recorder: a write that never returns has no effective time") {
  // Every server applied, but the client never returned: the write stays open (and stuck).
  Recorder rec(2, {false, false});
  rec.on_event(invoke_write(1, make_value(0, 1)), 0.0);
  rec.on_event(apply(0, 1), 0.5);
  rec.on_event(apply(1, 1), 0.6);
  rec.finish(10.0);
  CHECK_FALSE(rec.ops()[0].returned());
  CHECK_FALSE(rec.ops()[0].effective());
  CHECK(rec.ops()[0].outcome == Outcome::timeout);
  CHECK(rec.ops()[0].value == make_value(0, 1));  // the value it was invoked with
}

TEST_CASE("recorder: message counters and fired actions") {
  // Sends count bytes and retransmissions per type; deliveries and drops are counted apart;
  // ActionFired events count per "behaviour/action".
  Recorder rec(4, {false, false, false, true});
  rec.on_send(MessageType::read, 32, false);
  rec.on_send(MessageType::read, 32, true);
  rec.on_send(MessageType::read_reply, 48, false);
  rec.on_deliver(MessageType::read);
  rec.on_drop(MessageType::read);
  rec.on_deliver(MessageType::read_reply);
  rec.on_event(ActionFired{3, "forge", "forge_reply"}, 1.0);
  rec.on_event(ActionFired{3, "forge", "forge_reply"}, 2.0);
  rec.on_event(ActionFired{3, "silent", "drop"}, 2.0);

  const auto& m = rec.messages();
  const MessageCounters& read = m[static_cast<size_t>(MessageType::read)];
  CHECK(read.sent == 2);
  CHECK(read.bytes == 64);
  CHECK(read.retransmissions == 1);
  CHECK(read.delivered == 1);
  CHECK(read.dropped == 1);
  const MessageCounters& reply = m[static_cast<size_t>(MessageType::read_reply)];
  CHECK(reply.sent == 1);
  CHECK(reply.bytes == 48);
  CHECK(reply.delivered == 1);
  CHECK(reply.retransmissions == 0);
  CHECK(m[static_cast<size_t>(MessageType::write)].sent == 0);
  CHECK(rec.total_sent() == 3);

  REQUIRE(rec.fired().size() == 2);
  CHECK(rec.fired().at("forge/forge_reply") == 2);
  CHECK(rec.fired().at("silent/drop") == 1);
}
