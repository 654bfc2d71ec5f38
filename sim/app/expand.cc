// `bqsim expand`: the runs of a scenario's sweep, one JSON object per line, for scripts (the
// batch runner submits exactly these). The expansion itself is sim/input/sweep.h.
#include <cstdio>
#include <limits>
#include <set>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/app/commands.h"
#include "sim/input/json_reader.h"
#include "sim/input/sweep.h"

namespace bqsim::app {
namespace {

// A typo in a sweep should not queue a million runs.
constexpr uint64_t kMaxRuns = 100000;

}  // namespace

int cmd_expand(const ExpandArgs& args) {
  const Catalog cat{&protocol_registry(), &behaviour_registry()};
  try {
    const SweepFile sweep = read_sweep_file(args.scenario, args.sets, cat);
    std::vector<uint64_t> seeds = args.seed_list;
    if (seeds.empty()) {
      const uint64_t k = args.seeds.value_or(1);
      if (sweep.seed > std::numeric_limits<uint64_t>::max() - (k - 1)) {
        throw InputError("--seeds", "", "seeds that stay below 2^64 from seed " +
                                            std::to_string(sweep.seed),
                         std::to_string(k));
      }
      for (uint64_t i = 0; i < k; ++i) seeds.push_back(sweep.seed + i);
    }
    const uint64_t runs = sweep.points.size() * seeds.size();
    if (runs > kMaxRuns) {
      throw InputError(args.scenario, "/sweep",
                       "at most " + std::to_string(kMaxRuns) + " runs (points × seeds)",
                       std::to_string(runs));
    }
    uint64_t run = 0;
    for (const SweepPoint& p : sweep.points) {
      nlohmann::json overrides = nlohmann::json::object();
      for (const auto& [path, v] : p.overrides) overrides[path] = v;
      for (uint64_t seed : seeds) {
        if (args.shard.contains(run)) {
          const Scenario sc = read_point(sweep, p, seed, args.sets, cat);
          const nlohmann::json line = {
              {"run", run},
              {"scenario", sweep.name},
              {"point", p.name},
              {"point_index", p.index},
              {"overrides", overrides},
              {"seed", seed},
              {"hash", sc.hash},
              {"dir", sweep.dir_name + "/" + p.name + "/seed-" + std::to_string(seed)}};
          std::printf("%s\n", line.dump().c_str());
        }
        ++run;
      }
    }
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace bqsim::app
