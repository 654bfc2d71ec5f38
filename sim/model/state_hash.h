// Fingerprints of node states, for exhaustive exploration (sim/explore): two states with the
// same fingerprint are treated as the same state, so each is expanded once. A node hashes
// everything its future behaviour depends on and nothing else (a recycled slot's leftovers,
// say), so that equivalent interleavings meet. 128 bits: with 10^8 states the chance that
// two distinct states collide is below 10^-22, far under any other source of error.
#pragma once

#include <bit>
#include <cstdint>

#include "sim/model/messages.h"
#include "sim/model/types.h"

namespace bqsim {

struct Hash128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const Hash128&) const = default;
  Hash128& operator+=(const Hash128& o) {  // multiset union: order-free
    lo += o.lo;
    hi += o.hi;
    return *this;
  }
  Hash128& operator-=(const Hash128& o) {
    lo -= o.lo;
    hi -= o.hi;
    return *this;
  }
};

// A streaming hash of a sequence of words: two independent lanes of SplitMix64 mixing.
class StateHasher {
 public:
  explicit StateHasher(uint64_t domain = 0) : a_(domain), b_(~domain) {}

  void add(uint64_t x);
  void add_double(double x) { add(std::bit_cast<uint64_t>(x)); }
  void add(Timestamp ts) {
    add(ts.counter);
    add(ts.writer);
  }
  void add(const Pair& p) {
    add(p.value);
    add(p.ts);
    add(p.sig);
  }
  void add(const Message& m);
  void add(const Hash128& h) {
    add(h.lo);
    add(h.hi);
  }
  Hash128 digest() const;

 private:
  uint64_t a_;
  uint64_t b_;
};

}  // namespace bqsim
