// Engine internals: one SimGrid actor per node, handing events over in bqsim's order
// (event.h; SIMGRID_NOTES.md decides the rest). A message is never a SimGrid activity in the
// `latency` model: the sender's handler queues it at its receiver (EventQueues), and only the
// actor whose node holds the globally earliest event may handle it. The turn passes from
// actor to actor: an actor whose node no longer holds the earliest event wakes the one that
// does (an early wake-up: a semaphore release, no timer) and blocks; the woken actor handles
// its event at once, and keeps handling while its node holds the earliest event (run-ahead).
// Nothing in the latency model reads SimGrid's clock, which therefore stays behind. The
// `bandwidth` model sends the bytes through SimGrid's flow model first (a receiving NIC actor
// per node), then queues the message for the rest of its delay; there an event is handled
// only when SimGrid's clock has reached it, each actor sleeping until its node's next event.
#pragma once

#include <deque>
#include <limits>
#include <memory>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/engine/engine.h"
#include "sim/engine/stack_probe.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/run/event.h"
#include "sim/run/event_queue.h"
#include "sim/run/runtime.h"

namespace bqsim::engine {

inline constexpr double kNoDeadline = std::numeric_limits<double>::infinity();

struct NodeActor {
  simgrid::s4u::SemaphorePtr wake;
  simgrid::s4u::Host* host = nullptr;
  simgrid::s4u::Mailbox* nic = nullptr;         // bandwidth model only
  std::deque<simgrid::s4u::CommPtr> transfers;  // bandwidth model: sends to reap
  bool waiting = false;         // blocked in its semaphore
  bool released = false;        // someone already woke it during this wait
  double wake_at = kNoDeadline; // when the current wait times out (kNoDeadline: none)
};

class Simulation : public EventSink {
 public:
  explicit Simulation(Runtime& runtime);
  ~Simulation();
  RunStats run();

 private:
  // EventSink: queues an event the runtime created, at its receiver (the bandwidth model first
  // sends a message's bytes through SimGrid's flows).
  void schedule(Event&& e) override;

  void build_platform(simgrid::s4u::Engine& e);
  void node_main(NodeId id);
  void nic_main(NodeId id);
  void push(Event&& e);
  // The actor of the node holding the earliest event must run next: wakes it unless its own
  // timed wait (bandwidth model) already ends at that event.
  void hand_over();
  void wait(NodeActor& a, double deadline);
  // Blocks until a.wake_at or a release. REQUIRES: a marked waiting with its deadline.
  void block(NodeActor& a);
  // Whether nothing can happen any more by the horizon (the run is out of events).
  bool out_of_events() const;
  void stop_all();

  Runtime& runtime_;
  const Scenario& sc_;
  const bool bandwidth_;
  int n_;
  int nodes_count_;
  std::vector<NodeActor> actors_;
  EventQueues queues_;
  bool stop_ = false;
  int started_ = 0;
  uint64_t peak_pending_ = 0;  // bandwidth model: actors that ran their node's start
  double horizon_;
  StackProbe probe_;
};

}  // namespace bqsim::engine
