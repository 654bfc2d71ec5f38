// The bqsim subcommands (INTERFACE.md "Command line"). Each returns the process exit status:
// 0 success, 1 the run completed and its checker found a violation or a stuck operation,
// 2 bad input or usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bqsim::app {

struct RunArgs {
  std::string scenario;
  std::optional<uint64_t> seed;
  std::string out;  // empty: results/<scenario name>/seed-<seed>
  std::vector<std::string> sets;
  std::string engine;  // --engine: "" (the scenario's, default simgrid), "simgrid" or "native"
  bool quiet = false;
};

int cmd_run(const RunArgs& args);
int cmd_validate(const std::string& scenario, const std::vector<std::string>& sets);
int cmd_list(int f, bool json);

}  // namespace bqsim::app
