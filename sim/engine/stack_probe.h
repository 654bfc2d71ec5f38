// Measures how much of its stack an actor really uses, to size SimGrid's actor stacks
// (contexts/stack-size): with BQSIM_MEASURE_STACK set in the environment, each node actor
// paints the unused part of its stack when it starts, and when it ends finds the deepest
// byte that was written over. The deepest use over all actors is printed to stderr at the
// end of the run. A measurement aid for scripts/measure_stack.sh; off otherwise.
#pragma once

#include <cstddef>

namespace bqsim::engine {

class StackProbe {
 public:
  // Reads BQSIM_MEASURE_STACK.
  StackProbe();
  bool enabled() const { return enabled_; }
  // Each actor's stack size. REQUIRES: set before any actor runs.
  void set_stack_bytes(size_t bytes) { stack_bytes_ = bytes; }

  // Called first thing in an actor, with the address of one of its locals (near the top of
  // its stack): paints the stack below this call's own frame, but for 2 * kReserve bytes at
  // the bottom.
  void paint(const char* top);
  // Called last thing in that actor, with the same address.
  void measure(const char* top);
  // Prints the deepest use seen, if enabled.
  void report() const;

  // The frames above the actor's first local (SimGrid's start-up of the actor) are not
  // counted; they are assumed to take less than kReserve, and 2 * kReserve at the bottom are
  // left unpainted so that painting never reaches SimGrid's guard page below the stack.
  static constexpr size_t kReserve = 4096;

 private:
  bool enabled_;
  size_t stack_bytes_ = 0;
  size_t deepest_ = 0;
};

}  // namespace bqsim::engine
