#include "sim/app/explore_commands.h"

#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/explore/explorer.h"
#include "sim/explore/schedule.h"
#include "sim/input/scenario_reader.h"

namespace bqsim::app {
namespace {

Catalog catalog() { return Catalog{&protocol_registry(), &behaviour_registry()}; }

const char* outcome_name(ExploreResult::Outcome o) {
  switch (o) {
    case ExploreResult::Outcome::exhausted: return "exhausted";
    case ExploreResult::Outcome::counterexample: return "counterexample";
    case ExploreResult::Outcome::limit: return "limit";
  }
  return "?";
}

std::string servers_text(const std::vector<NodeId>& ids) {
  if (ids.empty()) return "none";
  std::string s;
  for (NodeId id : ids) s += (s.empty() ? "s" : ", s") + std::to_string(id);
  return s;
}

}  // namespace

int cmd_explore(const ExploreArgs& args) {
  const Catalog cat = catalog();
  ExploreOptions opt;
  opt.max_states = args.max_states;
  opt.max_depth = args.depth;
  opt.byzantine = args.byzantine;
  opt.reduce = !args.no_reduce;
  if (!args.mutant.empty()) {
    const MutationInfo* m = find_mutation(args.mutant);
    if (m == nullptr) {
      std::string names;
      for (const auto& info : mutations()) names += (names.empty() ? "" : ", ") + info.name;
      std::fprintf(stderr, "error: --mutant: expected one of %s, got '%s'\n", names.c_str(),
                   args.mutant.c_str());
      return 2;
    }
    opt.mutation = m->mutation;
  }
  Scenario sc;
  std::unique_ptr<ExploreSystem> system;
  try {
    ReadOptions ro;
    ro.set_overrides = args.sets;
    sc = read_scenario_file(args.scenario, ro, cat);
    system = std::make_unique<ExploreSystem>(sc, cat, opt);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const ExploreResult r = explore(*system);
  const std::string schedule =
      args.schedule.empty() ? "results/" + sc.name + "/explore/counterexample.json" : args.schedule;
  if (r.outcome == ExploreResult::Outcome::counterexample) {
    try {
      write_json_file(schedule, schedule_json(*system, r));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: --schedule: expected a writable file, got %s\n", e.what());
      return 2;
    }
  }
  const double rate = r.seconds > 0 ? static_cast<double>(r.explored) / r.seconds : 0;
  const int status = r.outcome == ExploreResult::Outcome::exhausted        ? 0
                     : r.outcome == ExploreResult::Outcome::counterexample ? 1
                                                                           : 3;
  if (args.json) {
    nlohmann::json j = {{"protocol", sc.protocol.name},
                        {"n", system->n()},
                        {"f", system->f()},
                        {"byzantine", system->byzantine_servers()},
                        {"mutant", args.mutant.empty() ? nlohmann::json(nullptr)
                                                       : nlohmann::json(args.mutant)},
                        {"reduce", opt.reduce},
                        {"outcome", outcome_name(r.outcome)},
                        {"explored", r.explored},
                        {"distinct", r.distinct},
                        {"terminal", r.terminal},
                        {"max_depth", r.max_depth},
                        {"seconds", r.seconds},
                        {"states_per_s", rate},
                        {"depth_cut", r.depth_cut},
                        {"states_cut", r.states_cut},
                        {"schedule", nullptr},
                        {"verdict", nullptr}};
    if (r.report) {
      j["schedule"] = schedule;
      j["verdict"] = report_json(*r.report, false);
    }
    std::printf("%s\n", j.dump().c_str());
    return status;
  }
  if (args.quiet) return status;
  std::printf("bqsim explore: %s n=%d f=%d (%s data, promises %s)%s%s, Byzantine: %s; %u clients, "
              "%zu operations\n",
              sc.protocol.name.c_str(), system->n(), system->f(),
              std::string(to_string(system->data())).c_str(),
              std::string(to_string(system->promised())).c_str(), sc.unsafe ? " UNSAFE" : "",
              args.mutant.empty() ? "" : (" MUTANT " + args.mutant).c_str(),
              servers_text(system->byzantine_servers()).c_str(), sc.workload.clients,
              system->total_ops());
  std::printf("  states explored %llu, distinct %llu, terminal %llu, max depth %u; %.3f s "
              "(%.0f states/s), visited set %.1f MB\n",
              static_cast<unsigned long long>(r.explored),
              static_cast<unsigned long long>(r.distinct),
              static_cast<unsigned long long>(r.terminal), r.max_depth, r.seconds, rate,
              static_cast<double>(r.visited_bytes) / 1e6);
  switch (r.outcome) {
    case ExploreResult::Outcome::exhausted:
      std::printf("  no violation in the whole space\n");
      break;
    case ExploreResult::Outcome::counterexample:
      std::printf("  counterexample after %zu steps: checker FAIL (promises %s, %llu stuck)\n",
                  r.path.size(), std::string(to_string(system->promised())).c_str(),
                  static_cast<unsigned long long>(r.report->stuck));
      for (const Violation& v : r.report->violations) {
        std::printf("    %s [%s]: %s\n", v.kind.c_str(),
                    std::string(to_string(v.semantics)).c_str(), v.detail.c_str());
      }
      std::printf("  schedule: %s\n  replay:   bqsim replay %s\n", schedule.c_str(),
                  schedule.c_str());
      break;
    case ExploreResult::Outcome::limit:
      std::printf("  STOPPED by %s before the space was exhausted: no conclusion\n",
                  r.states_cut ? "--max-states" : "--depth");
      break;
  }
  return status;
}

int cmd_replay(const std::string& schedule, bool quiet) {
  try {
    const ReplayOutcome o = replay_schedule(schedule, catalog(), stdout, quiet);
    return o.passed ? 0 : 1;
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace bqsim::app
