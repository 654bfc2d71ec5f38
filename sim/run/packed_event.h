// Pending events as the engines store them. Memory is what limits large runs (tens of
// millions of messages in flight), so an event is kept packed, in 72 bytes, without the
// fields only the bandwidth model's transfers need, in a store of fixed-size chunks on huge
// pages that never copies events when it grows. The queues (the native engine's EventHeap,
// the SimGrid engine's EventQueues) order 16-byte references (time, slot) into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

// Memory aligned to 64 bytes. Blocks of 2 MiB and more are mapped on their own and marked for
// transparent huge pages: a queue operation reads a dozen random lines, and with 4 KiB pages
// each of them also missed the TLB in large runs.
void* allocate_block(size_t bytes);
void free_block(void* p, size_t bytes);

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

// Packed events by slot number. Slots are reused last-freed first, so the lines just freed
// are the next written.
class PackedStore {
 public:
  uint32_t add(const Event& e);
  const PackedEvent& at(uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }
  // The event in `slot`, for node `to`; the slot is free afterwards.
  Event take(uint32_t slot, NodeId to);
  // Asks the cache for `slot`'s lines ahead of a take().
  void prefetch(uint32_t slot) const;
  uint64_t bytes_reserved() const;

 private:
  static constexpr uint32_t kChunkBits = 17;  // 131072 events (9 MiB) per chunk
  static constexpr uint32_t kChunkSize = uint32_t{1} << kChunkBits;
  struct ChunkDeleter {
    void operator()(PackedEvent* p) const { free_block(p, kChunkSize * sizeof(PackedEvent)); }
  };
  PackedEvent& slot_ref(uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)]; }

  std::vector<std::unique_ptr<PackedEvent[], ChunkDeleter>> chunks_;
  static constexpr uint32_t kNoSlot = 0xffffffff;
  uint32_t free_head_ = kNoSlot;  // the last slot freed; each free slot holds the next one
  uint32_t used_ = 0;             // slots ever handed out
};

}  // namespace bqsim
