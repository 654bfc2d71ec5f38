// Readers of single scenario values, shared by every section of the scenario walk and by the
// adversary behaviours' parameter checks: distributions, declared options (type, range, choices)
// and node selectors. Each fails with an InputError at the value's pointer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/input/json_reader.h"
#include "sim/input/scenario.h"
#include "sim/model/distribution.h"
#include "sim/model/protocol.h"

namespace bqsim {

// A distribution object {"dist": KIND, parameters}. Every value drawn is a delay or a think
// time, so parameters that could draw below 0 are rejected.
Distribution read_distribution(const JsonValue& value);
// A value checked against its declaration: type, range, choices. Types:
//   "number", "integer", "string" (one of choices, if any), "boolean";
//   "distribution": an object checked by read_distribution (returned as written);
//   "integer-list": a list of integers, each in [min, max] as an "integer" would be;
//   "string-list": a list of strings, each one of choices if any.
// An empty list is accepted (what it means is the declaring behaviour's business). Errors are
// at the list's pointer when it is not a list, else at the offending item's. Integers above
// int_cap are rejected; an integer declared with min >= 0 and no upper bound (and int_cap
// infinite) reads the whole uint64 range exactly.
nlohmann::json read_declared(const OptionSpec& spec, const JsonValue& value, double int_cap);
// Stores one checked protocol option. REQUIRES: v came from read_declared(*find_option(key)).
void apply_option(ProtocolOptions& options, const std::string& key, const nlohmann::json& v);

// Node patterns of network.links, faults and placement: "*", "server:*", "client:*",
// "server:I", "client:I", and ranges "server:I-J", "client:I-J" (I <= J, both included).
std::optional<NodeSelector> parse_node_selector(std::string_view text);
std::string to_string(const NodeSelector& selector);

}  // namespace bqsim
