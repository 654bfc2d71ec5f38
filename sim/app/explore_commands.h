// The exhaustive explorer's subcommands: `bqsim explore` and `bqsim replay` (sim/explore).
// Exit status of explore: 0 the whole space was explored with no violation, 1 a counterexample
// was found (written as a schedule), 2 bad input or usage, 3 a limit stopped the exploration
// before the space was exhausted (never success). Replay: 0 the replayed history passes the
// checker, 1 it fails (the counterexample is reproduced), 2 bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bqsim::app {

struct ExploreArgs {
  std::string scenario;
  std::vector<std::string> sets;
  uint64_t max_states = 5'000'000;
  uint32_t depth = 10'000;
  std::optional<int> byzantine;
  std::string schedule;  // where a counterexample goes; default results/<name>/explore/...
  std::string mutant;    // TEST-ONLY, hidden from --help (sim/model/mutation.h)
  bool no_reduce = false;
  bool json = false;
  bool quiet = false;
};

int cmd_explore(const ExploreArgs& args);
int cmd_replay(const std::string& schedule, bool quiet);

}  // namespace bqsim::app
