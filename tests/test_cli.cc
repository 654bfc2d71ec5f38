// The command line as INTERFACE.md fixes it: subcommands, help, exit statuses, one-line errors.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/subprocess.h"

using bqsim::test::run_bqsim;
using bqsim::test::source_path;

namespace {

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("usage errors are one line on stderr with exit status 2", "[cli]") {
  // A misspelt subcommand, none at all, a missing scenario, an unknown flag: exit 2, one line.
  const std::vector<std::vector<std::string>> cases = {
      {"frob"}, {}, {"run"}, {"run", source_path("scenarios/quickstart.json"), "--bogus"}};
  for (const auto& args : cases) {
    CAPTURE(args);
    const auto r = run_bqsim(args);
    CHECK(r.exit_code == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.out.empty());
  }
  for (const char* bad : {"-3", "99999999999999999999999", "1x", ""}) {
    CAPTURE(bad);
    const auto r = run_bqsim({"run", source_path("scenarios/quickstart.json"), "--seed", bad});
    CHECK(r.exit_code == 2);
    std::string expected = "error: --seed: expected an integer from 0 to 2^64-1, got '";
    expected += bad;  // appended, not `+`: GCC 12 warns falsely (-Wrestrict) on the latter
    expected += "'\n";
    CHECK(r.err == expected);
  }
  CHECK(run_bqsim({"frob"}).err ==
        "error: expected a subcommand (run, validate, list, expand, schema, explore or replay), "
        "got 'frob' (see bqsim --help)\n");
}

TEST_CASE("help, list and validate succeed with exit status 0", "[cli]") {
  // --help documents the subcommands; list names every protocol of PROTOCOLS.md; validate says ok.
  const auto help = run_bqsim({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* word : {"run", "validate", "list"}) CHECK(help.out.find(word) != std::string::npos);
  const auto run_help = run_bqsim({"run", "--help"});
  CHECK(run_help.exit_code == 0);
  for (const char* flag : {"--seed", "--out", "--set"}) {
    CHECK(run_help.out.find(flag) != std::string::npos);
  }
  const auto list = run_bqsim({"list"});
  CHECK(list.exit_code == 0);
  for (const char* name : {"mr-masking", "mr-dissemination", "sbq-masking", "sbq-dissemination",
                           "sync-threshold", "u-masking", "u-dissemination", "silent", "forge",
                           "exponential", "pareto", "bandwidth", "partial"}) {
    CAPTURE(name);
    CHECK(list.out.find(name) != std::string::npos);
  }
  const auto ok = run_bqsim({"validate", source_path("scenarios/quickstart.json")});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "ok\n");
}
