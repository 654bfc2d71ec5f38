// Engine internals: the per-node delay queues and the actor loop (SIMGRID_NOTES.md decides
// the design). A message is never a SimGrid activity in the `latency` model: the sender
// samples its delay and pushes it straight into the receiver's queue, and each node actor
// waits on its own semaphore until its next due event, woken early only when something
// earlier arrives. That is one timed wait per distinct delivery time, no detached sends, no
// helper actor per message, and no bandwidth solver. The `bandwidth` model sends the bytes
// through SimGrid's flow model first (a receiving NIC actor per node), then applies the
// sampled delay in the same queue.
#pragma once

#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/run/event.h"
#include "sim/run/runtime.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/engine/engine.h"

namespace bqsim::engine {

struct NodeRuntime {
  std::priority_queue<Event, std::vector<Event>, HandledLater> queue;
  simgrid::s4u::SemaphorePtr wake;
  simgrid::s4u::Host* host = nullptr;
  simgrid::s4u::Mailbox* nic = nullptr;         // bandwidth model only
  std::deque<simgrid::s4u::CommPtr> transfers;  // bandwidth model: sends to reap
  bool waiting = false;   // blocked in its semaphore
  bool released = false;  // someone already woke it during this wait
  double wake_at = 0;     // when the current wait times out
};

class Simulation : public EventSink {
 public:
  Simulation(const Scenario& scenario, const Catalog& catalog, Recorder& recorder);
  ~Simulation();
  EngineResult run();

 private:
  // EventSink: queues an event the runtime created, at its receiver (the bandwidth model first
  // sends a message's bytes through SimGrid's flows).
  void schedule(Event&& e) override;

  void build_platform(simgrid::s4u::Engine& e);
  void node_main(NodeId id);
  void nic_main(NodeId id);
  void push(NodeId to, Event&& e);
  void check_end();
  void stop_all();

  const Scenario& sc_;
  Runtime runtime_;
  int n_;
  int nodes_count_;
  std::vector<NodeRuntime> rt_;
  bool stop_ = false;
  double horizon_;
  EngineResult result_;
};

}  // namespace bqsim::engine
