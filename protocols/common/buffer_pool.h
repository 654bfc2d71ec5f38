// A client's finite pool of message buffers (PROTOCOLS.md §5, option `buffers` of the
// u-protocols). An operation may have a message outstanding with every server, so it needs n
// buffers: step FIRST locks n before the operation sends anything, step LAST releases them after
// it completed. Operations that find fewer than n free wait, and start in FIFO order as buffers
// come back. Every change of occupancy is traced (BuffersInUse), so the checker can verify it
// never exceeds B.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/model/node.h"

namespace bqsim {

class BufferPool {
 public:
  // capacity 0: unlimited (nobody waits, nothing is traced).
  // REQUIRES: capacity == 0 || capacity >= per_op (else no operation could ever start; the
  // scenario reader rejects buffers < n).
  BufferPool(uint32_t client_index, uint32_t capacity, uint32_t per_op);

  // FIRST: locks the buffers of `op` and returns true, or queues `op` and returns false. An
  // operation also queues while others are waiting, so they start in invocation order.
  bool admit(const Operation& op, Outbox& out);
  // LAST: returns one operation's buffers. REQUIRES: an admitted operation holds them.
  void release(Outbox& out);
  // Locks the buffers of the oldest waiting operation if enough are free, and hands it out.
  bool next_admitted(Operation& op, Outbox& out);

  bool limited() const { return capacity_ > 0; }
  uint32_t in_use() const { return in_use_; }
  size_t waiting() const { return waiting_.size() - head_; }
  // Exploration: occupancy and the waiting operations, in order.
  void hash_state(StateHasher& h) const;

 private:
  bool fits() const { return in_use_ + per_op_ <= capacity_; }
  void lock(Outbox& out);

  uint32_t client_;
  uint32_t capacity_;
  uint32_t per_op_;
  uint32_t in_use_ = 0;
  // FIFO from head_ on; only grows when the pool is exhausted. A vector, not a deque: an
  // empty deque already holds a block, and runs have tens of thousands of clients.
  std::vector<Operation> waiting_;
  size_t head_ = 0;
};

}  // namespace bqsim
