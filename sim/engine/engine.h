// The SimGrid side of bqsim: the only code that includes SimGrid. It builds the platform and
// one generic actor per node, and drives the sans-IO node logic with event-driven waits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model/behaviour_info.h"
#include "sim/run/output.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/run/runtime.h"

namespace bqsim {

// Runs `runtime` to its end on SimGrid (finished, message limit, or no event due by the
// horizon). SimGrid allows one engine per process, so this may be called once per process.
// REQUIRES: a fresh runtime.
RunStats run_simgrid(Runtime& runtime);

// Loads a SimGrid platform file in a child process (a bad file can abort SimGrid, and one
// process holds one engine) and checks it has hosts. Returns "" if it is usable, else a short
// description of what is wrong.
std::string check_platform_file(const std::string& path);

// "3.32" as the linked library reports it.
std::string simgrid_version();

}  // namespace bqsim
