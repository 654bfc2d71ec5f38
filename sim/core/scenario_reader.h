// Reads and checks a scenario file (INTERFACE.md "Scenario file", scenarios/schema.json) into a
// Scenario. No SimGrid here. Every key is checked for type, range and consistency with the rest
// of the scenario; the first problem found is thrown as an InputError (json_reader.h), whose
// what() is the one line bqsim prints before exiting with status 2:
//   error: FILE: /json/pointer: expected WHAT, got WHAT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/behaviour_info.h"
#include "sim/core/json_reader.h"
#include "sim/core/scenario.h"

namespace bqsim {

struct ReadOptions {
  // "--set PATH=VALUE": PATH is dotted (protocol.f, byzantine.0.servers), VALUE is JSON if it
  // parses as JSON, else taken as a string (--set protocol.name=mr-masking). Applied in order,
  // before anything is checked. Errors in an override itself, and errors found at or under an
  // overridden path, name the file "--set".
  std::vector<std::string> set_overrides;
  // --seed: replaces the scenario's seed.
  std::optional<uint64_t> seed;
  // `validate` accepts a "sweep" block (dotted path -> non-empty list of values) and checks
  // every run of its cross product; `run` rejects it, since the batch runner expands sweeps.
  bool allow_sweep = false;
};

// REQUIRES: catalog.protocols and catalog.behaviours set. Throws InputError; an unreadable file
// is reported with pointer "" and "expected a readable file, got <reason>".
Scenario read_scenario_file(const std::string& path, const ReadOptions& options,
                            const Catalog& catalog);
// As read_scenario_file, for text already in memory. `file_label` names the input in errors and
// Scenario::source_file; relative platform files are resolved against its directory.
// With a sweep block (allow_sweep), every run is checked and the first run's Scenario returned,
// its `resolved` being that run's document (without the sweep block). `resolved` always holds
// the seed used, so that `hash` (16 hex digits over resolved.dump()) changes with it.
Scenario read_scenario_text(const std::string& text, const std::string& file_label,
                            const ReadOptions& options, const Catalog& catalog);

// Checks one document, already parsed, with no overrides or sweep; `resolved` and `hash` stay
// empty. The walk itself is in scenario.cc.
Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file_label,
                            const Catalog& catalog);

// Building blocks of the walk, each failing with an InputError at the value's pointer.
//
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

// Node selectors of network.links: "*", "server:*", "client:*", "server:I", "client:I".
std::optional<NodeSelector> parse_node_selector(std::string_view text);
std::string to_string(const NodeSelector& selector);

// Sweep runs `validate` checks at most; a larger cross product is almost surely a mistake.
inline constexpr size_t kMaxSweepRuns = 10000;

}  // namespace bqsim
