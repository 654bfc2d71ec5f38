// What `bqsim explore` explores: the nodes of a small configuration, built from a scenario by
// the protocols' and adversaries' own factories (the same sans-IO code the simulator runs),
// and the moves between its global states. No SimGrid and no clock: the network is
// asynchronous and reliable, so every pending message may be delivered next and every pending
// timer may fire next; Byzantine servers (adversaries/menu_server.h) choose each reply from a
// finite menu. The explorer (explorer.h) walks the moves; replay (schedule.h) re-runs one path.
//
// History and time. Operations are ordered by a logical clock that ticks at every invocation
// and every return, and every other event happens at the current clock; the recorder
// (sim/judge/trace.h) is fed those times, so the checker judges the real-time order of the
// path exactly (an apply before an invocation is "completed before" it, an apply after it
// "overlaps"), with no simulated delay involved.
//
// States. A global state is each node's state, the multiset of pending events, and the
// history so far as a set of timed facts (invocations, returns with their results, each
// correct server's applies): two paths that reach equal node states and pending events with
// the same timed facts have the same futures and the same verdicts, so they are one state.
// Its 128-bit fingerprint (state_hash.h) is what the visited set holds.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adversaries/menu_server.h"
#include "sim/input/scenario.h"
#include "sim/judge/checker.h"
#include "sim/judge/trace.h"
#include "sim/model/behaviour_info.h"
#include "sim/model/mutation.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"
#include "sim/model/state_hash.h"

namespace bqsim {

struct ExploreOptions {
  uint64_t max_states = 5'000'000;  // distinct states; beyond it the exploration stops (exit 3)
  uint32_t max_depth = 10'000;      // moves along one path; deeper states are not expanded
  std::optional<int> byzantine;     // --byzantine K: servers 0..K-1 (else the scenario's list)
  Mutation mutation = Mutation::none;  // TEST-ONLY (mutation.h)
  // Deliver a message its receiver ignores forever (Node::ignores_forever) at once, as the
  // only move: its delivery commutes with every other move, so no order is lost.
  bool reduce = true;
};

struct Pending {
  enum class Kind : uint8_t { start, message, timer };
  Kind kind = Kind::message;
  NodeId from = 0;  // the sender (a timer's or a start's own node)
  NodeId to = 0;
  TimerId timer = 0;
  Message msg{};
  Hash128 hash;  // of all the above: the element's identity in the multiset and in schedules
};

// A trace event at its logical time, as the recorder is fed.
struct Logged {
  TraceEvent event;
  double t = 0;
};

struct State {
  std::vector<std::shared_ptr<const Node>> nodes;  // copy on write: a move clones one node
  std::vector<Hash128> node_hash;
  std::vector<Pending> pending;
  Hash128 pending_sum;  // multiset hash of `pending`
  Hash128 history_sum;  // set hash of the timed history facts
  uint32_t clock = 0;   // invocations + returns so far
  Hash128 fingerprint() const;
};

struct Move {
  uint32_t pending = 0;  // index into State::pending
  MenuChoice choice{};   // a Byzantine receiver's answer; `correct` otherwise
  bool inert = false;    // chosen by the reduction: must change nothing but the pending set
};

class ExploreSystem {
 public:
  // Throws InputError for what explore cannot take: a synchronous protocol, a duration-bound
  // workload, message loss, more Byzantine servers than f without allow_unsafe, nodes that
  // cannot be copied or fingerprinted, or a configuration beyond its limits.
  ExploreSystem(const Scenario& scenario, const Catalog& catalog, const ExploreOptions& options);

  State initial() const;
  // Every move from `s` (none: `s` is terminal), in a fixed order. With options.reduce, a
  // single inert delivery when there is one.
  std::vector<Move> moves(const State& s) const;
  // The successor of `s` by `m`; appends its history facts to `log` when given.
  State apply(const State& s, const Move& m, std::vector<Logged>* log) const;
  // The checker's verdict on a path's history (`clock`: the terminal state's clock).
  CheckReport judge(const std::vector<Logged>& log, uint32_t clock) const;
  bool passed(const CheckReport& r) const { return r.passed(promised_); }

  const Scenario& scenario() const { return sc_; }
  const ExploreOptions& options() const { return opt_; }
  int n() const { return n_; }
  int f() const { return sc_.protocol.f; }
  DataKind data() const { return data_kind(family_); }
  Semantics promised() const { return promised_; }
  const std::vector<NodeId>& byzantine_servers() const { return byzantine_ids_; }
  size_t total_ops() const;
  // "s2", "c0": how steps name nodes.
  std::string node_name(NodeId id) const;
  // One line for a pending event: "c0 -> s2: read(op c0.1, key 0)".
  std::string describe(const Pending& p) const;
  std::string describe(const Message& m) const;
  std::string describe(const Logged& e) const;
  // The menu a Byzantine receiver offers for pending message `p` (just `correct` otherwise).
  std::vector<MenuChoice> choices(const State& s, const Pending& p) const;

 private:
  Pending make_pending(Pending::Kind kind, NodeId from, NodeId to, const Message* msg,
                       TimerId timer) const;
  void absorb(State& s, NodeId id, std::unique_ptr<Node> node, Outbox& out,
              std::vector<Logged>* log) const;

  Scenario sc_;
  ExploreOptions opt_;
  QuorumFamily family_;
  Semantics promised_;
  int n_ = 0;
  std::unique_ptr<Signer> signer_;
  std::vector<bool> byzantine_;  // per server
  std::vector<NodeId> byzantine_ids_;
  std::vector<std::shared_ptr<const Node>> initial_nodes_;
};

}  // namespace bqsim
