// The native engine's pending events: one priority queue over the whole run, in bqsim's key
// order (sim/run/event.h). Built for runs with tens of millions of messages in flight: the
// heap holds 16-byte entries (time, slot, receiver), four siblings to a cache line, so a pop
// touches few lines however large the queue; equal times, rare with random delays, are
// broken by the rest of the key, read from the event's slot in the PackedStore.
//
// The SimGrid engine keeps its events per node (sim/run/event_queue.h) instead: a different
// structure for the same order, so the cross-engine test compares two implementations of it.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/run/block_array.h"
#include "sim/run/event.h"
#include "sim/run/packed_event.h"

namespace bqsim {

class EventHeap {
 public:
  EventHeap() {
    for (size_t i = 0; i < kRoot; ++i) heap_.push_back(Entry{0, 0, 0});
  }
  void push(const Event& e);
  // The earliest event, removed. REQUIRES: !empty().
  Event pop();

  bool empty() const { return heap_.size() == kRoot; }
  uint64_t size() const { return heap_.size() - kRoot; }
  // The earliest event's time. REQUIRES: !empty().
  double next_time() const { return heap_[kRoot].t; }

  // Bytes held by the heap and the event store.
  uint64_t bytes_reserved() const;

 private:
  struct Entry {
    double t;
    uint32_t slot;
    NodeId to;
  };
  // The root sits at index 3 and the children of i at 4i-8 .. 4i-5, so every group of four
  // siblings starts at a multiple of four entries (64 bytes, the storage being aligned to
  // 64). Indices 0..2 are unused.
  static constexpr size_t kRoot = 3;
  static size_t first_child(size_t i) { return 4 * i - 8; }
  static size_t parent(size_t i) { return i / 4 + 2; }
  // Above this many entries (4 MiB) the heap outgrows the caches.
  static constexpr size_t kPrefetchEntries = size_t{1} << 18;

  bool before(const Entry& a, const Entry& b) const {
    if (a.t != b.t) return a.t < b.t;
    return store_.at(a.slot).key() < store_.at(b.slot).key();
  }

  PackedStore store_;
  BlockArray<Entry> heap_;  // a 4-ary min-heap from kRoot on
};

}  // namespace bqsim
