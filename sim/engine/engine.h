// The SimGrid side of bqsim: the only code that includes SimGrid. It builds the platform and
// one generic actor per node, and drives the sans-IO node logic with event-driven waits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model/behaviour_info.h"
#include "sim/run/output.h"
#include "sim/run/placement.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/run/runtime.h"

namespace bqsim {

// Runs `runtime` to its end on SimGrid (finished, message limit, or no event due by the
// horizon). SimGrid allows one engine per process, so this may be called once per process.
// REQUIRES: a fresh runtime.
RunStats run_simgrid(Runtime& runtime);

// Loads a SimGrid platform file in a child process (a bad file can abort SimGrid, and one
// process holds one engine) and reads its hosts, in natural name order, and the latency of the
// route between each pair (the sum of its links' latencies, by SimGrid's routing; a host's
// route to itself as the platform gives it). On a file SimGrid refuses, or without hosts or
// a route between two hosts, `problem` gets a short description and the routes are empty.
// The result is engine-independent: resolve_topology (sim/run/placement.h) places the nodes,
// and every engine's network model uses the table.
PlatformRoutes read_platform_routes(const std::string& path, std::string& problem);
// "" if the file is usable, else what read_platform_routes reports.
std::string check_platform_file(const std::string& path);

// "3.32" as the linked library reports it.
std::string simgrid_version();

}  // namespace bqsim
