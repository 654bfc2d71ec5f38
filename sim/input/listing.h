// `bqsim list --json`: everything a scenario can name, from the catalog's declarations, with
// the numbers a user needs to pick n. Scripts read it (the attack search takes the behaviours
// and their parameters from it).
#pragma once

#include <nlohmann/json.hpp>

#include "sim/model/behaviour_info.h"

namespace bqsim {

// An option or parameter as the listing shows it: key, type, default, help, choices, min, max,
// and only_if when it has one.
nlohmann::json declared_json(const OptionSpec& spec);

// Quorum sizes at the protocol's minimum n for f. REQUIRES: catalog.protocols and
// catalog.behaviours set.
nlohmann::json catalog_listing(const Catalog& catalog, int f);

// The help line of an option for a protocol: ts_choice on non-masking families offers only
// "max" (f+1-th needs masking quorums), which the reader enforces.
std::string option_help(const ProtocolDescription& protocol, const ProtocolOption& option);
// The choices a protocol accepts for an option (all the declared ones but that exception).
std::vector<std::string> option_choices(const ProtocolDescription& protocol,
                                        const ProtocolOption& option);

}  // namespace bqsim
