// bqsim's command line: run, validate, list (INTERFACE.md).
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <string>

#include "sim/app/commands.h"

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

  // CLI11 says only "A subcommand is required" for a misspelt one: name it and the valid ones.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    if (word != "run" && word != "validate" && word != "list") {
      std::fprintf(stderr,
                   "error: expected a subcommand (run, validate or list), got '%s' (see bqsim "
                   "--help)\n",
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
  return bqsim::app::cmd_list(list_f, list_json);
}
