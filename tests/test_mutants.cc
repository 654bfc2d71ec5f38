// The mutation suite: every deliberately broken protocol variant (sim/model/mutation.h, a
// test-only switch no scenario reaches) is caught by the exhaustive explorer within the state
// budget of scenarios/explore/mutants.json, with the violation kind listed there, and the
// counterexample replays. Each scenario holds without its mutant (test_explore.cc shows the
// writer-reader ones; the two-writes one is checked here), so the catch is the mutant's doing.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/model/mutation.h"
#include "tests/subprocess.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

json suite() { return json::parse(read_text(source_path("scenarios/explore/mutants.json"))); }

}  // namespace

TEST_CASE("mutants: the suite lists every mutant bqsim builds", "[mutants]") {
  std::set<std::string> listed, built;
  const json all = suite();  // named: a range over a temporary's member would dangle
  for (const auto& m : all["mutants"]) listed.insert(m["mutant"].get<std::string>());
  for (const auto& m : mutations()) built.insert(m.name);
  CHECK(listed == built);
  CHECK(built.size() == 6);
}

TEST_CASE("mutants: each is caught with its violation kind, and the schedule replays",
          "[mutants]") {
  const auto dir = temp_dir("mutants");
  const json all = suite();
  for (const auto& m : all["mutants"]) {
    const std::string name = m["mutant"];
    CAPTURE(name);
    const std::string schedule = (dir / (name + ".json")).string();
    const ProcessResult r = run_bqsim(
        {"explore", source_path(m["scenario"]), "--mutant", name, "--json", "--max-states",
         std::to_string(m["max_states"].get<uint64_t>()), "--schedule", schedule});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const json report = json::parse(r.out);
    CHECK(report["mutant"] == name);
    CHECK(report["outcome"] == "counterexample");
    bool kind_found = false;
    for (const auto& v : report["verdict"]["violations"]) kind_found |= v["kind"] == m["kind"];
    CHECK(kind_found);
    CHECK(report["verdict"]["stuck"] == 0);  // a safety violation, not a stall
    const ProcessResult replay = run_bqsim({"replay", schedule});
    CHECK(replay.exit_code == 1);
    CHECK(replay.out.find("MUTANT " + name) != std::string::npos);
    CHECK(replay.out.find(m["kind"].get<std::string>() + " [") != std::string::npos);
  }
  // The two-writes scenario holds without a mutant, over its whole space.
  const ProcessResult control = run_bqsim(
      {"explore", source_path("scenarios/explore/sbq-masking-two-writes.json"), "--json"});
  CHECK(control.exit_code == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("mutants: the switch is hidden and refuses unknown names", "[mutants]") {
  CHECK(run_bqsim({"--help"}).out.find("mutant") == std::string::npos);
  CHECK(run_bqsim({"explore", "--help"}).out.find("mutant") == std::string::npos);
  const ProcessResult r =
      run_bqsim({"explore", source_path("scenarios/explore/sbq-masking-two-writes.json"),
                 "--mutant", "nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("error: --mutant: expected one of read-quorum-minus-one, ", 0) == 0);
  // No scenario key reaches the switch.
  CHECK(read_text(source_path("scenarios/schema.json")).find("mutant") == std::string::npos);
}

}  // namespace bqsim::test
