// bqsim's command line: run, validate, list (INTERFACE.md), and expand for the batch runner.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <set>
#include <string>

#include "sim/app/commands.h"
#include "sim/app/explore_commands.h"

namespace {

bool parse_u64(const std::string& text, uint64_t& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

// expand's numeric options, as one-line errors (CLI11's would wrap negative numbers around).
bool parse_expand_numbers(const std::string& seeds, const std::string& seed_list,
                          const std::string& shard, bqsim::app::ExpandArgs& args) {
  if (!seeds.empty()) {
    uint64_t k = 0;
    if (!parse_u64(seeds, k) || k < 1 || k > 100000) {
      std::fprintf(stderr, "error: --seeds: expected an integer from 1 to 100000, got '%s'\n",
                   seeds.c_str());
      return false;
    }
    args.seeds = k;
  }
  if (!seed_list.empty()) {
    std::set<uint64_t> seen;
    size_t start = 0;
    while (true) {
      const size_t comma = seed_list.find(',', start);
      uint64_t s = 0;
      const std::string item = seed_list.substr(start, comma - start);
      if (!parse_u64(item, s) || !seen.insert(s).second) {
        std::fprintf(stderr,
                     "error: --seed-list: expected distinct integers from 0 to 2^64-1 separated "
                     "by commas, got '%s'\n",
                     seed_list.c_str());
        return false;
      }
      args.seed_list.push_back(s);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (!shard.empty()) {
    const auto s = bqsim::parse_shard(shard);
    if (!s) {
      std::fprintf(stderr, "error: --shard: expected I/N with 0 <= I < N <= 1000000, got '%s'\n",
                   shard.c_str());
      return false;
    }
    args.shard = *s;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bqsim: a discrete-event simulator for Byzantine quorum protocols on SimGrid"};
  app.require_subcommand(1);
  app.set_version_flag("--version", BQSIM_VERSION);

  bqsim::app::RunArgs run;
  uint64_t seed = 0;
  auto* run_cmd = app.add_subcommand("run", "run one simulation of a scenario file");
  run_cmd->add_option("SCENARIO", run.scenario, "scenario JSON file")->required();
  // Taken as text and parsed here: CLI11 would wrap "-3" around to 2^64-3 without a word.
  std::string seed_text;
  auto* seed_opt = run_cmd->add_option("--seed", seed_text, "seed for this run (overrides the file's)")
                       ->type_name("UINT");
  run_cmd->add_option("--out", run.out,
                      "output directory (default: results/<scenario name>/seed-<seed>)");
  run_cmd->add_option("--set", run.sets,
                      "override one field by its dotted path, e.g. --set protocol.f=2")
      ->type_name("PATH=VALUE");
  run_cmd->add_option("--engine", run.engine,
                      "simgrid (default) or native; overrides the scenario's engine field. Both "
                      "write the same traces; native runs the latency model only")
      ->check(CLI::IsMember({"simgrid", "native"}));
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing but errors");
  run_cmd->add_flag("--trace-messages", run.trace_messages,
                    "also write messages_trace.csv: every message's send and delivery times, "
                    "endpoints, type, operation and timestamp (for bqsim-plot flow)");
  run_cmd->add_option("--point", run.point,
                      "run this point of the file's sweep, by name or index (bqsim expand lists "
                      "them); default output results/<scenario>/<point>/seed-<seed>")
      ->type_name("NAME|INDEX");

  bqsim::app::ExpandArgs expand;
  std::string seeds_text, seed_list_text, shard_text;
  auto* expand_cmd = app.add_subcommand(
      "expand", "print the runs of a scenario's sweep (points × seeds), one JSON object a line");
  expand_cmd->add_option("SCENARIO", expand.scenario, "scenario JSON file")->required();
  auto* seeds_opt = expand_cmd->add_option("--seeds", seeds_text,
                                           "K seeds per point: the file's seed and the K-1 after it")
                        ->type_name("K");
  expand_cmd->add_option("--seed-list", seed_list_text, "exactly these seeds per point")
      ->type_name("S1,S2,...")
      ->excludes(seeds_opt);
  expand_cmd->add_option("--set", expand.sets, "override one field (as for run; not a swept one)")
      ->type_name("PATH=VALUE");
  expand_cmd->add_option("--shard", shard_text,
                         "only runs r with r mod N = I (r counts points × seeds from 0)")
      ->type_name("I/N");

  std::string validate_file;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file; prints ok or the error");
  validate_cmd->add_option("SCENARIO", validate_file, "scenario JSON file")->required();
  validate_cmd->add_option("--set", validate_sets, "override one field (as for run)")
      ->type_name("PATH=VALUE");

  int list_f = 1;
  auto* list_cmd = app.add_subcommand(
      "list", "list protocols, adversary behaviours, delay distributions and network models");
  list_cmd->add_option("--f", list_f, "show quorum sizes for this f")->check(CLI::Range(0, 1000));
  bool list_json = false;
  list_cmd->add_flag("--json", list_json, "print the catalogue as JSON, for scripts");

  auto* schema_cmd = app.add_subcommand(
      "schema", "print the JSON Schema of scenario files (scenarios/schema.json is its output)");

  bqsim::app::ExploreArgs explore;
  auto* explore_cmd = app.add_subcommand(
      "explore", "explore every order of delivery and every Byzantine choice of a small scenario");
  explore_cmd->add_option("SCENARIO", explore.scenario, "scenario JSON file")->required();
  explore_cmd->add_option("--set", explore.sets, "override one field (as for run)")
      ->type_name("PATH=VALUE");
  explore_cmd->add_option("--max-states", explore.max_states,
                          "stop after this many distinct states (exit 3: no conclusion)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  explore_cmd->add_option("--depth", explore.depth,
                          "do not expand states deeper than this many steps (exit 3 if cut)")
      ->check(CLI::Range(1u, 1000000u));
  explore_cmd->add_option("--byzantine", explore.byzantine,
                          "the first K servers are Byzantine (default: the scenario's list; its "
                          "scripted behaviours are replaced by the whole menu of lies)")
      ->check(CLI::Range(0, 64));
  explore_cmd->add_option("--schedule", explore.schedule,
                          "where to write a counterexample (default: "
                          "results/<scenario name>/explore/counterexample.json)");
  explore_cmd->add_flag("--no-reduce", explore.no_reduce,
                        "try replies to finished operations in every position too");
  explore_cmd->add_flag("--json", explore.json, "print the outcome as one JSON object");
  explore_cmd->add_flag("-q,--quiet", explore.quiet, "print nothing but errors");
  // TEST-ONLY: deliberately broken protocol variants for the mutation suite. Hidden (group "").
  explore_cmd->add_option("--mutant", explore.mutant, "")->group("");

  std::string replay_file;
  bool replay_quiet = false;
  auto* replay_cmd =
      app.add_subcommand("replay", "re-run a counterexample schedule step by step and judge it");
  replay_cmd->add_option("SCHEDULE", replay_file, "schedule JSON file (from bqsim explore)")
      ->required();
  replay_cmd->add_flag("-q,--quiet", replay_quiet, "print nothing; the exit status says it");

  // CLI11 says only "A subcommand is required" for a misspelt one: name it and the valid ones.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    if (word != "run" && word != "validate" && word != "list" && word != "expand" &&
        word != "schema" && word != "explore" && word != "replay") {
      std::fprintf(stderr,
                   "error: expected a subcommand (run, validate, list, expand, schema, explore or "
                   "replay), got '%s' (see bqsim --help)\n",
                   word.c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, as every bqsim error; CLI11's own text would add a second.
    std::fprintf(stderr, "error: %s (see bqsim --help)\n", e.what());
    return 2;
  }

  if (*run_cmd) {
    if (*seed_opt) {
      const char* end = seed_text.data() + seed_text.size();
      const auto [ptr, ec] = std::from_chars(seed_text.data(), end, seed);
      if (seed_text.empty() || ec != std::errc() || ptr != end) {
        std::fprintf(stderr, "error: --seed: expected an integer from 0 to 2^64-1, got '%s'\n",
                     seed_text.c_str());
        return 2;
      }
      run.seed = seed;
    }
    return bqsim::app::cmd_run(run);
  }
  if (*validate_cmd) return bqsim::app::cmd_validate(validate_file, validate_sets);
  if (*expand_cmd) {
    if (!parse_expand_numbers(seeds_text, seed_list_text, shard_text, expand)) return 2;
    return bqsim::app::cmd_expand(expand);
  }
  if (*schema_cmd) return bqsim::app::cmd_schema();
  if (*explore_cmd) return bqsim::app::cmd_explore(explore);
  if (*replay_cmd) return bqsim::app::cmd_replay(replay_file, replay_quiet);
  return bqsim::app::cmd_list(list_f, list_json);
}
