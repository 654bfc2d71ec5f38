// The set of states an exploration has expanded, by 128-bit fingerprint (state_hash.h): open
// addressing with linear probing, 16 bytes a slot, grown at half load. A std::unordered_set
// would take about four times the memory and a pointer chase per look-up.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/model/state_hash.h"

namespace bqsim {

class VisitedSet {
 public:
  VisitedSet();
  // True if `h` was not in the set (it is now).
  bool insert(Hash128 h);
  size_t size() const { return size_; }
  size_t bytes() const { return slots_.size() * sizeof(Hash128); }

 private:
  void grow();

  std::vector<Hash128> slots_;  // {0, 0}: empty (a fingerprint of {0, 0} is stored as {0, 1})
  size_t size_ = 0;
  size_t mask_ = 0;
};

}  // namespace bqsim
