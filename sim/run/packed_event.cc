#include "sim/run/packed_event.h"
#include "sim/run/block_array.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <utility>

#include "sim/model/check.h"

namespace bqsim {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

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

void* allocate_block(size_t bytes) {
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

void free_block(void* p, size_t bytes) {
  if (bytes < kHugePage) {
    // Unsized: clang before 19 declares no sized deallocation without -fsized-deallocation.
    ::operator delete(p, std::align_val_t{64});
    return;
  }
  ::munmap(p, bytes);
}

size_t page_rounded(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

void* map_pages(size_t bytes) { return allocate_block(page_rounded(std::max(bytes, kHugePage))); }

void* remap_pages(void* p, size_t old_bytes, size_t new_bytes) {
  void* q = ::mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
  if (q == MAP_FAILED) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
  ::madvise(q, new_bytes, MADV_HUGEPAGE);
#endif
  return q;
}

void unmap_pages(void* p, size_t bytes) { ::munmap(p, bytes); }

uint32_t PackedStore::add(const Event& e) {
  uint32_t slot;
  if (free_head_ != kNoSlot) {
    slot = free_head_;
    std::memcpy(&free_head_, &slot_ref(slot), sizeof free_head_);  // the next free slot
  } else {
    BQSIM_CHECK(used_ < UINT32_MAX, "fewer than 2^32 events pending at once");
    if ((used_ & (kChunkSize - 1)) == 0) {
      chunks_.emplace_back(
          static_cast<PackedEvent*>(allocate_block(kChunkSize * sizeof(PackedEvent))));
    }
    slot = used_++;
  }
  slot_ref(slot) = pack(e);
  return slot;
}

Event PackedStore::take(uint32_t slot, NodeId to) {
  Event e = unpack(at(slot), to);
  // The free list runs through the free slots themselves: no memory of its own.
  std::memcpy(reinterpret_cast<unsigned char*>(&slot_ref(slot)), &free_head_, sizeof free_head_);
  free_head_ = slot;
  return e;
}

void PackedStore::prefetch(uint32_t slot) const {
#if defined(__GNUC__)
  const char* p = reinterpret_cast<const char*>(&at(slot));
  __builtin_prefetch(p);
  __builtin_prefetch(p + sizeof(PackedEvent) - 1);
#else
  (void)slot;
#endif
}

uint64_t PackedStore::bytes_reserved() const {
  return chunks_.size() * kChunkSize * sizeof(PackedEvent);
}

}  // namespace bqsim
