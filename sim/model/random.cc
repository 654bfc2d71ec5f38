#include "sim/model/random.h"

#include <cmath>
#include <numbers>

namespace bqsim {

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t hash_name(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(uint64_t seed, std::string_view purpose, uint64_t id)
    : Rng(mix64(mix64(seed) ^ mix64(hash_name(purpose)) ^ mix64(id + 0x632be59bd9b4e019ULL))) {}

Rng::Rng(uint64_t raw_seed) {
  uint64_t x = raw_seed;
  for (auto& s : s_) {
    x += 0x9e3779b97f4a7c15ULL;
    s = mix64(x);
  }
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_open0() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }

Wide multiply_wide(uint64_t a, uint64_t b) {
  // Schoolbook on 32-bit halves: each partial product fits 64 bits, and so does `middle`
  // (at most 3 * (2^32 - 1)), so nothing is lost and no 128-bit type is needed.
  const uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
  const uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
  const uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
  const uint64_t middle = (p0 >> 32) + (p1 & 0xffffffffULL) + (p2 & 0xffffffffULL);
  return Wide{p3 + (p1 >> 32) + (p2 >> 32) + (middle >> 32), (middle << 32) | (p0 & 0xffffffffULL)};
}

uint64_t Rng::below(uint64_t bound) {
  // Lemire: the high word of x * bound is uniform in [0, bound) once the low words below
  // 2^64 mod bound are rejected.
  Wide m = multiply_wide(next_u64(), bound);
  if (m.low < bound) {
    const uint64_t threshold = -bound % bound;
    while (m.low < threshold) m = multiply_wide(next_u64(), bound);
  }
  return m.high;
}

double Rng::standard_normal() {
  const double u1 = uniform_open0();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace bqsim
