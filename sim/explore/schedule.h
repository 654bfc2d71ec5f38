// Counterexamples as replayable schedules. A schedule file holds the resolved scenario, the
// exploration's options that shape the system (which servers are Byzantine, the TEST-ONLY
// mutant), and the path: for each step, the pending event handled (by fingerprint, with a
// readable description) and, for a Byzantine receiver, the menu choice. `bqsim replay` rebuilds
// the system, re-runs the steps one by one through the same code, prints each step with the
// history it produced, and judges the final history with the checker.
//
//   {"format": "bqsim-schedule/1", "scenario": {...}, "byzantine_option": K | null,
//    "byzantine_servers": [ids], "mutant": "NAME" (only for a mutant),
//    "steps": [{"event": "c0 -> s2: read(op c0.1, key 0)", "pending": "<32 hex>",
//               "choice": "stale:1"}, ...],
//    "verdict": {"passed": false, "violations": [{"kind", "semantics", "op", "detail"}]}}
#pragma once

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/explore/explorer.h"
#include "sim/explore/system.h"
#include "sim/model/behaviour_info.h"

namespace bqsim {

inline constexpr const char* kScheduleFormat = "bqsim-schedule/1";

// The schedule of a counterexample. REQUIRES: result.outcome == counterexample.
nlohmann::json schedule_json(const ExploreSystem& system, const ExploreResult& result);
// The checker's report as schedules and --json print it.
nlohmann::json report_json(const CheckReport& report, bool passed);
// Writes `doc` to a temporary name beside `path`, then renames it into place. Throws
// std::runtime_error when the directory cannot be written.
void write_json_file(const std::string& path, const nlohmann::json& doc);

struct ReplayOutcome {
  bool terminal = false;  // the last step left nothing pending: the history is complete
  bool passed = true;     // the checker's verdict on the history (stuck operations included)
};

// Replays the schedule at `path`, printing to `out` unless quiet. Throws InputError for a
// file that is not a schedule, a scenario that no longer reads, or a step that matches no
// pending event or offers no such choice (the code changed since it was written).
ReplayOutcome replay_schedule(const std::string& path, const Catalog& catalog, std::FILE* out,
                              bool quiet);

}  // namespace bqsim
