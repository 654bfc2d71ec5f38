// The native engine's pending events: one priority queue over the whole run, in bqsim's key
// order (sim/run/event.h). Built for runs with tens of millions of messages in flight:
//
// - the heap holds 16-byte entries (time, slot, receiver), four children to a cache line, so
//   a pop touches few lines however large the queue; equal times, rare with random delays,
//   are broken by the rest of the key, read from the slot;
// - events are stored packed (sim/run/event_queue.h's PackedEvent, 72 bytes) in fixed-size
//   chunks, reused through a free list, so growing never copies them and never holds two
//   copies of the storage at once (a vector that doubles briefly needs three times its size).
//
// The SimGrid engine keeps its events per node (EventQueues) instead: a different structure
// for the same order, so the cross-engine test compares two implementations of it.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "sim/run/event.h"
#include "sim/run/event_queue.h"

namespace bqsim {

class EventHeap {
 public:
  void push(const Event& e);
  // The earliest event, removed. REQUIRES: !empty().
  Event pop();

  bool empty() const { return heap_.size() == kRoot; }
  uint64_t size() const { return heap_.size() - kRoot; }
  // The earliest event's time. REQUIRES: !empty().
  double next_time() const { return heap_[kRoot].t; }

  // Bytes held by the heap, the event storage and the free list.
  uint64_t bytes_reserved() const;

 private:
  struct Entry {
    double t;
    uint32_t slot;
    NodeId to;
  };
  // Storage aligned to cache lines, so that four siblings share one line.
  template <class T>
  struct LineAllocator {
    using value_type = T;
    LineAllocator() = default;
    template <class U>
    explicit LineAllocator(const LineAllocator<U>&) {}
    T* allocate(size_t n) {
      return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
    }
    void deallocate(T* p, size_t n) { ::operator delete(p, n * sizeof(T), std::align_val_t{64}); }
    bool operator==(const LineAllocator&) const { return true; }
  };
  // The root sits at index 3 and the children of i at 4i-8 .. 4i-5, so every group of four
  // siblings starts at a multiple of four entries (64 bytes). Indices 0..2 are unused.
  static constexpr size_t kRoot = 3;
  static size_t first_child(size_t i) { return 4 * i - 8; }
  static size_t parent(size_t i) { return i / 4 + 2; }
  static constexpr uint32_t kChunkBits = 14;  // 16384 events (1.2 MB) per chunk
  static constexpr uint32_t kChunkSize = uint32_t{1} << kChunkBits;

  PackedEvent& at(uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)]; }
  const PackedEvent& at(uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }
  bool before(const Entry& a, const Entry& b) const {
    if (a.t != b.t) return a.t < b.t;
    return at(a.slot).key() < at(b.slot).key();
  }
  uint32_t allocate();
  void prefetch_top() const;

  std::vector<Entry, LineAllocator<Entry>> heap_ =
      std::vector<Entry, LineAllocator<Entry>>(kRoot);  // a 4-ary min-heap from kRoot on
  std::vector<std::unique_ptr<PackedEvent[]>> chunks_;
  std::vector<uint32_t> free_;
  uint32_t used_ = 0;  // slots ever handed out
};

}  // namespace bqsim
