// The pending events of a run, kept the way every engine needs them: per node, in key order
// (event.h), with an index over the nodes by their earliest key, so the globally earliest
// event and its node are known at once. The native engine pops that event; the SimGrid
// engine lets only that node's actor handle it, and wakes each idle actor at its own
// earliest time.
//
// Memory is what limits large runs (tens of millions of messages in flight), so an event is
// stored packed: 72 bytes, without the fields only the bandwidth model's transfers need.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/run/event.h"

namespace bqsim {

// One queued event. The message's fields are flattened (the variant's alternatives share a
// handful of fields); `kind` is the message type, or kTimerKind.
struct PackedEvent {
  double t = 0;
  uint64_t counter = 0;
  NodeId from = 0;
  uint32_t round = 0;
  uint32_t copy = 0;
  uint8_t kind = 0;
  Key reg = 0;          // the message's register key
  uint32_t ts_writer = 0;
  uint64_t op = 0;      // the message's operation, or the timer's id
  uint64_t ts_counter = 0;
  uint64_t value = 0;
  Signature sig = 0;

  static constexpr uint8_t kTimerKind = 0xff;
  EventKey key() const { return EventKey{t, round, from, counter, copy}; }
};

PackedEvent pack(const Event& e);
// REQUIRES: p came from pack(); `to` is the node whose queue held it.
Event unpack(const PackedEvent& p, NodeId to);

class EventQueues {
 public:
  explicit EventQueues(int nodes);

  void push(const Event& e);
  // Node `id`'s earliest event, removed. REQUIRES: has_events(id).
  Event pop(NodeId id);

  bool empty() const { return index_.empty(); }
  uint64_t size() const { return size_; }
  bool has_events(NodeId id) const { return !queues_[id].empty(); }
  // The node holding the globally earliest event. REQUIRES: !empty().
  NodeId next_node() const { return index_.front().node; }
  // Node `id`'s earliest key. REQUIRES: has_events(id).
  const EventKey& next_key(NodeId id) const { return index_[pos_[id]].key; }
  double next_time(NodeId id) const { return next_key(id).t; }

  // Bytes held: the queues' storage (capacity, not size) and the index.
  uint64_t bytes_reserved() const;

 private:
  struct IndexEntry {
    EventKey key;  // the node's earliest key, copied so comparisons stay in the index
    NodeId node;
  };
  static constexpr uint32_t kNotIndexed = 0xffffffff;

  void index_sift_up(uint32_t i);
  void index_sift_down(uint32_t i);
  void index_place(uint32_t i, const IndexEntry& e);

  std::vector<std::vector<PackedEvent>> queues_;  // per node, a binary heap
  std::vector<IndexEntry> index_;                 // a binary heap over nodes with events
  std::vector<uint32_t> pos_;                     // per node: its place in index_
  uint64_t size_ = 0;
};

}  // namespace bqsim
