// The JSON Schema of a scenario file (scenarios/schema.json, written by `bqsim schema`),
// generated from the declarations the reader checks against: the protocol option table and
// which protocols accept each option (options.h, from the family traits), the behaviours'
// declarations (behaviour_info.h), the distributions (distribution.h) and the reader's limits
// (scenario_limits.h). It rejects what the reader rejects as far as JSON Schema can say; the
// rules it cannot say (n >= the protocol's minimum, ids below n, bounds compared with bound_s,
// a behaviour's own rules...) are the reader's alone, and tests/schema/ lists them.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/model/behaviour_info.h"

namespace bqsim {

// REQUIRES: catalog.protocols and catalog.behaviours set.
nlohmann::ordered_json scenario_schema(const Catalog& catalog);

}  // namespace bqsim
