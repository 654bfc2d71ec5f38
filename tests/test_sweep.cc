// Sweeps (sim/input/sweep.h): point names exactly as the batch runner's directories were named,
// the cross product's order, shards that partition a batch, and `bqsim expand` / `bqsim run
// --point` agreeing on which scenario a point is.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "sim/input/json_reader.h"
#include "sim/input/sweep.h"
#include "tests/subprocess.h"

using bqsim::Overrides;
using nlohmann::json;
using namespace bqsim::test;

namespace {

std::vector<json> expand_lines(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"expand"};
  all.insert(all.end(), args.begin(), args.end());
  const ProcessResult r = run_bqsim(all);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.err.empty());
  std::vector<json> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("floats are written as Python's repr writes them", "[sweep]") {
  // Python 3: repr() of each value, the text the old directory labels held.
  const std::vector<std::pair<double, std::string>> cases = {
      {0.1, "0.1"},          {0.0, "0.0"},
      {-0.0, "-0.0"},        {1.0, "1.0"},
      {100.0, "100.0"},      {0.0001, "0.0001"},
      {0.00001, "1e-05"},    {1.5e-05, "1.5e-05"},
      {1e15, "1000000000000000.0"}, {1e16, "1e+16"},
      {1.2345e16, "1.2345e+16"}, {123456789.125, "123456789.125"},
      {5e-324, "5e-324"},    {1.7976931348623157e308, "1.7976931348623157e+308"},
      {0.30000000000000004, "0.30000000000000004"}, {-2.5, "-2.5"},
      {1e100, "1e+100"},     {0.001, "0.001"}};
  for (const auto& [x, text] : cases) {
    CAPTURE(text);
    CHECK(bqsim::python_float_repr(x) == text);
  }
}

TEST_CASE("values are written as Python's json.dumps writes them, strings bare", "[sweep]") {
  CHECK(bqsim::value_text(json("mr-masking")) == "mr-masking");
  CHECK(bqsim::value_text(json(3)) == "3");
  CHECK(bqsim::value_text(json(true)) == "true");
  CHECK(bqsim::value_text(json(nullptr)) == "null");
  CHECK(bqsim::value_text(json::parse(R"({"b": [1, 0.5], "a": "x\"y"})")) ==
        R"({"a":"x\"y","b":[1,0.5]})");
  // ensure_ascii: \u escapes, a surrogate pair above U+FFFF, control characters.
  CHECK(bqsim::value_text(json::parse(R"(["é", "😀", "a\nb\u0001"])")) ==
        R"(["\u00e9","\ud83d\ude00","a\nb\u0001"])");
}

TEST_CASE("point names: sorted paths, objects flattened, arrays joined by '+', sanitised",
          "[sweep]") {
  CHECK(bqsim::point_name({}) == "default");
  const Overrides simple = {{"network.loss_probability", 0.05}, {"protocol.name", "u-masking"}};
  CHECK(bqsim::point_name(simple) == "network.loss_probability=0.05,protocol.name=u-masking");
  const Overrides object = {
      {"network.delay", json::parse(R"({"mean_s": 0.001, "dist": "exponential"})")}};
  CHECK(bqsim::point_name(object) == "network.delay.dist=exponential,network.delay.mean_s=0.001");
  const Overrides array = {{"byzantine.0.servers", json::parse("[1, 2]")}};
  CHECK(bqsim::point_name(array) == "byzantine.0.servers=1+2");
  const Overrides odd = {{"x", "a b/c"}, {"y", json::object()}};
  CHECK(bqsim::point_name(odd) == "x=a_b_c,y=_");
  CHECK(bqsim::sanitise_name("..-hidden") == "hidden");
  CHECK(bqsim::sanitise_name("...") == "_");
  CHECK(bqsim::sanitise_name("a//  b") == "a_b");
}

TEST_CASE("long names are cut and tagged with the SHA-1 of the full text", "[sweep]") {
  // FIPS 180 test vectors.
  CHECK(bqsim::sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(bqsim::sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(bqsim::sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  const std::string text(201, 'a');
  const std::string name = bqsim::sanitise_name(text);
  CHECK(name == std::string(180, 'a') + "~" + bqsim::sha1_hex(text).substr(0, 12));
  CHECK(bqsim::sanitise_name(std::string(200, 'a')) == std::string(200, 'a'));
}

TEST_CASE("a sweep expands in sorted path order, the last path turning fastest", "[sweep]") {
  const json sweep = json::parse(R"({"protocol.name": ["sbq-masking", "mr-masking"],
                                     "protocol.f": [1, 2, 3]})");
  const auto points = bqsim::expand_sweep(sweep, "s.json");
  REQUIRE(points.size() == 6);
  std::vector<std::string> names;
  for (size_t i = 0; i < points.size(); ++i) {
    CHECK(points[i].index == i);
    names.push_back(points[i].name);
  }
  CHECK(names == std::vector<std::string>{
                     "protocol.f=1,protocol.name=sbq-masking", "protocol.f=1,protocol.name=mr-masking",
                     "protocol.f=2,protocol.name=sbq-masking", "protocol.f=2,protocol.name=mr-masking",
                     "protocol.f=3,protocol.name=sbq-masking", "protocol.f=3,protocol.name=mr-masking"});
  CHECK(bqsim::expand_sweep(json(), "s.json").at(0).name == "default");
  // Two values that sanitise to one directory name must be refused, not overwrite each other.
  const json clash = json::parse(R"({"x": ["a b", "a/b"]})");
  CHECK_THROWS_WITH(bqsim::expand_sweep(clash, "s.json"),
                    "error: s.json: /sweep: expected points with distinct directory names, got "
                    "points 0 and 1 both named 'x=a_b'");
}

TEST_CASE("shards partition the runs and --shard parses only I/N with I < N", "[sweep]") {
  const std::vector<uint64_t> counts = {1, 2, 3, 7};
  for (const uint64_t n : counts) {
    std::vector<int> owners(50, 0);
    for (uint64_t i = 0; i < n; ++i) {
      const auto s = bqsim::parse_shard(std::to_string(i) + "/" + std::to_string(n));
      REQUIRE(s);
      for (uint64_t r = 0; r < owners.size(); ++r) owners[r] += s->contains(r);
    }
    CHECK(std::all_of(owners.begin(), owners.end(), [](int k) { return k == 1; }));
  }
  for (const char* bad : {"1/1", "0/0", "-1/2", "a/2", "1", "1/2/3", "", "/2", "0/1000001"}) {
    CAPTURE(bad);
    CHECK_FALSE(bqsim::parse_shard(bad));
  }
}

TEST_CASE("bqsim expand lists points × seeds, and run --point runs the same scenario",
          "[sweep][cli]") {
  const std::string file = source_path("scenarios/compare-3f1-vs-4f1.json");
  const auto all = expand_lines({file, "--seeds", "2"});
  REQUIRE(all.size() == 12);  // 2 protocols × 3 values of f × 2 seeds
  std::set<std::string> hashes;
  for (size_t r = 0; r < all.size(); ++r) {
    CHECK(all[r]["run"] == r);
    CHECK(all[r]["seed"] == 1 + r % 2);
    CHECK(all[r]["point_index"] == r / 2);
    CHECK(all[r]["dir"] == "compare-3f1-vs-4f1/" + all[r]["point"].get<std::string>() +
                               "/seed-" + std::to_string(1 + r % 2));
    hashes.insert(all[r]["hash"].get<std::string>());
  }
  CHECK(hashes.size() == 12);  // the seed is part of what the hash covers
  CHECK(all[7]["overrides"] == json::parse(R"({"protocol.f": 2, "protocol.name": "mr-masking"})"));
  // Three shards: every run exactly once, in the same order.
  std::vector<json> merged;
  for (int i = 0; i < 3; ++i) {
    for (const json& line : expand_lines({file, "--seeds", "2", "--shard", std::to_string(i) + "/3"})) {
      CHECK(line["run"].get<int>() % 3 == i);
      merged.push_back(line);
    }
  }
  std::sort(merged.begin(), merged.end(),
            [](const json& a, const json& b) { return a["run"] < b["run"]; });
  CHECK(merged == all);
  // The run of point 3 with seed 2, by index and by name: the manifest's hash is expand's.
  const auto dir = temp_dir("point");
  for (const std::string& which : {std::string("3"), all[7]["point"].get<std::string>()}) {
    const ProcessResult r = run_bqsim({"run", file, "--point", which, "--seed", "2", "--out",
                                       (dir / which.substr(0, 1)).string(), "-q"});
    REQUIRE(r.exit_code == 0);
    const json manifest = json::parse(read_text(dir / which.substr(0, 1) / "manifest.json"));
    CHECK(manifest["scenario_hash"] == all[7]["hash"]);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("expand and run --point refuse what cannot be a point", "[sweep][cli]") {
  const std::string file = source_path("scenarios/compare-3f1-vs-4f1.json");
  auto err = [](const std::vector<std::string>& args) {
    const ProcessResult r = run_bqsim(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    return r.err;
  };
  CHECK(err({"run", file, "--point", "6"}) ==
        "error: --point: expected a point name or an index below 6 (bqsim expand " + file +
            " lists them), got '6'\n");
  CHECK(err({"expand", file, "--set", "protocol.f=2"}) ==
        "error: --set: /protocol/f: expected a path the sweep of " + file +
            " does not cover (it sweeps protocol.f), got 'protocol.f=2'\n");
  CHECK(err({"expand", file, "--shard", "3/3"}) ==
        "error: --shard: expected I/N with 0 <= I < N <= 1000000, got '3/3'\n");
  CHECK(err({"expand", file, "--seed-list", "1,1"}).starts_with("error: --seed-list: expected"));
  CHECK(err({"expand", file, "--seeds", "0"}) ==
        "error: --seeds: expected an integer from 1 to 100000, got '0'\n");
  // A point of a file without a sweep: only "default" (index 0) exists.
  const std::string plain = source_path("scenarios/quickstart.json");
  const auto lines = expand_lines({plain});
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["point"] == "default");
  CHECK(lines[0]["overrides"] == json::object());
  CHECK(err({"run", plain, "--point", "1"}).starts_with("error: --point: expected"));
}
