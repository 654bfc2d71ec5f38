#include "sim/engine/engine.h"

#include <cstdio>

#include "sim/engine/simulation.h"

// After s4u.hpp (via simulation.h): version.h needs the xbt macros it defines.
#include <simgrid/version.h>

namespace bqsim {

RunStats run_simgrid(Runtime& runtime) {
  engine::Simulation sim(runtime);
  return sim.run();
}

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  char buf[48];
  if (patch != 0) {
    std::snprintf(buf, sizeof buf, "%d.%d.%d", major, minor, patch);
  } else {
    std::snprintf(buf, sizeof buf, "%d.%d", major, minor);
  }
  return buf;
}

}  // namespace bqsim
