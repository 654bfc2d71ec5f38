#include "protocols/common/buffer_pool.h"

#include "sim/model/check.h"

namespace bqsim {

BufferPool::BufferPool(uint32_t client_index, uint32_t capacity, uint32_t per_op)
    : client_(client_index), capacity_(capacity), per_op_(per_op) {
  BQSIM_CHECK(capacity == 0 || capacity >= per_op, "a buffer pool smaller than one operation");
}

void BufferPool::lock(Outbox& out) {
  in_use_ += per_op_;
  out.emit(BuffersInUse{client_, in_use_, capacity_});
}

bool BufferPool::admit(const Operation& op, Outbox& out) {
  if (!limited()) return true;
  if (waiting() > 0 || !fits()) {
    waiting_.push_back(op);
    return false;
  }
  lock(out);
  return true;
}

void BufferPool::release(Outbox& out) {
  if (!limited()) return;
  BQSIM_CHECK(in_use_ >= per_op_, "releasing buffers nobody locked");
  in_use_ -= per_op_;
  out.emit(BuffersInUse{client_, in_use_, capacity_});
}

bool BufferPool::next_admitted(Operation& op, Outbox& out) {
  if (waiting() == 0 || !fits()) return false;
  op = waiting_[head_++];
  if (head_ == waiting_.size()) {
    waiting_.clear();
    head_ = 0;
  }
  lock(out);
  return true;
}

void BufferPool::hash_state(StateHasher& h) const {
  h.add(in_use_);
  h.add(waiting());
  for (size_t i = head_; i < waiting_.size(); ++i) {
    const Operation& op = waiting_[i];
    h.add(op.id);
    h.add(static_cast<uint64_t>(op.kind));
    h.add(op.key);
    h.add(op.value);
  }
}

}  // namespace bqsim
