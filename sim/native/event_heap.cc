#include "sim/native/event_heap.h"

#include "sim/model/check.h"

namespace bqsim {

void EventHeap::push(const Event& e) {
  const uint32_t slot = store_.add(e);
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
  if (i == kRoot) store_.prefetch(slot);
}

Event EventHeap::pop() {
  BQSIM_CHECK(!empty(), "popping an empty queue");
  const Entry top = heap_[kRoot];
  Event e = store_.take(top.slot, top.to);
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t size = heap_.size();
  if (size == kRoot) return e;
  // Floyd's order: move the hole down to a leaf along the smaller children (comparisons
  // among children only), then sift the last entry up from there: it came from the bottom,
  // so it rarely climbs, and each level costs one comparison fewer.
  size_t i = kRoot;
  // Beyond the caches, the grandchildren's lines are asked for while this level compares.
  const bool large = size > kPrefetchEntries;
  while (true) {
    const size_t first = first_child(i);
    if (first >= size) break;
    size_t best = first;
    if (first + 4 <= size) {
      const Entry* c = &heap_[first];
#if defined(__GNUC__)
      if (large && first_child(first + 3) < size) {
        for (size_t k = 0; k < 4; ++k) __builtin_prefetch(&heap_[first_child(first + k)]);
      }
#endif
      // Four children: the smallest time picked without branches (random times make branches
      // a coin toss), then the full key only if another child shares that time.
      const size_t b01 = c[1].t < c[0].t ? 1 : 0;
      const size_t b23 = c[3].t < c[2].t ? 3 : 2;
      const size_t b = c[b23].t < c[b01].t ? b23 : b01;
      best = first + b;
      // Another child at the smallest time ties within its pair or with the other pair's
      // smallest (a pair tie elsewhere only costs the slow path).
      if ((c[0].t == c[1].t) | (c[2].t == c[3].t) | (c[b01].t == c[b23].t)) {
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
  // The next pop reads the new top's event, a random slot and so a cache miss in large runs:
  // asking for it now overlaps the miss with handling the event just popped.
  store_.prefetch(heap_[kRoot].slot);
  return e;
}

uint64_t EventHeap::bytes_reserved() const {
  return heap_.capacity() * sizeof(Entry) + store_.bytes_reserved();
}

}  // namespace bqsim
