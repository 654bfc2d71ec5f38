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
// A value checked against its declaration (options.h): type, range, choices. A distribution
// is checked by read_distribution and returned as written; node patterns for their syntax
// only (the network's reader checks their indices against n and workload.clients). An empty list is accepted (what it
// means is the declaring behaviour's business). Errors are at the list's pointer when it is
// not a list, else at the offending item's. An integer declared with min >= 0 and no upper
// bound reads the whole uint64 range exactly. only_if is the caller's (it spans keys).
nlohmann::json read_declared(const OptionSpec& spec, const JsonValue& value);
// Stores one checked protocol option. REQUIRES: v came from read_declared(option.spec).
void store_option(ProtocolOptions& options, const ProtocolOption& option,
                  const nlohmann::json& v);
// "a number >= 0", "true or false", "a distribution object": how a declared value reads in
// "expected ..." when it is missing.
std::string expected_words(const OptionSpec& spec);

inline constexpr const char* kNodePatternExpected =
    "a node pattern (*, server:*, client:*, server:I, server:I-J, client:I or client:I-J)";
inline constexpr const char* kGroupsExpected =
    "a non-empty list of non-empty lists of node patterns";
// Node patterns of network.links, faults and placement: "*", "server:*", "client:*",
// "server:I", "client:I", and ranges "server:I-J", "client:I-J" (I <= J, both included).
std::optional<NodeSelector> parse_node_selector(std::string_view text);
std::string to_string(const NodeSelector& selector);

}  // namespace bqsim
