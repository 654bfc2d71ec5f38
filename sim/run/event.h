// A due message or timer, and the order in which events are handled. The order is bqsim's
// own, never an engine's execution order: every engine handles the pending event with the
// smallest key first, one at a time, where the key is
//
//   (time, round, creating node's id, that node's own counter, copy number).
//
// The round makes the order causal. An event created at instant t and due at that same
// instant t (a zero delay, or a zero-delay timer) gets the round of the event being handled
// plus one; every other event gets round 0. So everything already due at t is handled before
// anything it causes at t, and each key handled is larger than the one before: the sequence
// of handled keys is sorted, in every engine. The creating node's counter is one per node,
// for its sends and its timers alike; the copy number tells apart copies of one send (a
// network that duplicates). Each key is unique in a run, so the order is total and a trace
// is a function of the scenario and the seed alone.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/messages.h"
#include "sim/model/node.h"
#include "sim/model/types.h"

namespace bqsim {

struct EventKey {
  double t = 0;          // when it is due, in simulated seconds
  uint32_t round = 0;    // 0, or 1 + the round of its cause when created at its own instant
  NodeId from = 0;       // the node that created it (a timer's own node)
  uint64_t counter = 0;  // `from`'s own counter at creation
  uint32_t copy = 0;     // 0, or 1.. for copies of one send
};

inline bool operator<(const EventKey& a, const EventKey& b) {
  return std::tie(a.t, a.round, a.from, a.counter, a.copy) <
         std::tie(b.t, b.round, b.from, b.counter, b.copy);
}

// Flat fields, as handlers and engines read them; key() gathers the order's part.
struct Event {
  double t = 0;          // when it is due, in simulated seconds
  uint32_t round = 0;    // see EventKey
  NodeId from = 0;       // the node that created it (a timer's own node)
  uint64_t counter = 0;  // `from`'s own counter at creation
  uint32_t copy = 0;     // 0, or 1.. for copies of one send
  NodeId to = 0;         // the node that handles it
  bool is_timer = false;
  TimerId timer = 0;
  Message msg{};
  // Messages only: when it left its sender and its size on the wire (the bandwidth model
  // sends the bytes through SimGrid's flows, then adds the rest of the delay). Not kept in
  // the engines' queues, which hold only what handling needs.
  double sent_s = 0;
  uint64_t bytes = 0;

  EventKey key() const { return EventKey{t, round, from, counter, copy}; }
};

// The handling order: a strict weak order, total on the events of one run.
inline bool handled_before(const Event& a, const Event& b) { return a.key() < b.key(); }

// For std::priority_queue, whose top is the largest element.
struct HandledLater {
  bool operator()(const Event& a, const Event& b) const { return handled_before(b, a); }
};

}  // namespace bqsim
