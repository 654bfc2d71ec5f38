// Internals of the scenario walk shared by scenario.cc (every section but one) and
// scenario_byzantine.cc (the byzantine section: its entries, behaviours and the rules between a
// behaviour's parameters). Not part of the core's interface.
#pragma once

#include <string>
#include <vector>

#include "sim/core/behaviour_info.h"
#include "sim/core/json_reader.h"
#include "sim/core/quorum.h"
#include "sim/core/scenario.h"

namespace bqsim::scenario_detail {

// The names of a catalog's entries (protocols or behaviours), in catalog order.
std::vector<std::string> names_of(const auto& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.name);
  return names;
}

// Reads the byzantine section `value` into s.byzantine; more Byzantine servers than f mark the
// run unsafe (allow_unsafe) or fail. Errors name `file`. REQUIRES: catalog.behaviours set;
// s.protocol (name, f, resolved n), s.workload, s.timestamp_bits and s.allow_unsafe already
// read, since behaviours are checked against them; `family` is the protocol's quorum family.
void read_byzantine(const JsonValue& value, const Catalog& catalog, const std::string& file,
                    QuorumFamily family, Scenario& s);

}  // namespace bqsim::scenario_detail
