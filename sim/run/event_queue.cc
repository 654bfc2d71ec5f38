#include "sim/run/event_queue.h"

#include <algorithm>

#include "sim/model/check.h"

namespace bqsim {

EventQueues::EventQueues(int nodes) : queues_(nodes), pos_(nodes, kNotIndexed) {}

void EventQueues::push(const Event& e) {
  BQSIM_CHECK(e.to < queues_.size(), "an event for a node of the run");
  std::vector<Ref>& q = queues_[e.to];
  const Ref ref{e.t, store_.add(e)};
  const auto later = [this](const Ref& a, const Ref& b) { return before(b, a); };
  q.push_back(ref);
  std::push_heap(q.begin(), q.end(), later);
  ++size_;
  const uint32_t at = pos_[e.to];
  if (at == kNotIndexed) {
    index_.push_back(IndexEntry{q.front().t, e.to});
    pos_[e.to] = static_cast<uint32_t>(index_.size() - 1);
    index_sift_up(pos_[e.to]);
  } else if (q.front().slot == ref.slot) {  // the new event is the node's earliest
    index_[at].t = ref.t;
    index_sift_up(at);
  }
}

Event EventQueues::pop(NodeId id) {
  BQSIM_CHECK(has_events(id), "popping a node with events");
  std::vector<Ref>& q = queues_[id];
  const Ref top = q.front();
  const auto later = [this](const Ref& a, const Ref& b) { return before(b, a); };
  std::pop_heap(q.begin(), q.end(), later);
  q.pop_back();
  Event e = store_.take(top.slot, id);
  --size_;
  const uint32_t at = pos_[id];
  if (!q.empty()) {
    index_[at].t = q.front().t;
    index_sift_down(at);
    store_.prefetch(q.front().slot);
    return e;
  }
  // The node leaves the index: its place takes the last entry.
  pos_[id] = kNotIndexed;
  const IndexEntry last = index_.back();
  index_.pop_back();
  if (at < index_.size()) {
    index_place(at, last);
    index_sift_down(at);
    index_sift_up(pos_[last.node]);
  }
  return e;
}

void EventQueues::index_place(uint32_t i, const IndexEntry& e) {
  index_[i] = e;
  pos_[e.node] = i;
}

void EventQueues::index_sift_up(uint32_t i) {
  const IndexEntry e = index_[i];
  while (i > 0) {
    const uint32_t parent = (i - 1) / 2;
    if (!before(e, index_[parent])) break;
    index_place(i, index_[parent]);
    i = parent;
  }
  index_place(i, e);
}

void EventQueues::index_sift_down(uint32_t i) {
  const IndexEntry e = index_[i];
  const uint32_t size = static_cast<uint32_t>(index_.size());
  while (true) {
    uint32_t child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && before(index_[child + 1], index_[child])) ++child;
    if (!before(index_[child], e)) break;
    index_place(i, index_[child]);
    i = child;
  }
  index_place(i, e);
}

uint64_t EventQueues::bytes_reserved() const {
  uint64_t bytes = index_.capacity() * sizeof(IndexEntry) + pos_.capacity() * sizeof(uint32_t) +
                   queues_.capacity() * sizeof(std::vector<Ref>) + store_.bytes_reserved();
  for (const auto& q : queues_) bytes += q.capacity() * sizeof(Ref);
  return bytes;
}

}  // namespace bqsim
