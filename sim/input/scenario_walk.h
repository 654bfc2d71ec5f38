// The walk that turns one parsed JSON document into a checked Scenario (no overrides, no sweep:
// scenario_reader.h adds those). Every key is checked for type, range and consistency with the
// rest of the scenario; the first problem is thrown as an InputError (json_reader.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/input/scenario.h"
#include "sim/model/behaviour_info.h"

namespace bqsim {

// `resolved` and `hash` stay empty; a sweep block is refused. REQUIRES: catalog.protocols and
// catalog.behaviours set.
Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file_label,
                            const Catalog& catalog);

}  // namespace bqsim
