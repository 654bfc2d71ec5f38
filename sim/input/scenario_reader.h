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

#include "sim/model/behaviour_info.h"
#include "sim/input/json_reader.h"
#include "sim/input/scenario.h"
#include "sim/input/value_readers.h"

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

// Sweep runs `validate` checks at most; a larger cross product is almost surely a mistake.
inline constexpr size_t kMaxSweepRuns = 10000;

}  // namespace bqsim
