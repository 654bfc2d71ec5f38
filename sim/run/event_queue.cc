#include "sim/run/event_queue.h"

#include <algorithm>
#include <utility>

#include "sim/model/check.h"

namespace bqsim {
namespace {

// pack() and unpack() copy the fields below by name. A message type that gains a field (its
// size changes) must be added there, or the field would be lost in the queue: these checks
// make that a compile error instead. The round trip of every type is tested too.
static_assert(std::variant_size_v<Message> == 6, "a new message type: update pack()/unpack()");
static_assert(sizeof(TsQuery) == 16 && sizeof(ReadRequest) == 16 && sizeof(WriteAck) == 32 &&
                  sizeof(TsReply) == 48 && sizeof(ReadReply) == 48 && sizeof(WriteRequest) == 48,
              "a message gained a field: update pack()/unpack()");
static_assert(sizeof(PackedEvent) == 72, "keep queued events small: runs hold tens of millions");

template <class M>
void pack_message(const M& m, PackedEvent& p) {
  p.op = m.op;
  p.reg = m.key;
  if constexpr (requires { m.pair; }) {
    p.value = m.pair.value;
    p.ts_counter = m.pair.ts.counter;
    p.ts_writer = m.pair.ts.writer;
    p.sig = m.pair.sig;
  }
  if constexpr (requires { m.ts; }) {
    p.ts_counter = m.ts.counter;
    p.ts_writer = m.ts.writer;
  }
  if constexpr (requires { m.value; }) p.value = m.value;
  if constexpr (requires { m.sig; }) p.sig = m.sig;
}

template <size_t I>
Message unpack_message(const PackedEvent& p) {
  using M = std::variant_alternative_t<I, Message>;
  M m{};
  m.op = p.op;
  m.key = p.reg;
  const Timestamp ts{p.ts_counter, p.ts_writer};
  if constexpr (requires { m.pair; }) m.pair = Pair{p.value, ts, p.sig};
  if constexpr (requires { m.ts; }) m.ts = ts;
  if constexpr (requires { m.value; }) m.value = p.value;
  if constexpr (requires { m.sig; }) m.sig = p.sig;
  return Message{std::in_place_index<I>, m};
}

template <size_t... I>
constexpr auto unpackers(std::index_sequence<I...>) {
  return std::array<Message (*)(const PackedEvent&), sizeof...(I)>{&unpack_message<I>...};
}
constexpr auto kUnpack = unpackers(std::make_index_sequence<kMessageTypes>{});

// Heap order on packed events: the top is the smallest key.
struct PackedLater {
  bool operator()(const PackedEvent& a, const PackedEvent& b) const { return b.key() < a.key(); }
};

}  // namespace

PackedEvent pack(const Event& e) {
  PackedEvent p;
  p.t = e.t;
  p.counter = e.counter;
  p.from = e.from;
  p.round = e.round;
  p.copy = e.copy;
  if (e.is_timer) {
    p.kind = PackedEvent::kTimerKind;
    p.op = e.timer;
  } else {
    p.kind = static_cast<uint8_t>(e.msg.index());
    std::visit([&p](const auto& m) { pack_message(m, p); }, e.msg);
  }
  return p;
}

Event unpack(const PackedEvent& p, NodeId to) {
  Event e;
  e.t = p.t;
  e.counter = p.counter;
  e.from = p.from;
  e.round = p.round;
  e.copy = p.copy;
  e.to = to;
  if (p.kind == PackedEvent::kTimerKind) {
    e.is_timer = true;
    e.timer = p.op;
  } else {
    BQSIM_CHECK(p.kind < kMessageTypes, "a packed event holds a message type");
    e.msg = kUnpack[p.kind](p);
  }
  return e;
}

EventQueues::EventQueues(int nodes) : queues_(nodes), pos_(nodes, kNotIndexed) {}

void EventQueues::push(const Event& e) {
  BQSIM_CHECK(e.to < queues_.size(), "an event for a node of the run");
  std::vector<PackedEvent>& q = queues_[e.to];
  // Grow by half, not double: with tens of millions of events queued, doubling leaves up to
  // half of the storage unused.
  if (q.size() == q.capacity()) q.reserve(q.capacity() + q.capacity() / 2 + 4);
  q.push_back(pack(e));
  std::push_heap(q.begin(), q.end(), PackedLater{});
  ++size_;
  const uint32_t at = pos_[e.to];
  if (at == kNotIndexed) {
    index_.push_back(IndexEntry{q.front().key(), e.to});
    pos_[e.to] = static_cast<uint32_t>(index_.size() - 1);
    index_sift_up(pos_[e.to]);
  } else if (q.front().key() < index_[at].key) {
    index_[at].key = q.front().key();
    index_sift_up(at);
  }
}

Event EventQueues::pop(NodeId id) {
  BQSIM_CHECK(has_events(id), "popping a node with events");
  std::vector<PackedEvent>& q = queues_[id];
  Event e = unpack(q.front(), id);
  std::pop_heap(q.begin(), q.end(), PackedLater{});
  q.pop_back();
  --size_;
  const uint32_t at = pos_[id];
  if (!q.empty()) {
    index_[at].key = q.front().key();
    index_sift_down(at);
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
    if (!(e.key < index_[parent].key)) break;
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
    if (child + 1 < size && index_[child + 1].key < index_[child].key) ++child;
    if (!(index_[child].key < e.key)) break;
    index_place(i, index_[child]);
    i = child;
  }
  index_place(i, e);
}

uint64_t EventQueues::bytes_reserved() const {
  uint64_t bytes = index_.capacity() * sizeof(IndexEntry) + pos_.capacity() * sizeof(uint32_t) +
                   queues_.capacity() * sizeof(std::vector<PackedEvent>);
  for (const auto& q : queues_) bytes += q.capacity() * sizeof(PackedEvent);
  return bytes;
}

}  // namespace bqsim
