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

#include "adversaries/registry.h"
#include "sim/run/link_model.h"
#include "sim/run/node_set.h"
#include "sim/model/node.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/engine/engine.h"

namespace bqsim::engine {

// A due message or timer in a node's queue. `seq` breaks ties in sending order, which makes
// runs deterministic.
struct Entry {
  double t = 0;
  uint64_t seq = 0;
  NodeId from = 0;
  bool is_timer = false;
  TimerId timer = 0;
  Message msg{};
};

struct Later {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.t != b.t ? a.t > b.t : a.seq > b.seq;
  }
};

struct NodeRuntime {
  std::priority_queue<Entry, std::vector<Entry>, Later> queue;
  simgrid::s4u::SemaphorePtr wake;
  simgrid::s4u::Host* host = nullptr;
  simgrid::s4u::Mailbox* nic = nullptr;         // bandwidth model only
  std::deque<simgrid::s4u::CommPtr> transfers;  // bandwidth model: sends to reap
  bool waiting = false;   // blocked in its semaphore
  bool released = false;  // someone already woke it during this wait
  double wake_at = 0;     // when the current wait times out
  double now = 0;         // virtual time of the last event handled (monotone)
  bool done_counted = false;
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, const Catalog& catalog, Recorder& recorder);
  ~Simulation();
  EngineResult run();

 private:
  void build_platform(simgrid::s4u::Engine& e);
  void build_nodes();
  void node_main(NodeId id);
  void nic_main(NodeId id);
  void flush(NodeId self, Outbox& out, double now);
  void send(NodeId self, Send&& s, double now);
  void push(NodeId to, Entry&& e);
  void after_event(NodeId id);
  void stop_all();

  const Scenario& sc_;
  const Catalog& catalog_;
  Recorder& rec_;
  int n_;
  int nodes_count_;
  LinkModel links_;
  WireSizes sizes_;
  NodeSet set_;
  std::vector<NodeRuntime> rt_;
  uint64_t seq_ = 0;
  uint64_t in_flight_ = 0;
  uint64_t sent_ = 0;
  int clients_done_ = 0;
  bool stop_ = false;
  double horizon_;
  EngineResult result_;
};

}  // namespace bqsim::engine
