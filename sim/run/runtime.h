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

  // Node `id`'s start handler, at time 0.
  void start(NodeId id, EventSink& sink);
  // Handles `e` at node e.to. The node's virtual time becomes max(its time, e.t): a node busy
  // with CPU work (signatures) handles the event when it is free. REQUIRES: !stopped().
  void handle(Event&& e, EventSink& sink);

  // Every client is done and nothing is in flight: the run is over. Late replies have been
  // delivered and counted, and SBQ writes have reached their effective completion.
  bool finished() const { return clients_done_ == clients_ && in_flight_ == 0; }
  // limits.max_messages was reached: the engine must stop.
  bool message_limit_hit() const { return message_limit_hit_; }
  bool stopped() const { return message_limit_hit_; }

  int nodes() const { return set_.size(); }
  int servers() const { return set_.servers(); }
  const NodeSet& node_set() const { return set_; }
  const Scenario& scenario() const { return sc_; }
  // The virtual time of node `id`'s last event (CPU time included).
  double node_time(NodeId id) const { return state_[id].now; }
  uint64_t events_handled() const { return events_; }
  uint64_t in_flight() const { return in_flight_; }

 private:
  struct NodeState {
    double now = 0;        // virtual time of the last event handled, CPU time included
    uint64_t counter = 0;  // the node's own event counter (Event::counter)
    bool done = false;     // clients: counted in clients_done_
  };

  std::unique_ptr<Outbox> take_outbox();
  void give_back(std::unique_ptr<Outbox> out);
  void flush(NodeId self, Outbox& out, EventSink& sink);
  void send(NodeId self, Send&& s, EventSink& sink);
  void after_event(NodeId id);

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
};

}  // namespace bqsim
