// The sans-IO interface between protocol logic and whatever drives it (STYLE.md: a protocol
// is a pure event handler). A node gets a message, a timer or a start call, and answers by
// filling an Outbox with sends, timers and trace events. The SimGrid engine and the test
// harness drive the same objects, so one code path runs in simulation and in tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/state_hash.h"
#include "sim/model/types.h"

namespace bqsim {

using TimerId = uint64_t;
// Timer ids with this bit set belong to the workload driver that wraps a client's logic.
inline constexpr TimerId kWorkloadTimerBit = uint64_t{1} << 63;

struct Send {
  NodeId to;
  Message msg;
  double extra_delay_s = 0;     // added to the network's delay (the `slow` adversary)
  bool retransmission = false;  // counted apart in messages.csv and ops.csv
};

struct TimerRequest {
  double delay_s;  // from the current event's time; >= 0
  TimerId id;
};

// Trace events. The engine stamps them with the event's simulated time.
struct OpInvoked {
  OpId op;
  uint32_t client;  // client index, 0-based
  OpKind kind;
  Key key;
  ValueId value;    // writes: the value written
};
struct OpCompleted {
  OpId op;
  Outcome outcome = Outcome::ok;
  Pair pair{};             // reads: the pair returned (ignored if bottom); writes: pair written
  bool slow = false;       // sync-threshold: the wait ended at the time-out
  uint32_t retransmissions = 0;
  // Writes: the servers whose store counts for effective completion. Empty means "all n"
  // (SBQ and sync writes, which reach every server); MR writes list the servers that acked.
  std::vector<NodeId> write_quorum;
};
// A server applied (or already held something newer than) the pair of write `op`.
struct WriteApplied {
  NodeId server;
  OpId op;
  Key key;
  Timestamp ts;
};
// An adversary behaviour did something that departs from the correct server's traffic.
struct ActionFired {
  NodeId server;
  std::string behaviour;
  std::string action;  // e.g. "drop", "forge_reply"
};
// A client's finite message-buffer pool changed occupancy (u-protocols' `buffers` option,
// PROTOCOLS.md §5): FIRST locks n buffers before an operation, LAST releases them after.
struct BuffersInUse {
  uint32_t client;    // client index
  uint32_t in_use;
  uint32_t capacity;  // B
};
using TraceEvent = std::variant<OpInvoked, OpCompleted, WriteApplied, ActionFired, BuffersInUse>;

// What a handler asks for. Plain data: decorators (adversaries) may rewrite it.
struct Outbox {
  std::vector<Send> sends;
  std::vector<TimerRequest> timers;
  std::vector<TraceEvent> events;
  // CPU time the handler spent (signing, verifying). The node is busy for that long: its sends
  // leave after it, and its next event starts no earlier than its end.
  double cpu_s = 0;

  void send(NodeId to, Message m, bool retransmission = false) {
    sends.push_back(Send{to, std::move(m), 0.0, retransmission});
  }
  void set_timer(double delay_s, TimerId id) { timers.push_back(TimerRequest{delay_s, id}); }
  // Builds the event in place (also sidesteps a GCC 12 -Wmaybe-uninitialized false positive).
  template <class E>
  void emit(E&& e) {
    events.emplace_back(std::forward<E>(e));
  }
  void charge_cpu(double seconds) { cpu_s += seconds; }
  void clear() {
    cpu_s = 0;
    sends.clear();
    timers.clear();
    events.clear();
  }
};

// What the engine drives: one object per node (a server, possibly wrapped by adversaries, or
// a client wrapped by its workload). Handlers get the event's simulated time in seconds.
class Node {
 public:
  virtual ~Node() = default;
  virtual void on_start(double now_s, Outbox& out) {
    (void)now_s;
    (void)out;
  }
  virtual void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) = 0;
  virtual void on_timer(TimerId id, double now_s, Outbox& out) {
    (void)id;
    (void)now_s;
    (void)out;
  }
  // The run ends when every client reports done (servers always do).
  virtual bool done() const { return true; }

  // Exhaustive exploration (sim/explore) backtracks by copying nodes and merges equivalent
  // interleavings by fingerprinting them. A node that supports it returns a deep copy from
  // clone() and adds to `h`, in hash_state(), everything its future behaviour depends on,
  // returning true. The defaults (nullptr, false) say "not explorable"; the explorer refuses
  // such a node rather than guess.
  virtual std::unique_ptr<Node> clone() const { return nullptr; }
  virtual bool hash_state(StateHasher& h) const {
    (void)h;
    return false;
  }
  // True only if this node ignores `msg` from `from` now AND in every state it can reach
  // (a reply to an operation that has finished): delivering it then commutes with every other
  // event, so the explorer delivers it at once instead of trying it in every position. The
  // default makes no such claim.
  virtual bool ignores_forever(NodeId from, const Message& msg) const {
    (void)from;
    (void)msg;
    return false;
  }
};

using ServerLogic = Node;

// One operation a client starts.
struct Operation {
  OpId id;
  OpKind kind;
  Key key;
  ValueId value;  // writes only
};

// A protocol's client side. It may run several operations at once (issue: concurrent
// operations per client); each is keyed by its OpId. It reports the end of an operation with
// an OpCompleted event.
class ClientLogic {
 public:
  virtual ~ClientLogic() = default;
  virtual void start(const Operation& op, double now_s, Outbox& out) = 0;
  virtual void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) = 0;
  virtual void on_timer(TimerId id, double now_s, Outbox& out) = 0;

  // Exploration, as for Node: a deep copy (nullptr: not explorable), the state's fingerprint
  // (false: not explorable), and messages ignored now and forever.
  virtual std::unique_ptr<ClientLogic> clone() const { return nullptr; }
  virtual bool hash_state(StateHasher& h) const {
    (void)h;
    return false;
  }
  virtual bool ignores_forever(NodeId from, const Message& msg) const {
    (void)from;
    (void)msg;
    return false;
  }
};

}  // namespace bqsim
