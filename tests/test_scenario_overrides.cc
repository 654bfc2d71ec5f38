// The scenario reader's entry points beyond one file as written, in-process against a small
// fake catalog (tests/scenario_fixture.h): --set overrides, --seed and the hash, sweep blocks,
// an already parsed document, and files read relative to the scenario.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/input/scenario_reader.h"
#include "sim/input/scenario_walk.h"
#include "tests/scenario_fixture.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

ReadOptions with_sets(std::vector<std::string> sets) {
  ReadOptions o;
  o.set_overrides = std::move(sets);
  return o;
}

ReadOptions sweeping() {
  ReadOptions o;
  o.allow_sweep = true;
  return o;
}

}  // namespace

TEST_CASE("set overrides fields by dotted path before checking", "[scenario_reader]") {
  // Shows overrides of numbers, strings that are not JSON, list elements and new objects.
  const std::string base =
      R"({"byzantine": [{"servers": [0], "behaviours": [{"kind": "silent"}]}]})";
  const Scenario s = read(base, with_sets({"protocol.f=2", "protocol.name=mr-masking",
                                           "byzantine.0.servers=[3]", "workload.clients=3",
                                           R"(network.delay={"dist":"constant","value_s":0.5})"}));
  CHECK(s.protocol.f == 2);
  CHECK(s.protocol.name == "mr-masking");
  CHECK(s.protocol.n == 9);
  CHECK(s.byzantine[0].servers == std::vector<NodeId>{3});
  CHECK(s.workload.clients == 3);
  CHECK(s.network.delay.a == 0.5);
  CHECK(s.resolved["protocol"]["f"] == 2);
}

TEST_CASE("bad overrides are errors of --set", "[scenario_reader]") {
  // Shows malformed overrides, and errors in overridden values, name the file "--set".
  CHECK(error_of("{}", with_sets({"foo"})) ==
        "error: --set: /foo: expected PATH=VALUE such as protocol.f=2, got 'foo'");
  CHECK(error_of("{}", with_sets({"a..b=1"})) ==
        "error: --set: expected PATH=VALUE such as protocol.f=2, got 'a..b=1'");
  // Found by fuzzing: a newline in the path reached the line through its pointer.
  CHECK(error_of("{}", with_sets({"{\n x"})) ==
        "error: --set: /{\\u000a x: expected PATH=VALUE such as protocol.f=2, got "
        "'{\\u000a x'");
  CHECK(error_of(R"({"byzantine": []})", with_sets({"byzantine.0.servers=[1]"})) ==
        "error: --set: /byzantine/0: expected an index below 0 into the list at /byzantine, "
        "got '0'");
  CHECK(error_of(R"({"seed": 1})", with_sets({"seed.x=1"})) ==
        "error: --set: /seed: expected an object or a list to set seed.x in, got 1");
  CHECK(error_of("{}", with_sets({"protocol.f=-1"})) ==
        "error: --set: /protocol/f: expected an integer from 0 to 10000, got -1");
  CHECK(error_of("{}", with_sets({"workload.clients=many"})) ==
        "error: --set: /workload/clients: expected an integer from 1 to 1000000, got 'many'");
  // Not under the overridden path: the error belongs to the file.
  CHECK(error_of(R"({"protocol": {"n": 4}})", with_sets({"protocol.f=2"})) ==
        "error: dir/test.json: /protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, "
        "got 4");
}

TEST_CASE("the seed option replaces the seed and the hash follows it", "[scenario_reader]") {
  // Shows the hash is stable for one scenario, insensitive to layout, and changes with the seed.
  const std::string text = R"({"protocol": {"f": 1, "name": "sbq-masking"}, "seed": 3})";
  const std::string same =
      "{\n  \"seed\": 3,\n  \"protocol\": {\"name\": \"sbq-masking\", \"f\": 1}\n}";
  CHECK(read(text).hash == read(text).hash);
  CHECK(read(text).hash == read(same).hash);
  ReadOptions seeded;
  seeded.seed = 5;
  const Scenario s5 = read(text, seeded);
  CHECK(s5.seed == 5);
  CHECK(s5.resolved["seed"] == 5);
  CHECK(s5.hash != read(text).hash);
  seeded.seed = 3;
  CHECK(read(text, seeded).hash == read(text).hash);
  CHECK(read("{}").hash == read(R"({"seed": 1})").hash);  // the default seed is hashed too
}

TEST_CASE("a sweep is rejected by run and checked run by run by validate", "[scenario_reader]") {
  // Shows every run of the cross product is checked, with errors pointing into the sweep block.
  const std::string text = R"({"protocol": {"n": 7}, "sweep": {"protocol.f": [1, 2]}})";
  CHECK(error_of(text) ==
        "error: dir/test.json: /sweep: expected no sweep block (expand it with "
        "scripts/bqsim-batch), got one");
  const Scenario s = read(text, sweeping());
  CHECK(s.protocol.f == 1);  // the first run
  CHECK_FALSE(s.resolved.contains("sweep"));
  CHECK(error_of(R"({"protocol": {"n": 4}, "sweep": {"protocol.f": [1, 2]}})", sweeping()) ==
        "error: dir/test.json: /protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, "
        "got 4 (in the sweep run with protocol.f=2)");
  CHECK(error_of(R"({"sweep": {"protocol.f": [1, -1]}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.f/1: expected an integer from 0 to 10000, got -1");
  CHECK(error_of(R"({"sweep": {"protocol.tee": [1]}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.tee/0: expected one of name, f, n or an option of "
        "sbq-masking (contact, contact_widen_s, ts_choice); got 'tee'");
  CHECK(error_of(R"({"sweep": {"protocol.f": []}})", sweeping()) ==
        "error: dir/test.json: /sweep/protocol.f: expected a non-empty list of values, got an "
        "empty list");
  CHECK(error_of(R"({"sweep": {"seed": [1, 2, 3], "protocol.f": [0, 1, 2, 3],
                               "workload.clients": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                               "workload.registers": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                               "workload.value_bytes": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}})",
                 sweeping()) ==
        "error: dir/test.json: /sweep: expected at most 10000 runs in its cross product, got "
        "more");
  CHECK(read(R"({"sweep": {"seed": [1, 2], "protocol.name": ["mr-masking", "sbq-masking"]}})",
             sweeping())
            .protocol.name == "mr-masking");
}

TEST_CASE("one parsed document is checked on its own", "[scenario_reader]") {
  // Shows scenario_from_json: the same walk, with no hash, and no sweep block let through.
  const std::string file = "mem.json";
  const Scenario s = scenario_from_json(json::parse(R"({"seed": 9})"), file, fake_catalog());
  CHECK(s.seed == 9);
  CHECK(s.name == "mem");
  CHECK(s.hash.empty());
  CHECK_THROWS_WITH(
      scenario_from_json(json::parse(R"({"sweep": {"seed": [1]}})"), file, fake_catalog()),
      "error: mem.json: /sweep: expected no sweep block (expand it with scripts/bqsim-batch), "
      "got an object");
}

TEST_CASE("files are read relative to the scenario", "[scenario_reader]") {
  // Shows unreadable files, and platform files resolved against the scenario's directory.
  CHECK_THROWS_WITH(read_scenario_file("/nonexistent/x.json", {}, fake_catalog()),
                    "error: /nonexistent/x.json: expected a readable file, got no such file or "
                    "directory");
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "bqsim-test-scenario-reader";
  fs::create_directories(dir);
  std::ofstream(dir / "star.xml") << "<platform/>";
  std::ofstream(dir / "s.json")
      << R"({"network": {"model": "bandwidth", "platform_file": "star.xml"}})";
  const Scenario s = read_scenario_file((dir / "s.json").string(), {}, fake_catalog());
  CHECK(s.network.platform_file == (dir / "star.xml").string());
  CHECK(s.name == "s");
  std::ofstream(dir / "t.json")
      << R"({"network": {"model": "bandwidth", "platform_file": "missing.xml"}})";
  CHECK_THROWS_WITH(read_scenario_file((dir / "t.json").string(), {}, fake_catalog()),
                    "error: " + (dir / "t.json").string() +
                        ": /network/platform_file: expected an existing SimGrid platform file "
                        "(relative paths start at the scenario's directory), got 'missing.xml'");
  fs::remove_all(dir);
}

}  // namespace bqsim::test
