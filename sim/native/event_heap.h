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
  // Storage aligned to cache lines (so that four siblings share one line), and large blocks
  // on huge pages (see allocate_block).
  template <class T>
  struct BlockAllocator {
    using value_type = T;
    BlockAllocator() = default;
    template <class U>
    explicit BlockAllocator(const BlockAllocator<U>&) {}
    T* allocate(size_t n) { return static_cast<T*>(allocate_block(n * sizeof(T))); }
    void deallocate(T* p, size_t n) { free_block(p, n * sizeof(T)); }
    bool operator==(const BlockAllocator&) const { return true; }
  };
  // Memory aligned to 64 bytes. Blocks of 2 MiB and more are mapped on their own and marked
  // for transparent huge pages: a pop reads a dozen random heap lines and an event slot,
  // and with 4 KiB pages each read of a large queue missed the TLB too.
  static void* allocate_block(size_t bytes);
  static void free_block(void* p, size_t bytes);
  struct ChunkDeleter {
    void operator()(PackedEvent* p) const { free_block(p, kChunkSize * sizeof(PackedEvent)); }
  };
  // The root sits at index 3 and the children of i at 4i-8 .. 4i-5, so every group of four
  // siblings starts at a multiple of four entries (64 bytes). Indices 0..2 are unused.
  static constexpr size_t kRoot = 3;
  static size_t first_child(size_t i) { return 4 * i - 8; }
  static size_t parent(size_t i) { return i / 4 + 2; }
  static constexpr uint32_t kChunkBits = 17;  // 131072 events (9 MiB) per chunk
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

  std::vector<Entry, BlockAllocator<Entry>> heap_ =
      std::vector<Entry, BlockAllocator<Entry>>(kRoot);  // a 4-ary min-heap from kRoot on
  std::vector<std::unique_ptr<PackedEvent[], ChunkDeleter>> chunks_;
  std::vector<uint32_t> free_;
  uint32_t used_ = 0;  // slots ever handed out
};

}  // namespace bqsim
