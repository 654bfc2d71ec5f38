#include "sim/native/event_heap.h"

#include <sys/mman.h>

#include <new>

#include "sim/model/check.h"

namespace bqsim {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

void* EventHeap::allocate_block(size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes, std::align_val_t{64});
  // Mapped with a huge page's worth of slack, then trimmed to a huge-page boundary.
  const size_t span = bytes + kHugePage;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t end = aligned + bytes;
  const uintptr_t span_end = start + span;
  if (span_end > end) ::munmap(reinterpret_cast<void*>(end), span_end - end);
#if defined(MADV_HUGEPAGE)
  ::madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: may be refused
#endif
  return reinterpret_cast<void*>(aligned);
}

void EventHeap::free_block(void* p, size_t bytes) {
  if (bytes < kHugePage) {
    ::operator delete(p, bytes, std::align_val_t{64});
    return;
  }
  ::munmap(p, bytes);
}

uint32_t EventHeap::allocate() {
  if (!free_.empty()) {
    const uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  BQSIM_CHECK(used_ < UINT32_MAX, "fewer than 2^32 events pending at once");
  if ((used_ & (kChunkSize - 1)) == 0) {
    chunks_.emplace_back(
        static_cast<PackedEvent*>(allocate_block(kChunkSize * sizeof(PackedEvent))));
  }
  return used_++;
}

void EventHeap::push(const Event& e) {
  const uint32_t slot = allocate();
  at(slot) = pack(e);
  // Sift up with a hole: the new entry is written once, where it belongs.
  const Entry entry{e.t, slot, e.to};
  size_t i = heap_.size();
  heap_.push_back(entry);
  while (i > kRoot) {
    const size_t up = parent(i);
    if (!before(entry, heap_[up])) break;
    heap_[i] = heap_[up];
    i = up;
  }
  heap_[i] = entry;
  if (i == kRoot) prefetch_top();
}

Event EventHeap::pop() {
  BQSIM_CHECK(!empty(), "popping an empty queue");
  const Entry top = heap_[kRoot];
  Event e = unpack(at(top.slot), top.to);
  free_.push_back(top.slot);
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t size = heap_.size();
  if (size == kRoot) return e;
  // Floyd's order: move the hole down to a leaf along the smaller children (comparisons
  // among children only), then sift the last entry up from there: it came from the bottom,
  // so it rarely climbs, and each level costs one comparison fewer.
  size_t i = kRoot;
  while (true) {
    const size_t first = first_child(i);
    if (first >= size) break;
    size_t best = first;
    if (first + 4 <= size) {
      const Entry* c = &heap_[first];
#if defined(__GNUC__)
      // The grandchildren, one cache line per child: the next level's loads start while this
      // level compares (large runs keep the heap out of the cache).
      if (first_child(first + 3) < size) {
        for (size_t k = 0; k < 4; ++k) __builtin_prefetch(&heap_[first_child(first + k)]);
      }
#endif
      // Four children: the smallest time picked without branches (random times make branches
      // a coin toss), then the full key only if another child shares that time.
      const size_t b01 = c[1].t < c[0].t ? 1 : 0;
      const size_t b23 = c[3].t < c[2].t ? 3 : 2;
      const size_t b = c[b23].t < c[b01].t ? b23 : b01;
      const double t = c[b].t;
      const int ties = (c[0].t == t) + (c[1].t == t) + (c[2].t == t) + (c[3].t == t);
      best = first + b;
      if (ties > 1) {
        for (size_t k = first; k < first + 4; ++k) {
          if (before(heap_[k], heap_[best])) best = k;
        }
      }
    } else {
      for (size_t k = first + 1; k < size; ++k) {
        if (before(heap_[k], heap_[best])) best = k;
      }
    }
    heap_[i] = heap_[best];
    i = best;
  }
  while (i > kRoot) {
    const size_t up = parent(i);
    if (!before(last, heap_[up])) break;
    heap_[i] = heap_[up];
    i = up;
  }
  heap_[i] = last;
  prefetch_top();
  return e;
}

void EventHeap::prefetch_top() const {
  // The next pop reads the new top's packed event, a random slot and so a cache miss in large
  // runs; asking for it now overlaps the miss with handling the event just popped.
#if defined(__GNUC__)
  const PackedEvent* p = &at(heap_[kRoot].slot);
  __builtin_prefetch(p);
  __builtin_prefetch(reinterpret_cast<const char*>(p) + sizeof(PackedEvent) - 1);
#endif
}

uint64_t EventHeap::bytes_reserved() const {
  return heap_.capacity() * sizeof(Entry) + chunks_.size() * kChunkSize * sizeof(PackedEvent) +
         free_.capacity() * sizeof(uint32_t);
}

}  // namespace bqsim
