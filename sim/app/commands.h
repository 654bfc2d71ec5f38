// The bqsim subcommands (INTERFACE.md "Command line"). Each returns the process exit status:
// 0 success, 1 the run completed and its checker found a violation or a stuck operation,
// 2 bad input or usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/input/sweep.h"

namespace bqsim::app {

struct RunArgs {
  std::string scenario;
  std::optional<uint64_t> seed;
  std::string out;  // empty: results/<scenario name>/seed-<seed>
  std::vector<std::string> sets;
  std::string engine;  // --engine: "" (the scenario's, default simgrid), "simgrid" or "native"
  bool quiet = false;
  bool trace_messages = false;  // also write messages_trace.csv (one row per message)
  std::string point;  // a point of the file's sweep, by name or index; empty: no sweep
};

struct ExpandArgs {
  std::string scenario;
  std::optional<uint64_t> seeds;   // K seeds per point from the file's seed
  std::vector<uint64_t> seed_list; // or exactly these
  std::vector<std::string> sets;
  Shard shard;
};

int cmd_run(const RunArgs& args);
int cmd_validate(const std::string& scenario, const std::vector<std::string>& sets);
int cmd_list(int f, bool json);
int cmd_expand(const ExpandArgs& args);
int cmd_schema();

}  // namespace bqsim::app
