// A due message or timer, and the order in which simultaneous events are handled. The order is
// bqsim's own, never an engine's execution order: by time, then the id of the node that created
// the event, then that node's own counter (one per node, for its sends and its timers alike),
// then the copy number (a message the network duplicates). Each key is unique in a run, so the
// order is total and a trace is a function of the scenario and the seed alone.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/messages.h"
#include "sim/model/node.h"
#include "sim/model/types.h"

namespace bqsim {

struct Event {
  double t = 0;          // when it is due, in simulated seconds
  NodeId from = 0;       // the node that created it (a timer's own node)
  uint64_t counter = 0;  // `from`'s own counter at creation
  uint32_t copy = 0;     // 0, or 1.. for copies of one send
  NodeId to = 0;         // the node that handles it
  bool is_timer = false;
  TimerId timer = 0;
  Message msg{};
  // Messages only: when it left its sender and its size on the wire (the bandwidth model
  // sends the bytes through SimGrid's flows, then adds the rest of the delay).
  double sent_s = 0;
  uint64_t bytes = 0;
};

// The handling order: a strict weak order, total on the events of one run.
inline bool handled_before(const Event& a, const Event& b) {
  return std::tie(a.t, a.from, a.counter, a.copy) < std::tie(b.t, b.from, b.counter, b.copy);
}

// For std::priority_queue, whose top is the largest element.
struct HandledLater {
  bool operator()(const Event& a, const Event& b) const { return handled_before(b, a); }
};

}  // namespace bqsim
