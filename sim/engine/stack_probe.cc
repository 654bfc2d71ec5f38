#include "sim/engine/stack_probe.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace bqsim::engine {
namespace {

constexpr unsigned char kPaint = 0xa5;

// Stack addresses as integers: comparing pointers into memory the language knows as no one
// object is undefined, and a compiler may then drop a loop's bound.
uintptr_t address(const volatile void* p) { return reinterpret_cast<uintptr_t>(p); }
volatile unsigned char* byte_at(uintptr_t a) { return reinterpret_cast<volatile unsigned char*>(a); }

}  // namespace

StackProbe::StackProbe() : enabled_(std::getenv("BQSIM_MEASURE_STACK") != nullptr) {}

void StackProbe::paint(const char* top) {
  if (!enabled_) return;
  // This function's own frame lies below the caller's local: paint only below it, past the
  // red zone (128 bytes on x86-64) and the loop's frame.
  volatile unsigned char here = 0;
  const uintptr_t high = address(&here) - 512;
  const uintptr_t low = address(top) - stack_bytes_ + 2 * kReserve;
  for (uintptr_t a = low; a < high; ++a) *byte_at(a) = kPaint;
}

void StackProbe::measure(const char* top) {
  if (!enabled_) return;
  uintptr_t a = address(top) - stack_bytes_ + 2 * kReserve;
  while (a < address(top) && *byte_at(a) == kPaint) ++a;
  // Everything from the deepest overwritten byte up to the actor's first local was used.
  deepest_ = std::max(deepest_, static_cast<size_t>(address(top) - a));
}

void StackProbe::report() const {
  if (!enabled_) return;
  std::fprintf(stderr,
               "bqsim: deepest actor stack use %zu bytes below the actor's first frame, of a "
               "%zu-byte stack (%zu bytes at the bottom were not painted)\n",
               deepest_, stack_bytes_, 2 * kReserve);
}

}  // namespace bqsim::engine
