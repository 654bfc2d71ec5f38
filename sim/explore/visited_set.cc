#include "sim/explore/visited_set.h"

#include <utility>

namespace bqsim {
namespace {

constexpr size_t kInitialSlots = size_t{1} << 16;

Hash128 stored_form(Hash128 h) {
  if (h.lo == 0 && h.hi == 0) h.hi = 1;  // {0, 0} marks an empty slot
  return h;
}

bool empty(const Hash128& h) { return h.lo == 0 && h.hi == 0; }

}  // namespace

VisitedSet::VisitedSet() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

bool VisitedSet::insert(Hash128 h) {
  h = stored_form(h);
  for (size_t i = h.lo & mask_;; i = (i + 1) & mask_) {
    if (empty(slots_[i])) {
      slots_[i] = h;
      if (++size_ * 2 > slots_.size()) grow();
      return true;
    }
    if (slots_[i] == h) return false;
  }
}

void VisitedSet::grow() {
  std::vector<Hash128> old(slots_.size() * 2);
  std::swap(old, slots_);
  mask_ = slots_.size() - 1;
  for (const Hash128& h : old) {
    if (empty(h)) continue;
    size_t i = h.lo & mask_;
    while (!empty(slots_[i])) i = (i + 1) & mask_;
    slots_[i] = h;
  }
}

}  // namespace bqsim
