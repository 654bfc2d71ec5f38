// One run's logic, whatever engine delivers its events: the node set, each node's virtual time
// and event counter, the network's fault model, the recorder's feed, and the end condition. An
// engine only decides WHEN each event is handled (SimGrid's clock and actors, a plain
// priority queue, or an explorer choosing the order); what handling does is here, once, so the
// engines agree by construction on everything but that choice.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/model/behaviour_info.h"
#include "sim/run/event.h"
#include "sim/run/link_model.h"
#include "sim/run/node_set.h"
#include "sim/run/output.h"

namespace bqsim {

// Where the runtime puts the events a handler created: the engine queues each until its time.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void schedule(Event&& e) = 0;
};

class Runtime {
 public:
  // REQUIRES: scenario validated against `catalog`; `recorder` built for its n and Byzantine
  // servers, and outliving the runtime.
  Runtime(const Scenario& scenario, const Catalog& catalog, Recorder& recorder);
  // With nodes built by the caller (tests drive nodes of their own). REQUIRES: `nodes` has
  // the scenario's n servers first, then its clients.
  Runtime(const Scenario& scenario, NodeSet nodes, Recorder& recorder);

  // Node `id`'s start handler, at time 0. Engines start the nodes in id order, before any
  // event, as if each start were an event of round 0 at time 0.
  void start(NodeId id, EventSink& sink);
  // Handles `e` at node e.to. The node's virtual time becomes max(its time, e.t): a node busy
  // with CPU work (signatures) handles the event when it is free. REQUIRES: !over(); e is the
  // pending event with the smallest key (event.h), and no event is due after the horizon.
  void handle(Event&& e, EventSink& sink);

  // Every client is done and nothing is in flight: the run is over. Late replies have been
  // delivered and counted, and SBQ writes have reached their effective completion.
  bool finished() const { return clients_done_ == clients_ && in_flight_ == 0; }
  // limits.max_messages was reached: the engine must stop.
  bool message_limit_hit() const { return message_limit_hit_; }
  bool stopped() const { return message_limit_hit_; }
  // The engine must stop: the run finished or hit the message limit. An engine also stops
  // when no pending event is due by limits.max_sim_time_s (the horizon).
  bool over() const { return finished() || stopped(); }
  double horizon_s() const { return sc_.limits.max_sim_time_s; }
  // What the run ended with, once the engine stopped for one of the reasons above: a run
  // neither finished nor stopped by the message limit ran out of events by the horizon.
  RunStats stats() const;

  int nodes() const { return set_.size(); }
  int servers() const { return set_.servers(); }
  const NodeSet& node_set() const { return set_; }
  const Scenario& scenario() const { return sc_; }
  // The virtual time of node `id`'s last event (CPU time included).
  double node_time(NodeId id) const { return state_[id].now; }
  uint64_t events_handled() const { return events_; }
  uint64_t in_flight() const { return in_flight_; }
  // The time of the last event handled (0 before any).
  double last_event_s() const { return last_event_s_; }

 private:
  struct NodeState {
    double now = 0;        // virtual time of the last event handled, CPU time included
    uint64_t counter = 0;  // the node's own event counter (Event::counter)
    // The instant and round of the event the node is handling (start: 0, 0), for the rounds
    // of the events it creates. Per node: an engine may interleave two nodes' handlers.
    double instant_s = 0;
    uint32_t instant_round = 0;
    bool done = false;     // clients: counted in clients_done_
  };

  std::unique_ptr<Outbox> take_outbox();
  void give_back(std::unique_ptr<Outbox> out);
  void flush(NodeId self, Outbox& out, EventSink& sink);
  void send(NodeId self, Send&& s, EventSink& sink);
  void after_event(NodeId id);
  // The round of an event node `self` creates now, due at t (event.h).
  uint32_t round_for(NodeId self, double t) const;

  const Scenario& sc_;
  Recorder& rec_;
  NodeSet set_;
  LinkModel links_;
  std::vector<NodeState> state_;
  // Outboxes reused by handlers. An engine may run another node's handler while one is still
  // flushing (a SimGrid call inside `schedule` lets other actors run), so each handler takes
  // its own from this pool and gives it back when done.
  std::vector<std::unique_ptr<Outbox>> spare_outboxes_;
  int clients_ = 0;
  int clients_done_ = 0;
  uint64_t in_flight_ = 0;
  uint64_t sent_ = 0;
  uint64_t events_ = 0;
  bool message_limit_hit_ = false;
  double last_event_s_ = 0;
};

}  // namespace bqsim
