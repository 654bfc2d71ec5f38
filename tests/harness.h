// A step-by-step driver for sans-IO protocol and adversary logic (STYLE.md: logic tests run
// without SimGrid, deliver messages and fire timers by hand, and assert exact states). It holds
// the servers and clients of one protocol, queues every send, and records trace events.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "adversaries/registry.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"
#include "sim/model/quorum.h"

namespace bqsim::test {

struct Envelope {
  NodeId from;
  NodeId to;
  Message msg;
  double extra_delay_s = 0;  // as the sender asked (the slow adversary); not simulated here
  bool retransmission = false;  // as the sender flagged it (u-protocols' resends)
};

struct PendingTimer {
  NodeId node;
  TimerId id;
  double delay_s;
  double due_s = 0;  // now + delay_s when it was requested
};

struct HarnessConfig {
  int n = 0;  // 0: the protocol's minimum for f
  int f = 1;
  uint32_t clients = 1;
  ProtocolOptions options{};
  uint32_t timestamp_bits = 64;
  uint64_t seed = 1;
  Mutation mutation = Mutation::none;  // TEST-ONLY broken variants (sim/model/mutation.h)
};

class Harness {
 public:
  Harness(const ProtocolDescription& protocol, HarnessConfig cfg)
      : family_(protocol.family(cfg.options)), signer_(0x5eedULL) {
    f = cfg.f;
    n = cfg.n > 0 ? cfg.n : min_servers(family_, f, cfg.options.t);
    q = quorum_sizes(family_, n, f, cfg.options.t);
    cfg_ = cfg;
    for (int s = 0; s < n; ++s) {
      servers.push_back(protocol.make_server(context(static_cast<NodeId>(s))));
    }
    for (uint32_t c = 0; c < cfg.clients; ++c) {
      clients.push_back(protocol.make_client(context(static_cast<NodeId>(n) + c)));
    }
    seq_.assign(cfg.clients, 0);
  }

  // What node `id` is built with: the engines' own builder (protocol.h), so the two cannot drift.
  NodeContext context(NodeId id) const {
    RunParameters run;
    run.n = n;
    run.f = f;
    run.options = cfg_.options;
    run.timestamp_bits = cfg_.timestamp_bits;
    run.seed = cfg_.seed;
    NodeContext ctx = node_context(family_, run, id, &signer_);
    ctx.mutation = cfg_.mutation;
    return ctx;
  }
  NodeId client_id(uint32_t c) const { return static_cast<NodeId>(n) + c; }
  // The writers' signer (self-verifying data), to check or make signatures in tests.
  const Signer& signer() const { return signer_; }

  // Wraps server s in the scripted behaviours (adversaries/registry.h), built by `entries`.
  void make_byzantine(NodeId s, const std::vector<BehaviourSpec>& script,
                      const std::vector<BehaviourEntry>& entries = behaviour_entries()) {
    servers[s] =
        make_byzantine_server(std::move(servers[s]), script, context(s), coalitions, entries);
  }

  // Starts client c's next operation; returns its id.
  OpId start(uint32_t c, OpKind kind, Key key = 0, ValueId value = 0) {
    const uint32_t seq = ++seq_[c];
    const Operation op{make_op_id(c, seq), kind, key,
                       kind == OpKind::write && value == 0 ? make_value(c, seq) : value};
    Outbox out;
    clients[c]->start(op, now, out);
    collect(client_id(c), out);
    return op.id;
  }
  OpId write(uint32_t c = 0, Key key = 0, ValueId value = 0) {
    return start(c, OpKind::write, key, value);
  }
  OpId read(uint32_t c = 0, Key key = 0) { return start(c, OpKind::read, key); }

  // Hands `msg` from `from` to `to` as if the network delivered it (also for injecting
  // messages that no node sent, such as a Byzantine reply built by hand).
  void inject(NodeId from, NodeId to, const Message& msg) {
    ++delivered[static_cast<size_t>(type_of(msg))];
    Outbox out;
    if (to < static_cast<NodeId>(n)) {
      servers[to]->on_message(from, msg, now, out);
    } else {
      clients[to - static_cast<NodeId>(n)]->on_message(from, msg, now, out);
    }
    collect(to, out);
  }

  // Delivers the i-th queued message (0: the oldest).
  void deliver(size_t i = 0) {
    const Envelope e = queue[i];
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(i));
    inject(e.from, e.to, e.msg);
  }
  // Delivers the oldest queued message satisfying pred; false if none.
  template <typename Pred>
  bool deliver_first(Pred pred) {
    for (size_t i = 0; i < queue.size(); ++i) {
      if (pred(queue[i])) {
        deliver(i);
        return true;
      }
    }
    return false;
  }
  // Delivers in FIFO order until the queue is empty. A limit, so a bug that loops forever
  // fails the test instead of hanging it.
  void deliver_all(size_t limit = 100000) {
    while (!queue.empty() && limit-- > 0) deliver(0);
  }
  // Drops the queued messages satisfying pred (a lossy link, or "never delivered").
  template <typename Pred>
  size_t drop_if(Pred pred) {
    const size_t before = queue.size();
    std::erase_if(queue, pred);
    return before - queue.size();
  }
  size_t queued(MessageType t) const {
    size_t k = 0;
    for (const auto& e : queue) k += type_of(e.msg) == t;
    return k;
  }

  // Fires the i-th pending timer (0: the first requested).
  void fire_timer(size_t i = 0) {
    const PendingTimer t = timers[i];
    timers.erase(timers.begin() + static_cast<std::ptrdiff_t>(i));
    Outbox out;
    if (t.node < static_cast<NodeId>(n)) {
      servers[t.node]->on_timer(t.id, now, out);
    } else {
      clients[t.node - static_cast<NodeId>(n)]->on_timer(t.id, now, out);
    }
    collect(t.node, out);
  }

  // Fires the pending timer due first (ties: the first requested) after moving `now` to its
  // due time; false if none is pending.
  bool fire_next_timer() {
    if (timers.empty()) return false;
    size_t first = 0;
    for (size_t i = 1; i < timers.size(); ++i) {
      if (timers[i].due_s < timers[first].due_s) first = i;
    }
    now = std::max(now, timers[first].due_s);
    fire_timer(first);
    return true;
  }

  // Completion of `op`, or nullptr if it has not completed.
  const OpCompleted* completion(OpId op) const {
    for (const auto& c : completed) {
      if (c.op == op) return &c;
    }
    return nullptr;
  }
  uint64_t sent_of(MessageType t) const { return sent[static_cast<size_t>(t)]; }
  uint64_t total_sent() const {
    uint64_t k = 0;
    for (auto s : sent) k += s;
    return k;
  }
  uint64_t retransmitted_of(MessageType t) const { return retransmitted[static_cast<size_t>(t)]; }
  void reset_counts() {
    sent.fill(0);
    delivered.fill(0);
    retransmitted.fill(0);
  }
  // Times `behaviour/action` fired, over all servers or at one server.
  uint64_t fired_count(const std::string& behaviour, const std::string& action,
                       int server = -1) const {
    uint64_t k = 0;
    for (const auto& a : fired) {
      k += a.behaviour == behaviour && a.action == action &&
           (server < 0 || a.server == static_cast<NodeId>(server));
    }
    return k;
  }

  int n = 0;
  int f = 0;
  QuorumSizes q;
  double now = 0;  // the simulated time handed to handlers; tests move it by hand
  std::vector<std::unique_ptr<Node>> servers;
  std::vector<std::unique_ptr<ClientLogic>> clients;
  std::deque<Envelope> queue;
  std::vector<PendingTimer> timers;
  std::vector<OpCompleted> completed;
  std::vector<WriteApplied> applied;
  std::vector<ActionFired> fired;
  std::array<uint64_t, kMessageTypes> sent{};
  std::array<uint64_t, kMessageTypes> delivered{};
  std::array<uint64_t, kMessageTypes> retransmitted{};  // sends flagged as retransmissions
  std::vector<BuffersInUse> buffer_events;  // every occupancy change, in order
  double cpu_s = 0;       // Outbox::cpu_s summed over every handler call
  double last_cpu_s = 0;  // Outbox::cpu_s of the latest handler call
  CoalitionSet coalitions;

 private:
  void collect(NodeId from, Outbox& out) {
    cpu_s += out.cpu_s;
    last_cpu_s = out.cpu_s;
    for (auto& s : out.sends) {
      ++sent[static_cast<size_t>(type_of(s.msg))];
      if (s.retransmission) ++retransmitted[static_cast<size_t>(type_of(s.msg))];
      queue.push_back(Envelope{from, s.to, std::move(s.msg), s.extra_delay_s, s.retransmission});
    }
    for (const auto& t : out.timers) {
      timers.push_back(PendingTimer{from, t.id, t.delay_s, now + t.delay_s});
    }
    for (auto& e : out.events) {
      if (auto* c = std::get_if<OpCompleted>(&e)) completed.push_back(std::move(*c));
      if (auto* a = std::get_if<WriteApplied>(&e)) applied.push_back(*a);
      if (auto* a = std::get_if<ActionFired>(&e)) fired.push_back(std::move(*a));
      if (auto* b = std::get_if<BuffersInUse>(&e)) buffer_events.push_back(*b);
    }
  }

  QuorumFamily family_;
  Signer signer_;
  HarnessConfig cfg_;
  std::vector<uint32_t> seq_;
};

// Queue predicates.
inline auto of_type(MessageType t) {
  return [t](const Envelope& e) { return type_of(e.msg) == t; };
}

}  // namespace bqsim::test

// Readable failures: Catch prints pairs and timestamps instead of "{?}".
namespace Catch {
template <>
struct StringMaker<bqsim::Timestamp> {
  static std::string convert(const bqsim::Timestamp& ts) { return bqsim::to_string(ts); }
};
template <>
struct StringMaker<bqsim::Pair> {
  static std::string convert(const bqsim::Pair& p) {
    return "{value " + std::to_string(p.value) + ", ts " + bqsim::to_string(p.ts) + ", sig " +
           std::to_string(p.sig) + "}";
  }
};
}  // namespace Catch
