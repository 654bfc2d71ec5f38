// Golden traces: the hash of ops.csv and messages.csv for a few fixed scenarios and seeds is
// pinned, so reproducibility cannot drift silently (STYLE.md). A change that alters a trace on
// purpose updates the pins below in the same commit, and says why.
#include <catch2/catch.hpp>

#include <cstdio>

#include "sim/model/random.h"
#include "tests/sim_fixture.h"

namespace {

std::string hex(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

nlohmann::json load(const std::string& relative) {
  return nlohmann::json::parse(bqsim::test::read_text(bqsim::test::source_path(relative)));
}

}  // namespace

TEST_CASE("golden trace hashes of fixed scenarios", "[golden]") {
  // The same scenario and seed give the same bytes today as when the pins were taken.
  struct Golden {
    std::string name;
    nlohmann::json scenario;
    std::string ops_hash, messages_hash;
  };
  nlohmann::json lossy = load("scenarios/lossy-u-masking-vs-mr-masking.json");
  lossy.erase("sweep");
  lossy["protocol"]["name"] = "u-masking";
  lossy["network"]["loss_probability"] = 0.05;
  nlohmann::json sync = load("scenarios/sync-self-timed-vs-timeout.json");
  sync.erase("sweep");
  sync["protocol"]["t"] = 0;
  const std::vector<Golden> goldens = {
      {"quickstart", load("scenarios/quickstart.json"), "849168e9edc27008", "dfd08fdf36f827d0"},
      {"u-masking with 5% loss", lossy, "ffcf4dadf8afa2a0", "529cde3d99b072ae"},
      {"sync-threshold t=0 with a silent server", sync, "a4198ef5a2f70704", "f926664266dcba04"},
  };
  for (const auto& g : goldens) {
    CAPTURE(g.name);
    const auto r = bqsim::test::simulate(g.scenario);
    REQUIRE(r.has_manifest);
    CHECK(hex(bqsim::hash_name(r.ops_csv)) == g.ops_hash);
    CHECK(hex(bqsim::hash_name(r.messages_csv)) == g.messages_hash);
  }
}
