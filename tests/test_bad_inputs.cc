// Bad scenario files through the real binary: each must be refused with exit status 2, exactly
// one line on stderr (INTERFACE.md: "error: FILE: /json/pointer: expected ..., got ..."), and no
// manifest. Each file in tests/bad_inputs/ differs from valid_base.json in exactly one way.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/subprocess.h"

namespace {

namespace fs = std::filesystem;
using bqsim::test::run_bqsim;
using bqsim::test::source_path;
using nlohmann::json;

// "{list}" in an expected line stands for a list that grows with the registries (protocols,
// behaviours, a protocol's options); `listed` are the names it must at least contain.
struct BadInput {
  const char* file;      // in tests/bad_inputs/
  const char* change;    // the one way it differs from valid_base.json
  const char* expected;  // stderr after "error: <path as passed>: "
  const char* run_expected = nullptr;  // when `run` refuses it differently from `validate`
  std::vector<std::string> listed = {};
};

const std::vector<BadInput>& bad_inputs() {
  static const std::vector<BadInput> kTable = {
      {"syntax_error.json", "no comma after the seed",
       "expected valid JSON, got syntax error at line 4, column 12"},
      {"empty_file.json", "no content at all", "expected a JSON object, got an empty file"},
      {"not_an_object.json", "the scenario wrapped in a list",
       "expected a JSON object, got a list"},
      {"duplicate_key.json", "seed given twice",
       "/seed: expected each key once in an object, got 'seed' twice"},
      {"wrong_type.json", "clients is a string",
       "/workload/clients: expected an integer from 1 to 1000000, got 'two'"},
      {"unknown_key.json", "workload misspelt",
       "/worklaod: expected one of name, description, seed, protocol, workload, network, "
       "byzantine, allow_unsafe, timestamp_bits, limits, sweep, engine; got 'worklaod' (did you "
       "mean "
       "'workload'?)"},
      {"unknown_protocol.json", "protocol name misspelt",
       "/protocol/name: expected one of {list}; got 'sbq-maskin' (did you mean 'sbq-masking'?)",
       nullptr, {"mr-masking", "sbq-masking"}},
      {"option_not_accepted.json", "sbq-masking given sync-threshold's t",
       "/protocol/t: expected one of name, f, n or an option of sbq-masking ({list}); got 't'",
       nullptr, {"contact", "ts_choice"}},
      {"negative_f.json", "f is -1", "/protocol/f: expected an integer from 0 to 10000, got -1"},
      {"n_too_small.json", "n is 3",
       "/protocol/n: expected n >= 3f+1 = 4 for sbq-masking with f=1, got 3"},
      {"negative_delay.json", "a link's constant delay is negative",
       "/network/links/0/delay/value_s: expected a number >= 0, got -0.003"},
      {"unknown_distribution.json", "think time drawn from 'gauss'",
       "/workload/think_time/dist: expected one of constant, uniform, normal, exponential, "
       "lognormal, pareto; got 'gauss'"},
      {"read_fraction_above_one.json", "read_fraction is 1.5",
       "/workload/read_fraction: expected a number from 0 to 1, got 1.5"},
      {"ops_and_duration.json", "duration_s given besides ops_per_client",
       "/workload/duration_s: expected no duration_s alongside ops_per_client (give one of the "
       "two), got 10"},
      {"sync_unbounded_delay.json", "exponential delay on a sync network",
       "/network/delay: expected a distribution bounded by network.bound_s = 0.01 (sync), got "
       "exponential(mean_s=0.001), which is unbounded"},
      {"missing_bound.json", "sync network without bound_s",
       "/network/bound_s: expected a number > 0 (required when network.synchrony is sync), got "
       "nothing"},
      {"loss_on_sync.json", "loss on a sync network",
       "/network/loss_probability: expected 0 on a sync network (synchrony promises delivery "
       "within bound_s), got 0.1"},
      {"gst_on_sync.json", "gst_s on a sync network",
       "/network/gst_s: expected no gst_s unless network.synchrony is partial, got 5"},
      {"bad_link_selector.json", "link from 'srv:1'",
       "/network/links/0/from: expected a node pattern (*, server:*, client:*, server:I, "
       "server:I-J, client:I or client:I-J); got 'srv:1'"},
      {"too_many_byzantine.json", "two Byzantine servers with f=1",
       "/byzantine: expected at most f = 1 Byzantine servers for sbq-masking (or allow_unsafe), "
       "got 2"},
      {"server_out_of_range.json", "Byzantine server 4 of n=4",
       "/byzantine/0/servers/0: expected a server id from 0 to 3, got 4"},
      {"duplicate_byzantine_server.json", "server 0 in a second entry",
       "/byzantine/1/servers/0: expected a server not already Byzantine (/byzantine/0/servers/0 "
       "has it), got 0"},
      {"unknown_behaviour.json", "behaviour 'slient'",
       "/byzantine/0/behaviours/0/kind: expected one of {list}; got 'slient' (did you mean "
       "'silent'?)",
       nullptr, {"silent", "forge"}},
      {"behaviours_not_a_list.json", "one behaviour object instead of a list",
       "/byzantine/0/behaviours: expected a non-empty list of behaviours, got an object"},
      {"until_before_from.json", "until_s equal to from_s",
       "/byzantine/0/behaviours/0/until_s: expected a number > from_s = 0, got 0"},
      {"timestamp_bits_too_small.json", "timestamp_bits is 1",
       "/timestamp_bits: expected an integer from 2 to 64, got 1"},
      {"sweep_bad_run.json", "a sweep over f with n fixed at 4",
       "/protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, got 4 (in the sweep run "
       "with protocol.f=2)",
       "/sweep: expected no sweep block (expand it with scripts/bqsim-batch), got one"},
      // Parameters of the adversary catalogue (adversaries/registry.cc).
      {"slow_without_delay.json", "a slow behaviour without its delay",
       "/byzantine/0/behaviours/0/delay: expected a distribution object (slow requires delay), "
       "got nothing"},
      {"slow_bad_delay.json", "slow's uniform delay with max_s below min_s",
       "/byzantine/0/behaviours/0/delay/max_s: expected a number >= min_s = 0.2, got 0.1"},
      {"omit_unknown_type.json", "omit of message type 'reed'",
       "/byzantine/0/behaviours/0/types/1: expected one of ts_query, ts_reply, read, "
       "read_reply, write, write_ack; got 'reed' (did you mean 'read'?)"},
      {"omit_client_out_of_range.json", "omit of client 2 with 2 clients",
       "/byzantine/0/behaviours/0/clients/0: expected a client index below workload.clients = "
       "2, got 2"},
      {"crash_with_until.json", "a crash with an end",
       "/byzantine/0/behaviours/0/until_s: expected no until_s for crash (it is permanent: use "
       "silent for a window), got 10"},
      {"stale_k_with_oldest.json", "stale's k beside which = oldest",
       "/byzantine/0/behaviours/0/k: expected no k unless which is k-th-newest, got 2"},
      {"equivocate_coalition_without_forge.json", "equivocate's coalition with stale lies",
       "/byzantine/0/behaviours/0/coalition: expected no coalition unless lie is forge, got "
       "'liars'"},
      {"ts_inflate_negative_margin.json", "ts-inflate's margin is -1",
       "/byzantine/0/behaviours/0/margin: expected an integer from 0 to 2^64-1, got -1"},
      // Scheduled network faults (sim/model/fault_info.cc) and the channel check.
      {"loss_fault_reliable.json", "a loss fault under sbq-masking (reliable channels)",
       "/network/faults/0/kind: expected a fault that loses no message for sbq-masking (it "
       "needs reliable channels; allow_unsafe runs it anyway), got 'loss'"},
      {"partition_drop_reliable.json", "a partition in the default drop mode under sbq-masking",
       "/network/faults/0/mode: expected 'hold' for sbq-masking (it needs reliable channels; "
       "allow_unsafe runs it anyway), got nothing (drop by default)"},
      {"link_down_reliable.json", "a link-down under sbq-masking",
       "/network/faults/0/kind: expected a fault that loses no message for sbq-masking (it "
       "needs reliable channels; allow_unsafe runs it anyway), got 'link-down'"},
      {"fault_unknown_kind.json", "fault kind 'partion'",
       "/network/faults/0/kind: expected one of partition, link-down, loss, bursty-loss, "
       "delay, duplicate; got 'partion' (did you mean 'partition'?)"},
      {"partition_groups_overlap.json", "server 1 in two partition groups",
       "/network/faults/0/groups/1: expected groups that share no node, got server:1 in "
       "groups 0 and 1"},
      {"bursty_loss_missing_p_bad_good.json", "bursty-loss without p_bad_good",
       "/network/faults/0/p_bad_good: expected a number from 0 to 1 (bursty-loss requires "
       "p_bad_good), got nothing"},
      {"placement_without_platform.json", "a placement without a platform file",
       "/network/placement: expected no placement without network.platform_file (nodes have "
       "their own hosts), got a list"},
  };
  return kTable;
}

std::string path_of(const std::string& file) { return source_path("tests/bad_inputs/" + file); }

// Whether `line` is `expected`, reading "{list}" as a ", "-separated list holding `listed`.
bool line_matches(const std::string& line, const std::string& expected,
                  const std::vector<std::string>& listed) {
  const size_t hole = expected.find("{list}");
  if (hole == std::string::npos) return line == expected;
  const std::string head = expected.substr(0, hole), tail = expected.substr(hole + 6);
  if (line.size() < head.size() + tail.size() || !line.starts_with(head) ||
      !line.ends_with(tail)) {
    return false;
  }
  const std::string middle = line.substr(head.size(), line.size() - head.size() - tail.size());
  std::vector<std::string> items;
  for (size_t start = 0;;) {
    const size_t comma = middle.find(", ", start);
    items.push_back(middle.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return std::all_of(listed.begin(), listed.end(), [&](const std::string& name) {
    return std::find(items.begin(), items.end(), name) != items.end();
  });
}

// One way: a single JSON-patch operation, a rename (a key removed and re-added with the same
// value), or several operations inside one value below the top-level sections (one distribution
// replaced by another).
bool one_change(const json& base, const json& bad) {
  const json patch = json::diff(base, bad);
  if (patch.size() == 1) return true;
  if (patch.size() == 2 && patch[0]["op"] == "remove" && patch[1]["op"] == "add") {
    return bad.at(json::json_pointer(patch[1]["path"].get<std::string>())) ==
           base.at(json::json_pointer(patch[0]["path"].get<std::string>()));
  }
  std::string common = patch[0]["path"].get<std::string>();
  for (const json& op : patch) {
    const std::string p = op["path"].get<std::string>();
    while (!(p == common || p.starts_with(common + "/"))) {
      common = common.substr(0, common.rfind('/'));
    }
  }
  return std::count(common.begin(), common.end(), '/') >= 2;
}

}  // namespace

TEST_CASE("every bad input is refused with one line and exit status 2", "[bad_inputs]") {
  // Shows `validate` and `run` reject each file with its exact line and that run writes nothing.
  for (const BadInput& bad : bad_inputs()) {
    DYNAMIC_SECTION(bad.file << " (" << bad.change << ")") {
      const std::string path = path_of(bad.file);
      REQUIRE(fs::exists(path));
      const std::string validate_line = "error: " + path + ": " + bad.expected;
      const std::string run_line =
          "error: " + path + ": " + (bad.run_expected ? bad.run_expected : bad.expected);

      const auto validated = run_bqsim({"validate", path});
      CHECK(validated.exit_code == 2);
      CHECK(validated.out.empty());
      REQUIRE(validated.err.ends_with("\n"));
      const std::string vline = validated.err.substr(0, validated.err.size() - 1);
      CHECK(vline.find('\n') == std::string::npos);
      INFO("validate printed: " << vline);
      CHECK(line_matches(vline, validate_line, bad.listed));

      const auto out = bqsim::test::temp_dir("bad-input-run");
      fs::remove_all(out);
      const auto ran = run_bqsim({"run", path, "--out", out.string()});
      CHECK(ran.exit_code == 2);
      REQUIRE(ran.err.ends_with("\n"));
      const std::string rline = ran.err.substr(0, ran.err.size() - 1);
      CHECK(rline.find('\n') == std::string::npos);
      INFO("run printed: " << rline);
      CHECK(line_matches(rline, run_line, bad.listed));
      CHECK_FALSE(fs::exists(out / "manifest.json"));
      fs::remove_all(out);
    }
  }
}

TEST_CASE("the base of the bad inputs is valid and each bad input changes one thing",
          "[bad_inputs]") {
  // Shows each refusal is caused by its one change: the base passes validate and runs, and
  // every bad file that still parses as JSON is one change away from it.
  const std::string base_path = path_of("valid_base.json");
  const auto validated = run_bqsim({"validate", base_path});
  CHECK(validated.exit_code == 0);
  CHECK(validated.out == "ok\n");
  CHECK(validated.err.empty());

  const auto out = bqsim::test::temp_dir("bad-input-base");
  const auto ran = run_bqsim({"run", base_path, "--out", out.string(), "--quiet"});
  CHECK(ran.exit_code != 2);
  CHECK(fs::exists(out / "manifest.json"));
  fs::remove_all(out);

  const json base = json::parse(bqsim::test::read_text(base_path));
  for (const BadInput& bad : bad_inputs()) {
    const json doc = json::parse(bqsim::test::read_text(path_of(bad.file)), nullptr, false);
    if (doc.is_discarded()) continue;  // syntax error, empty file: not comparable as JSON
    INFO(bad.file);
    CHECK(one_change(base, doc));
  }
}

TEST_CASE("the table and tests/bad_inputs/ list the same files", "[bad_inputs]") {
  // Shows no bad input can be added without its expected line, nor a row lose its file.
  std::vector<std::string> on_disk, in_table;
  for (const auto& entry : fs::directory_iterator(source_path("tests/bad_inputs"))) {
    const std::string name = entry.path().filename().string();
    if (name != "valid_base.json") on_disk.push_back(name);
  }
  for (const BadInput& bad : bad_inputs()) in_table.push_back(bad.file);
  in_table.push_back("sweep_in_run.json");
  std::sort(on_disk.begin(), on_disk.end());
  std::sort(in_table.begin(), in_table.end());
  CHECK(on_disk == in_table);
  CHECK(bad_inputs().size() >= 15);
}

TEST_CASE("a sweep passes validate but not run", "[bad_inputs]") {
  // Shows the batch runner's sweep block is checked by validate and refused by run.
  const std::string path = path_of("sweep_in_run.json");
  const auto validated = run_bqsim({"validate", path});
  CHECK(validated.exit_code == 0);
  CHECK(validated.out == "ok\n");
  const auto out = bqsim::test::temp_dir("bad-input-sweep");
  fs::remove_all(out);
  const auto ran = run_bqsim({"run", path, "--out", out.string()});
  CHECK(ran.exit_code == 2);
  CHECK(ran.err == "error: " + path +
                       ": /sweep: expected no sweep block (expand it with scripts/bqsim-batch), "
                       "got one\n");
  CHECK_FALSE(fs::exists(out / "manifest.json"));
}

TEST_CASE("bad command-line input is refused like a bad file", "[bad_inputs]") {
  // Shows a missing file, a malformed --set and a bad --set value, each as one line, exit 2.
  const std::string base_path = path_of("valid_base.json");
  const std::string missing = source_path("tests/bad_inputs/no_such_file.json");
  const auto a = run_bqsim({"validate", missing});
  CHECK(a.exit_code == 2);
  CHECK(a.err == "error: " + missing + ": expected a readable file, got no such file or "
                                       "directory\n");
  const auto b = run_bqsim({"validate", base_path, "--set", "protocol"});
  CHECK(b.exit_code == 2);
  CHECK(b.err == "error: --set: /protocol: expected PATH=VALUE such as protocol.f=2, got "
                 "'protocol'\n");
  const auto out = bqsim::test::temp_dir("bad-input-set");
  fs::remove_all(out);
  const auto c = run_bqsim({"run", base_path, "--out", out.string(), "--set", "protocol.f=2"});
  CHECK(c.exit_code == 2);
  CHECK(c.err == "error: " + base_path +
                     ": /protocol/n: expected n >= 3f+1 = 7 for sbq-masking with f=2, got 4\n");
  const auto d = run_bqsim({"run", base_path, "--out", out.string(), "--set", "protocol.n=x"});
  CHECK(d.exit_code == 2);
  CHECK(d.err == "error: --set: /protocol/n: expected an integer from 1 to 100000, got 'x'\n");
  CHECK_FALSE(fs::exists(out / "manifest.json"));
}

TEST_CASE("a buffer pool smaller than n is refused through the binary", "[bad_inputs]") {
  // Shows protocol.buffers below n (u-dissemination on the base's n = 4) is one line, exit 2,
  // no manifest. Given with --set: as a file it would differ from valid_base.json in two ways
  // (the protocol's name and the buffers), which the one-change rule above does not allow.
  const std::string base_path = path_of("valid_base.json");
  const auto out = bqsim::test::temp_dir("bad-input-buffers");
  fs::remove_all(out);
  for (const char* command : {"validate", "run"}) {
    CAPTURE(command);
    std::vector<std::string> args = {command, base_path, "--set", "protocol.name=u-dissemination",
                                     "--set", "protocol.buffers=2"};
    if (std::string(command) == "run") args.insert(args.end(), {"--out", out.string()});
    const auto r = run_bqsim(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: --set: /protocol/buffers: expected 0 or at least n = 4, got 2\n");
  }
  CHECK_FALSE(fs::exists(out / "manifest.json"));
  const auto ok = run_bqsim({"validate", base_path, "--set", "protocol.name=u-dissemination",
                             "--set", "protocol.buffers=4"});
  CHECK(ok.exit_code == 0);
}

TEST_CASE("f+1-th timestamps are refused on self-verifying data", "[bad_inputs]") {
  // Shows ts_choice "f+1-th" with a dissemination protocol is one line, exit 2: dissemination
  // quorums guarantee one correct holder of the latest counter, not f+1 (PROTOCOLS.md §4).
  const std::string base_path = path_of("valid_base.json");
  for (const char* protocol : {"sbq-dissemination", "mr-dissemination", "u-dissemination"}) {
    CAPTURE(protocol);
    const auto r = run_bqsim({"validate", base_path, "--set",
                              std::string("protocol.name=") + protocol, "--set",
                              "protocol.ts_choice=f+1-th"});
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "error: --set: /protocol/ts_choice: expected 'max' for self-verifying data (f+1-th "
          "needs masking quorums; signed timestamps already defeat inflation), got 'f+1-th'\n");
  }
  const auto ok = run_bqsim({"validate", base_path, "--set", "protocol.ts_choice=f+1-th"});
  CHECK(ok.exit_code == 0);
}

TEST_CASE("the bandwidth model is refused on bounded networks", "[bad_inputs]") {
  // Shows model "bandwidth" on a sync network is one line, exit 2: the bound covers sampled
  // delays, and transfer time would exceed it.
  const std::string base_path = path_of("valid_base.json");
  const auto r = run_bqsim({"validate", base_path, "--set", "network.synchrony=sync", "--set",
                            "network.bound_s=0.01", "--set", "network.model=bandwidth"});
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "error: --set: /network/model: expected latency on a sync network (bandwidth adds "
        "transfer time beyond bound_s), got 'bandwidth'\n");
}
