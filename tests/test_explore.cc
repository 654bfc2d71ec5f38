// `bqsim explore` and `bqsim replay` in a subprocess: the required results of exhaustive
// exploration (each protocol breaks one server below its minimum and holds, over its whole
// space, at the minimum), replays that reproduce every counterexample, limits that never pass
// for success, and bad input. State counts of the safe configurations are LOWER bounds: an
// explorer that stopped early could not pass. The scenarios' descriptions say why each
// workload is enough (scenarios/explore/).
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/subprocess.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

struct Explored {
  int exit_code = -1;
  json report;  // --json output
  std::string err;
  std::string schedule;
};

Explored explore(const std::string& scenario, std::vector<std::string> extra = {}) {
  static int counter = 0;
  const auto dir = temp_dir("explore" + std::to_string(counter++));
  Explored e;
  e.schedule = (dir / "schedule.json").string();
  std::vector<std::string> args = {"explore", source_path(scenario), "--json", "--schedule",
                                   e.schedule};
  args.insert(args.end(), extra.begin(), extra.end());
  const ProcessResult r = run_bqsim(args);
  e.exit_code = r.exit_code;
  e.err = r.err;
  if (!r.out.empty()) e.report = json::parse(r.out);
  return e;
}

// Replays the schedule and checks it reproduces the explorer's verdict: exit 1, the same
// violations, the history complete.
void check_replay(const Explored& e) {
  const ProcessResult r = run_bqsim({"replay", e.schedule});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("checker: FAIL") != std::string::npos);
  CHECK(r.out.find("INCOMPLETE") == std::string::npos);
  for (const auto& v : e.report["verdict"]["violations"]) {
    CHECK(r.out.find(v["kind"].get<std::string>() + " [") != std::string::npos);
    CHECK(r.out.find(v["detail"].get<std::string>()) != std::string::npos);
  }
  CHECK(run_bqsim({"replay", e.schedule, "-q"}).exit_code == 1);
}

const std::vector<std::string> kBelow = {"--set", "allow_unsafe=true"};

}  // namespace

TEST_CASE("explore: each protocol one server below its minimum breaks, and the schedule replays",
          "[explore]") {
  // mr-masking n = 4, sbq-masking n = 3, sbq-dissemination n = 2, f = 1, one Byzantine server:
  // a silent liar leaves every phase one reply short, so an operation is stuck in a terminal
  // state (nothing can happen any more): a liveness failure the checker reports.
  struct Case {
    std::string scenario;
    int n;
  };
  for (const Case& c : {Case{"scenarios/explore/mr-masking-write-then-read.json", 4},
                        Case{"scenarios/explore/sbq-masking-writer-reader.json", 3},
                        Case{"scenarios/explore/sbq-dissemination-writer-reader.json", 2}}) {
    CAPTURE(c.scenario, c.n);
    std::vector<std::string> args = kBelow;
    args.insert(args.end(), {"--set", "protocol.n=" + std::to_string(c.n)});
    const Explored e = explore(c.scenario, args);
    INFO(e.err);
    REQUIRE(e.exit_code == 1);
    CHECK(e.report["outcome"] == "counterexample");
    CHECK(e.report["n"] == c.n);
    CHECK(e.report["byzantine"] == json::array({0}));
    CHECK(e.report["verdict"]["passed"] == false);
    CHECK((e.report["verdict"]["stuck"].get<int>() >= 1 ||
           !e.report["verdict"]["safe"].get<bool>()));
    check_replay(e);
  }
}

TEST_CASE("explore: at the minimum n the whole space holds, with at least the states measured",
          "[explore]") {
  // Exit 0 means every order of delivery and every menu choice of the Byzantine server was
  // tried. The lower bounds are a little under the counts measured when the test was written
  // (497283, 1007209, 31717 distinct states): a search that stopped early fails them.
  struct Case {
    std::string scenario;
    int n;
    uint64_t min_distinct;
    uint64_t min_terminal;
  };
  for (const Case& c : {Case{"scenarios/explore/mr-masking-write-then-read.json", 5, 450000, 30},
                        Case{"scenarios/explore/sbq-masking-writer-reader.json", 4, 900000, 300},
                        Case{"scenarios/explore/sbq-dissemination-writer-reader.json", 3, 28000,
                             30}}) {
    CAPTURE(c.scenario);
    const Explored e = explore(c.scenario);
    INFO(e.err);
    REQUIRE(e.exit_code == 0);
    CHECK(e.report["outcome"] == "exhausted");
    CHECK(e.report["n"] == c.n);
    CHECK(e.report["byzantine"] == json::array({0}));
    CHECK(e.report["distinct"].get<uint64_t>() >= c.min_distinct);
    CHECK(e.report["terminal"].get<uint64_t>() >= c.min_terminal);
    CHECK(e.report["explored"].get<uint64_t>() >= e.report["distinct"].get<uint64_t>() - 1);
    CHECK(e.report["verdict"].is_null());
  }
}

TEST_CASE("explore: a limit that stops the search is exit 3, never success", "[explore]") {
  // Both limits on a space that holds: the answer must be "no conclusion", not 0.
  const std::string sc = "scenarios/explore/sbq-dissemination-writer-reader.json";
  Explored e = explore(sc, {"--max-states", "1000"});
  CHECK(e.exit_code == 3);
  CHECK(e.report["outcome"] == "limit");
  CHECK(e.report["states_cut"] == true);
  e = explore(sc, {"--depth", "5"});
  CHECK(e.exit_code == 3);
  CHECK(e.report["depth_cut"] == true);
  // The human report says so too.
  const ProcessResult r = run_bqsim({"explore", source_path(sc), "--max-states", "1000"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("STOPPED by --max-states") != std::string::npos);
  CHECK(r.out.find("no violation in the whole space") == std::string::npos);
}

TEST_CASE("explore: delivering ignored replies at once keeps every terminal state", "[explore]") {
  // The reduction (Node::ignores_forever) must not lose a history: with and without it the
  // same number of distinct terminal states is judged, and the reduced space is smaller.
  for (const std::string sc : {"scenarios/explore/sbq-dissemination-writer-reader.json",
                               "scenarios/explore/sbq-masking-two-writes.json"}) {
    CAPTURE(sc);
    const Explored reduced = explore(sc);
    const Explored full = explore(sc, {"--no-reduce"});
    REQUIRE(reduced.exit_code == 0);
    REQUIRE(full.exit_code == 0);
    CHECK(reduced.report["terminal"] == full.report["terminal"]);
    CHECK(reduced.report["distinct"].get<uint64_t>() < full.report["distinct"].get<uint64_t>());
  }
}

TEST_CASE("explore: the scenario's Byzantine list or --byzantine K choose the liars", "[explore]") {
  // No liar: fewer choices, a smaller space; two liars need allow_unsafe (f = 1).
  const std::string sc = "scenarios/explore/sbq-dissemination-writer-reader.json";
  const Explored none = explore(sc, {"--byzantine", "0"});
  const Explored one = explore(sc);
  REQUIRE(none.exit_code == 0);
  REQUIRE(one.exit_code == 0);
  CHECK(none.report["byzantine"].empty());
  CHECK(none.report["distinct"].get<uint64_t>() < one.report["distinct"].get<uint64_t>());
  const Explored two = explore(sc, {"--byzantine", "2"});
  CHECK(two.exit_code == 2);
  CHECK(two.err == "error: --byzantine: expected at most f = 1 Byzantine servers (or allow_unsafe "
                   "in the scenario), got 2\n");
}

TEST_CASE("explore and replay: bad input is one line and exit 2", "[explore][bad-input]") {
  const std::string sc = source_path("scenarios/explore/sbq-dissemination-writer-reader.json");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"explore", sc, "--set", "protocol.name=sync-threshold", "--set", "network.synchrony=sync",
        "--set", "network.bound_s=0.01", "--set", "byzantine=[]"},
       "error: " + sc + ": /protocol/name: expected a protocol for asynchronous networks (explore "
       "tries every order of delivery so a time-out could fire before any delay bound), got "
       "'sync-threshold'\n"},
      {{"explore", sc, "--set", "network.loss_probability=0.1", "--set", "allow_unsafe=true"},
       "error: " + sc + ": /network/loss_probability: expected 0 (explore delivers every message: "
       "it does not model loss), got 0.1\n"},
      {{"explore", sc, "--set", "workload={\"duration_s\": 1}"},
       "error: " + sc + ": /workload/duration_s: expected ops_per_client or script (exploration "
       "needs a finite workload), got 1\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const ProcessResult r = run_bqsim(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.err == c.err);
    CHECK(r.out.empty());
  }
  const auto dir = temp_dir("replay-bad");
  const auto garbage = dir / "garbage.json";
  { std::ofstream(garbage) << "{\"format\": \"something else\"}"; }
  ProcessResult r = run_bqsim({"replay", garbage.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: " + garbage.string() +
                     ": /format: expected \"bqsim-schedule/1\", got 'something else'\n");
  // A schedule whose step names an event that is not pending is refused, not replayed.
  const Explored e = explore("scenarios/explore/sbq-dissemination-writer-reader.json",
                             {"--set", "protocol.n=2", "--set", "allow_unsafe=true"});
  REQUIRE(e.exit_code == 1);
  json doc = json::parse(read_text(e.schedule));
  doc["steps"][1]["pending"] = "00000000000000000000000000000000";
  const auto edited = dir / "edited.json";
  { std::ofstream(edited) << doc.dump(); }
  r = run_bqsim({"replay", edited.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: " + edited.string() +
                     ": /steps/1/pending: expected an event pending at this step, got "
                     "'00000000000000000000000000000000'\n");
  std::filesystem::remove_all(dir);
}

}  // namespace bqsim::test
