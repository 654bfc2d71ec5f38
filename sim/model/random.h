// Seeded random streams (STYLE.md: determinism). Each component draws from its own stream,
// derived from (run seed, purpose, id), so adding a node or a client does not shift anyone
// else's draws. No std:: distribution classes: their output differs between standard libraries.
#pragma once

#include <cstdint>
#include <string_view>

namespace bqsim {

// SplitMix64 finaliser: a bijective 64-bit mixer.
uint64_t mix64(uint64_t x);
// FNV-1a of a purpose name, so stream derivation does not depend on enum numbering.
uint64_t hash_name(std::string_view s);

// The full 128-bit product of two 64-bit words, in portable C++ (no __int128).
struct Wide {
  uint64_t high;
  uint64_t low;
};
Wide multiply_wide(uint64_t a, uint64_t b);

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, passes BigCrush.
class Rng {
 public:
  Rng(uint64_t seed, std::string_view purpose, uint64_t id);
  explicit Rng(uint64_t raw_seed);

  uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform01();
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniform_open0();
  // Uniform integer in [0, bound). REQUIRES: bound > 0. Lemire's unbiased method.
  uint64_t below(uint64_t bound);
  // True with probability p.
  bool bernoulli(double p) { return p > 0 && uniform01() < p; }
  // Standard normal by Box-Muller (both draws consumed every call: simple and deterministic).
  double standard_normal();
  // The generator's state, for fingerprints of the nodes that own one (state_hash.h).
  uint64_t state_word(int i) const { return s_[i & 3]; }

 private:
  uint64_t s_[4];
};

}  // namespace bqsim
