// Runs of ten thousand nodes fit an address-space cap such as clusters set (ulimit -v): the
// SimGrid engine's actors run on small stacks (SimGrid's default of 8 MiB each would reserve
// 80 GiB here), and the native engine keeps a few hundred bytes per idle node. Each engine
// runs 10,000 clients against n = 301 servers, one read each, under a 2 GB cap.
// The sanitizer build (BQSIM_SANITIZED) runs the same runs without the cap: AddressSanitizer
// reserves terabytes of shadow address space at start, so no address-space cap can hold there.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/sim_fixture.h"

using bqsim::test::ProcessResult;
using bqsim::test::read_text;
using bqsim::test::run_command;
using bqsim::test::shell_quote;
using nlohmann::json;

namespace {

constexpr const char* kCapKiB = "2000000";

#ifdef BQSIM_SANITIZED
constexpr bool kCapped = false;
#else
constexpr bool kCapped = true;
#endif

// `command` in a shell whose address space is capped at kCapKiB (uncapped under sanitizers).
ProcessResult capped(const std::string& command) {
  const std::string cap = kCapped ? std::string("ulimit -v ") + kCapKiB + " && " : "";
  return run_command("/bin/bash", {"-c", cap + command});
}

}  // namespace

TEST_CASE("ten thousand clients and n = 301 run under a 2 GB address-space cap", "[memory]") {
  // Control: the cap is real here (a 3 GB allocation fails under it).
  const ProcessResult control =
      capped("exec /usr/bin/python3 -c 'bytearray(3 * 10**9)' 2>/dev/null");
  REQUIRE((control.exit_code != 0) == kCapped);

  // sbq-dissemination, f = 150: n = 2f+1 = 301; a read asks a random quorum of f+1 servers.
  const json sc = {{"name", "memory-cap"},
                   {"protocol", {{"name", "sbq-dissemination"}, {"f", 150}, {"contact", "quorum"}}},
                   {"workload", {{"clients", 10000}, {"ops_per_client", 1}, {"read_fraction", 1.0}}},
                   {"network", {{"delay", {{"dist", "exponential"}, {"mean_s", 0.001}}}}}};
  const auto dir = bqsim::test::temp_dir("memory-cap");
  const auto file = dir / "scenario.json";
  std::ofstream(file) << sc.dump();
  for (const std::string engine : {"native", "simgrid"}) {
    CAPTURE(engine);
    const auto out = dir / engine;
    const ProcessResult r = capped("exec " + shell_quote(BQSIM_BINARY) + " run " +
                                   shell_quote(file.string()) + " --out " +
                                   shell_quote(out.string()) + " -q --engine " + engine);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json summary = json::parse(read_text(out / "summary.json"));
    CHECK(summary["operations"]["read"]["count"] == 10000);
    CHECK(summary["operations"]["read"]["ok"] == 10000);
    CHECK(summary["n"] == 301);
  }
  CHECK(read_text(dir / "native" / "ops.csv") == read_text(dir / "simgrid" / "ops.csv"));
  std::filesystem::remove_all(dir);
}
