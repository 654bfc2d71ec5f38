// bqsim's own engine for the latency network model: one loop over a priority queue of events,
// no SimGrid. It drives the same Runtime (nodes, adversaries, workload, network faults,
// recorder) as the SimGrid engine and handles events in the same order (event.h), so both
// engines write byte-identical traces; it only avoids SimGrid's per-event costs (a context
// switch and a timed wait per event at a different node) and its per-actor stacks.
#pragma once

#include <string>

#include "sim/run/runtime.h"

namespace bqsim {

// Runs `runtime` to its end: finished, message limit, or no event due by the horizon.
// REQUIRES: a fresh runtime of a scenario on the latency model without a platform file
// (native_engine_refusal() says why not otherwise).
RunStats run_native(Runtime& runtime);

// Why the native engine cannot run `scenario` ("" if it can): the bandwidth model and SimGrid
// platform files are SimGrid's. The answer names the scenario field at fault as a JSON pointer
// and what it holds, for the caller's one-line error.
struct NativeRefusal {
  std::string pointer;  // "" when the native engine can run the scenario
  std::string expected;
  std::string got;
};
NativeRefusal native_engine_refusal(const Scenario& scenario);

}  // namespace bqsim
