// Attack tests: the adversary search (scripts/bqsim-search) finds the break one Byzantine
// server beyond f and its result reproduces byte for byte; within f every registered protocol
// survives every registered behaviour that really fired; timestamp inflation wraps small
// counters exactly where PROTOCOLS.md §6 says; and the fired counts of summary.json agree with
// messages.csv. Each simulation is its own `bqsim run` (one SimGrid engine per process).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "tests/sim_fixture.h"

using bqsim::test::has_violation;
using bqsim::test::ProcessResult;
using bqsim::test::read_text;
using bqsim::test::run_bqsim;
using bqsim::test::shell_quote;
using bqsim::test::simulate;
using bqsim::test::SimRun;
using bqsim::test::source_path;
using bqsim::test::temp_dir;
using nlohmann::json;

namespace {

// What `bqsim list` says is registered (sim/app/list.cc: names at column 2 of their section;
// option lines `key = default: help` indented below).
struct Registry {
  std::vector<std::string> protocols;                        // in list order
  std::map<std::string, std::set<std::string>> options;      // protocol -> option keys
  std::map<std::string, std::string> data;                   // protocol -> data column
  std::vector<std::string> behaviours;                       // in list order
  std::map<std::string, bool> generic_only;                  // behaviour -> flag
  std::map<std::string, std::set<std::string>> params;       // behaviour -> parameter keys
};

Registry registry() {
  // `bqsim list --json` is the machine-readable catalogue (sim/app/list.cc).
  const ProcessResult p = run_bqsim({"list", "--json"});
  REQUIRE(p.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(p.out);
  Registry r;
  for (const auto& proto : j["protocols"]) {
    const std::string name = proto["name"];
    r.protocols.push_back(name);
    r.data[name] = proto["data"];
    for (const auto& o : proto["options"]) r.options[name].insert(o["key"].get<std::string>());
  }
  for (const auto& b : j["behaviours"]) {
    const std::string name = b["name"];
    r.behaviours.push_back(name);
    r.generic_only[name] = b["generic_data_only"];
    r.params[name];  // present even without parameters
    for (const auto& o : b["params"]) r.params[name].insert(o["key"].get<std::string>());
  }
  return r;
}

bool has_option(const Registry& reg, const std::string& protocol, const std::string& key) {
  const auto it = reg.options.find(protocol);
  return it != reg.options.end() && it->second.count(key) > 0;
}

bool registered(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// One protocol as a test runs it: sync-threshold also with self-verifying data.
struct Variant {
  std::string protocol;
  std::string data;  // "generic" or "self-verifying"
};

std::vector<Variant> variants(const Registry& reg) {
  std::vector<Variant> out;
  for (const auto& p : reg.protocols) {
    const std::string data = reg.data.at(p) == "generic" ? "generic" : "self-verifying";
    out.push_back({p, data});
    if (has_option(reg, p, "data")) {  // a protocol whose data kind is an option: both
      out.push_back({p, data == "generic" ? "self-verifying" : "generic"});
    }
  }
  return out;
}

// A small run of `v` with f Byzantine servers to come: three clients, random delays, a think
// time near the delay (reads and writes interleave). Sync protocols get a bounded delay; the
// u-protocols a lossy network, which is what they are for.
json scenario_for(const Registry& reg, const Variant& v, int f, int seed) {
  json sc = bqsim::test::base_scenario(v.protocol, f);
  sc["seed"] = seed;
  if (has_option(reg, v.protocol, "data")) sc["protocol"]["data"] = v.data;
  sc["workload"] = {{"clients", 3}, {"ops_per_client", 30}, {"read_fraction", 0.6},
                    {"think_time", {{"dist", "exponential"}, {"mean_s", 0.002}}}};
  if (v.protocol == "sync-threshold") {
    sc["network"] = {{"synchrony", "sync"},
                     {"bound_s", 0.004},
                     {"delay", {{"dist", "uniform"}, {"min_s", 0.0005}, {"max_s", 0.003}}}};
  } else {
    sc["network"] = {{"delay", {{"dist", "exponential"}, {"mean_s", 0.001}}}};
    if (v.protocol.rfind("u-", 0) == 0) sc["network"]["loss_probability"] = 0.05;
  }
  return sc;
}

// Parameters for each behaviour, several variants, each sure to touch traffic in a run of
// scenario_for (crash early, stale once writes happened, omit on the requests every
// operation sends). A variant is picked per seed.
std::vector<json> behaviour_variants(const std::string& kind, const std::string& data) {
  const bool generic = data == "generic";
  if (kind == "silent") return {{{"kind", "silent"}}, {{"kind", "silent"}, {"from_s", 0.02}}};
  if (kind == "crash") return {{{"kind", "crash"}, {"at_s", 0.01}}, {{"kind", "crash"}, {"at_s", 0.0}}};
  if (kind == "stale") {
    return {{{"kind", "stale"}, {"which", "oldest"}},
            {{"kind", "stale"}, {"which", "k-th-newest"}, {"k", 2}}};
  }
  if (kind == "forge") {
    return {{{"kind", "forge"}, {"coalition", "liars"}},
            {{"kind", "forge"}, {"coalition", "liars"}, {"ts_counter", 3},
             {"answer_ts_queries", true}}};
  }
  if (kind == "equivocate") {
    return {{{"kind", "equivocate"}, {"mode", "by-client"}, {"lie", "stale"}},
            generic ? json{{"kind", "equivocate"}, {"mode", "by-request"}, {"lie", "forge"},
                           {"coalition", "liars"}}
                    : json{{"kind", "equivocate"}, {"mode", "by-request"}, {"lie", "stale"}}};
  }
  if (kind == "slow") {
    return {{{"kind", "slow"}, {"delay", {{"dist", "exponential"}, {"mean_s", 0.005}}}},
            {{"kind", "slow"}, {"delay", {{"dist", "constant"}, {"value_s", 0.002}}},
             {"from_s", 0.01}, {"until_s", 0.08}}};
  }
  if (kind == "omit") {
    return {{{"kind", "omit"}, {"types", {"read"}}, {"direction", "in"}},
            {{"kind", "omit"}, {"clients", {0, 2}}, {"types", {"read_reply", "ts_reply"}},
             {"direction", "out"}},
            {{"kind", "omit"}, {"clients", {1}}, {"direction", "both"}}};
  }
  // Margin 0 reports the largest counter: max-choosing writers wrap at once (§6), which the
  // wrap test shows; within f, on generic data, it runs against ts_choice f+1-th (see the
  // test case). Margin 2^40 leaves
  // room for every write of a run: counters race upward but never wrap, under ts_choice max.
  if (kind == "ts-inflate") {
    return {{{"kind", "ts-inflate"}}, {{"kind", "ts-inflate"}, {"margin", uint64_t{1} << 40}}};
  }
  return {{{"kind", kind}}};  // a behaviour registered after this test: its defaults
}

// The behaviours this file was written against (the colleagues' adversaries/ work).
const std::vector<std::string> kExpectedBehaviours = {"silent", "crash", "stale", "forge",
                                                      "equivocate", "slow", "omit", "ts-inflate"};
const std::vector<std::string> kExpectedProtocols = {
    "mr-masking", "mr-dissemination", "sbq-masking", "sbq-dissemination",
    "sync-threshold", "u-masking", "u-dissemination"};

// scripts/bqsim-search with Debian's python3, against the binary under test.
ProcessResult run_search(std::vector<std::string> args) {
  args.insert(args.end(), {"--bqsim", BQSIM_BINARY});
  return bqsim::test::run_command(
      "/usr/bin/python3 " + shell_quote(source_path("scripts/bqsim-search")), args);
}

std::string failure_text(const SimRun& r) {
  return r.err + (r.summary.is_null() ? std::string() : r.summary["checker"].dump());
}

uint64_t fired(const SimRun& r, const std::string& key) {
  return r.summary["byzantine"]["fired"].value(key, uint64_t{0});
}

}  // namespace

TEST_CASE("the search finds the break one Byzantine server beyond f and it reproduces",
          "[attack][search]") {
  // With f+1 = 2 Byzantine servers (allow_unsafe) sbq-masking and mr-masking break within a
  // budget of 40 random adversaries; found.json reruns to the trial's bytes, and the answer
  // does not depend on the number of workers.
  const int budget = 40;
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    CAPTURE(protocol, budget);
    const auto dir = temp_dir("search-" + protocol);
    const std::string scenario = source_path("scenarios/attack-" + protocol + ".json");
    std::map<std::string, int> trial_of;  // -j value -> the trial that broke the scenario
    std::map<std::string, std::string> found_of;
    for (const std::string jobs : {"2", "1"}) {
      const auto out = dir / ("j" + jobs);
      const ProcessResult s = run_search({scenario, "--budget", std::to_string(budget),
                                          "--byzantine", "2", "--seed", "1", "-j", jobs,
                                          "--out", out.string()});
      INFO(s.out << s.err);
      REQUIRE(s.exit_code == 1);
      const json record = json::parse(read_text(out / "search.json"));
      REQUIRE(record["found"].is_object());
      trial_of[jobs] = record["found"]["trial"].get<int>();
      found_of[jobs] = read_text(out / "found.json");
      CHECK(s.out.find("found: trial " + std::to_string(trial_of[jobs])) != std::string::npos);
    }
    WARN(protocol << ": the search broke it at trial " << trial_of["2"] << " of " << budget);
    CHECK(trial_of["1"] == trial_of["2"]);
    CHECK(found_of["1"] == found_of["2"]);

    // found.json is the trial's exact scenario: two reruns give the trial's own bytes.
    const auto trial = dir / "j2" / ("trial-" + std::to_string(trial_of["2"]));
    CHECK(read_text(trial / "scenario.json") == found_of["2"]);
    const json found = json::parse(found_of["2"]);
    CHECK(found["byzantine"].is_array());
    for (const std::string rerun : {"r1", "r2"}) {
      const ProcessResult r = run_bqsim(
          {"run", (dir / "j2" / "found.json").string(), "--out", (dir / rerun).string(), "-q"});
      CHECK(r.exit_code == 1);
      CHECK(read_text(dir / rerun / "ops.csv") == read_text(trial / "ops.csv"));
      CHECK(read_text(dir / rerun / "messages.csv") == read_text(trial / "messages.csv"));
    }
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("within f, every protocol survives every behaviour that fired", "[attack][within-f]") {
  // Every registered protocol x every behaviour its data kind allows, on at most f servers
  // over three seeds (f = 1, 1, 2), plus stale + slow + omit on three servers at f = 3: the
  // run passes, nothing is stuck, and every configured behaviour touched traffic.
  const Registry reg = registry();
  for (const auto& name : kExpectedProtocols) CHECK(registered(reg.protocols, name));
  for (const auto& name : kExpectedBehaviours) CHECK(registered(reg.behaviours, name));
  for (const Variant& v : variants(reg)) {
    for (const auto& kind : reg.behaviours) {
      if (reg.generic_only.at(kind) && v.data != "generic") continue;
      const auto options = behaviour_variants(kind, v.data);
      for (int seed = 1; seed <= 3; ++seed) {
        const int f = seed == 3 ? 2 : 1;
        json sc = scenario_for(reg, v, f, seed);
        // f distinct servers below f+1, the smallest n of any protocol (sync-threshold on
        // self-verifying data with t = 0), rotating with the seed.
        json servers = json::array();
        for (int k = 0; k < f; ++k) servers.push_back((seed + k) % (f + 1));
        const json& behaviour = options[static_cast<size_t>(seed) % options.size()];
        // Generic data defends against a wrapping inflator with f+1-th (§6); signed data
        // needs no defence (the inflated ts is unsigned) and keeps the default, max.
        if (kind == "ts-inflate" && !behaviour.contains("margin") && v.data == "generic") {
          sc["protocol"]["ts_choice"] = "f+1-th";
        }
        sc["byzantine"] = json::array(
            {{{"servers", servers}, {"behaviours", json::array({behaviour})}}});
        CAPTURE(v.protocol, v.data, kind, seed, sc["byzantine"].dump());
        const SimRun r = simulate(sc);
        INFO(failure_text(r));
        REQUIRE(r.exit_code == 0);
        CHECK(r.summary["checker"]["verdict"] == "pass");
        CHECK(r.summary["checker"]["stuck"] == 0);
        CHECK(r.summary["byzantine"]["configured_but_never_fired"].empty());
      }
    }
    // The combined script: three behaviours on three different servers.
    json sc = scenario_for(reg, v, 3, 7);
    sc["byzantine"] = json::array(
        {{{"servers", {0}}, {"behaviours", {behaviour_variants("stale", v.data)[0]}}},
         {{"servers", {1}}, {"behaviours", {behaviour_variants("slow", v.data)[0]}}},
         {{"servers", {2}}, {"behaviours", {behaviour_variants("omit", v.data)[0]}}}});
    CAPTURE(v.protocol, v.data, sc["byzantine"].dump());
    const SimRun r = simulate(sc);
    INFO(failure_text(r));
    REQUIRE(r.exit_code == 0);
    CHECK(r.summary["checker"]["verdict"] == "pass");
    CHECK(r.summary["checker"]["stuck"] == 0);
    CHECK(r.summary["byzantine"]["configured_but_never_fired"].empty());
  }
}

TEST_CASE("timestamp inflation wraps small counters only where the timestamp choice trusts it",
          "[attack][ts-wrap]") {
  // §6: ts-inflate on f servers with 8-bit counters makes a writer wrap with ts_choice "max"
  // (a later write loses to an older one: stale read, exit 1); "f+1-th" ignores the inflated
  // counters, and signed (self-verifying) timestamps cannot be inflated: both pass.
  const auto run = [](const std::string& protocol, const std::string& ts_choice, int seed) {
    json sc = bqsim::test::base_scenario(protocol, 1);
    sc["seed"] = seed;
    sc["timestamp_bits"] = 8;
    sc["protocol"]["ts_choice"] = ts_choice;
    // Think time well above the delay: most reads overlap no write, so safe semantics bite.
    sc["workload"] = {{"clients", 2}, {"ops_per_client", 30}, {"read_fraction", 0.5},
                      {"think_time", {{"dist", "exponential"}, {"mean_s", 0.01}}}};
    sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};
    sc["byzantine"] = json::array({{{"servers", {1}}, {"behaviours", {{{"kind", "ts-inflate"}}}}}});
    return simulate(sc);
  };
  for (int seed = 1; seed <= 3; ++seed) {
    for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
      CAPTURE(seed, protocol);
      const SimRun broken = run(protocol, "max", seed);
      INFO(failure_text(broken));
      CHECK(broken.exit_code == 1);
      REQUIRE(broken.has_manifest);
      CHECK(has_violation(broken, "stale-read"));
      CHECK(broken.summary["checker"]["safe"] == false);
      CHECK(fired(broken, "ts-inflate/inflate_ts") > 0);

      const SimRun vouched = run(protocol, "f+1-th", seed);
      INFO(failure_text(vouched));
      CHECK(vouched.exit_code == 0);
      CHECK(vouched.summary["checker"]["verdict"] == "pass");
    }
    for (const std::string protocol : {"sbq-dissemination", "mr-dissemination"}) {
      CAPTURE(seed, protocol);
      const SimRun signed_ts = run(protocol, "max", seed);
      INFO(failure_text(signed_ts));
      CHECK(signed_ts.exit_code == 0);
      CHECK(signed_ts.summary["checker"]["verdict"] == "pass");
      CHECK(fired(signed_ts, "ts-inflate/inflate_ts") > 0);  // tried, and rejected unsigned
    }
  }
}

TEST_CASE("fired counts agree with the message counts", "[attack][fired]") {
  // Each drop or forged reply a behaviour reports is one message missing from (or changed
  // in) messages.csv: contact all, no loss, so every delivered request gets one reply from
  // each server that sees it.
  for (int seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    json sc = bqsim::test::base_scenario("sbq-masking", 1);
    sc["seed"] = seed;
    sc["workload"] = {{"clients", 3}, {"ops_per_client", 30}, {"read_fraction", 0.6},
                      {"think_time", {{"dist", "exponential"}, {"mean_s", 0.002}}}};
    sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};

    // omit incoming reads at one server: it answers every read it sees, and sees all but
    // the dropped ones.
    sc["byzantine"] = json::array({{{"servers", {2}},
                                    {"behaviours", {{{"kind", "omit"}, {"types", {"read"}},
                                                     {"direction", "in"}}}}}});
    const SimRun omit = simulate(sc);
    INFO(failure_text(omit));
    REQUIRE(omit.exit_code == 0);
    const uint64_t dropped = fired(omit, "omit/drop");
    CHECK(dropped > 0);
    CHECK(omit.sent_of("read_reply") == omit.delivered_of("read") - dropped);
    CHECK(omit.sent_of("ts_reply") == omit.delivered_of("ts_query"));  // other types pass

    // omit outgoing read replies to client 1: each drop is one reply never sent.
    sc["byzantine"][0]["behaviours"][0] = {
        {"kind", "omit"}, {"clients", {1}}, {"types", {"read_reply"}}, {"direction", "out"}};
    const SimRun omit_out = simulate(sc);
    INFO(failure_text(omit_out));
    REQUIRE(omit_out.exit_code == 0);
    CHECK(fired(omit_out, "omit/drop_reply") > 0);
    CHECK(omit_out.sent_of("read_reply") ==
          omit_out.delivered_of("read") - fired(omit_out, "omit/drop_reply"));

    // silent on mr-masking, where every request (ts_query, read, write) gets one reply.
    json mr = sc;
    mr["protocol"]["name"] = "mr-masking";
    mr["byzantine"] = json::array({{{"servers", {seed % 5}}, {"behaviours", {{{"kind", "silent"}}}}}});
    const SimRun silent = simulate(mr);
    INFO(failure_text(silent));
    REQUIRE(silent.exit_code == 0);
    const uint64_t requests = silent.delivered_of("read") + silent.delivered_of("ts_query") +
                              silent.delivered_of("write");
    const uint64_t replies = silent.sent_of("read_reply") + silent.sent_of("ts_reply") +
                             silent.sent_of("write_ack");
    CHECK(fired(silent, "silent/drop") > 0);
    CHECK(replies == requests - fired(silent, "silent/drop"));

    // forge with one forger: each read sends one request to it, each gets a forged reply.
    sc["byzantine"] = json::array(
        {{{"servers", {seed % 4}}, {"behaviours", {{{"kind", "forge"}, {"coalition", "liars"}}}}}});
    const SimRun forge = simulate(sc);
    INFO(failure_text(forge));
    REQUIRE(forge.exit_code == 0);
    uint64_t reads = 0;
    for (const auto& op : forge.ops) reads += op.kind == "read";
    REQUIRE(reads > 0);
    CHECK(forge.delivered_of("read") == 4 * reads);
    CHECK(fired(forge, "forge/forge_reply") == reads);
  }
}
