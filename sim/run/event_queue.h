// The SimGrid engine's pending events: per node, in key order (event.h), with an index over
// the nodes by their earliest key, so the globally earliest event and its node are known at
// once. Only that node's actor may handle it, and each idle actor waits for its node's own
// earliest time. (The native engine keeps one global queue instead, sim/native/event_heap.h:
// a different structure for the same order, so the cross-engine test compares two
// implementations of it.) Events live packed in a PackedStore; the heaps hold 16-byte
// references to them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/run/event.h"
#include "sim/run/packed_event.h"

namespace bqsim {

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
  // Node `id`'s earliest time. REQUIRES: has_events(id).
  double next_time(NodeId id) const { return queues_[id].front().t; }

  // Bytes held: the queues' storage (capacity, not size), the index and the event store.
  uint64_t bytes_reserved() const;

 private:
  struct Ref {
    double t;
    uint32_t slot;
  };
  struct IndexEntry {
    double t;  // the node's earliest time, copied so that most comparisons stay in the index
    NodeId node;
  };
  static constexpr uint32_t kNotIndexed = 0xffffffff;

  bool before(const Ref& a, const Ref& b) const {
    if (a.t != b.t) return a.t < b.t;
    return store_.at(a.slot).key() < store_.at(b.slot).key();
  }
  bool before(const IndexEntry& a, const IndexEntry& b) const {
    if (a.t != b.t) return a.t < b.t;
    return before(queues_[a.node].front(), queues_[b.node].front());
  }
  void index_sift_up(uint32_t i);
  void index_sift_down(uint32_t i);
  void index_place(uint32_t i, const IndexEntry& e);

  PackedStore store_;
  std::vector<std::vector<Ref>> queues_;  // per node, a binary heap
  std::vector<IndexEntry> index_;         // a binary heap over nodes with events
  std::vector<uint32_t> pos_;             // per node: its place in index_
  uint64_t size_ = 0;
};

}  // namespace bqsim
