// How one JSON document becomes a Scenario: the walk over the sections, with the workload and
// limits sections and the checks that span sections. The protocol, network and byzantine
// sections have a file each (scenario_<section>.cc); overrides, sweeps, the hash and reading
// files are in scenario_reader.cc.
#include "sim/input/scenario_walk.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sim/model/quorum.h"
#include "sim/input/scenario_internal.h"
#include "sim/input/scenario_limits.h"
#include "sim/input/value_readers.h"

namespace bqsim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace scenario_detail;

using namespace scenario_limits;

const std::vector<std::string> kTopKeys = {
    "name",      "description",  "seed",           "protocol", "workload", "network",
    "byzantine", "allow_unsafe", "timestamp_bits", "limits",   "sweep",
    "engine"};

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxNameLength || s[0] == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// An absent section reads as an empty object, so its defaults apply and its checks still run.
JsonObject section(JsonObject& parent, const std::string& key, const std::string& file) {
  static const json kEmpty = json::object();
  if (auto v = parent.get(key)) return JsonObject(*v);
  return JsonObject(JsonValue(kEmpty, pointer_append(parent.pointer(), key), file));
}

// workload.script: one list of operation kinds per client, instead of clients,
// ops_per_client, duration_s and read_fraction (which it fixes).

void read_script(JsonObject& w, WorkloadSpec& spec) {
  const auto v = w.get("script");
  if (!v) return;
  for (const char* key : {"ops_per_client", "duration_s", "read_fraction"}) {
    w.forbid(key, std::string("no ") + key + " alongside script (it lists every operation)");
  }
  const auto clients = v->list("a non-empty list of per-client lists of \"read\"/\"write\"");
  if (clients.empty() || clients.size() > kMaxScriptClients) {
    v->fail("a list of 1 to " + std::to_string(kMaxScriptClients) + " per-client lists");
  }
  for (const JsonValue& c : clients) {
    const auto ops = c.list("a non-empty list of \"read\"/\"write\"");
    if (ops.empty() || ops.size() > kMaxScriptOps) {
      c.fail("a list of 1 to " + std::to_string(kMaxScriptOps) + " \"read\"/\"write\"");
    }
    std::vector<OpKind> kinds;
    for (const JsonValue& op : ops) {
      kinds.push_back(op.choice({"read", "write"}) == 0 ? OpKind::read : OpKind::write);
    }
    spec.script.push_back(std::move(kinds));
  }
  if (auto c = w.get("clients")) {
    if (c->integer(Range::closed(1, kMaxClients)) != static_cast<int64_t>(clients.size())) {
      c->fail("the number of lists in script (" + std::to_string(clients.size()) + ")");
    }
  }
  spec.clients = static_cast<uint32_t>(clients.size());
  size_t longest = 0;
  for (const auto& kinds : spec.script) longest = std::max(longest, kinds.size());
  spec.ops_per_client = static_cast<uint32_t>(longest);
}

void read_workload(JsonObject w, Walk& walk) {
  WorkloadSpec& spec = walk.s.workload;
  w.allow({"clients", "ops_per_client", "duration_s", "read_fraction", "think_time",
           "value_bytes", "registers", "concurrency", "script"});
  read_script(w, spec);
  if (auto v = w.get("clients"); v && spec.script.empty()) {
    spec.clients = static_cast<uint32_t>(v->integer(Range::closed(1, kMaxClients)));
  }
  const auto ops = w.get("ops_per_client");
  if (ops) {
    spec.ops_per_client =
        static_cast<uint32_t>(ops->integer(Range::closed(1, kMaxOpsPerClient)));
  }
  if (auto v = w.get("duration_s")) {
    if (ops) v->fail("no duration_s alongside ops_per_client (give one of the two)");
    spec.duration_s = v->number(Range::above(0));
    spec.ops_per_client = 0;
  }
  if (auto v = w.get("read_fraction")) spec.read_fraction = v->number(Range::closed(0, 1));
  if (auto v = w.get("think_time")) spec.think_time = read_distribution(*v);
  if (auto v = w.get("value_bytes")) {
    spec.value_bytes = static_cast<uint32_t>(v->integer(Range::closed(0, kMaxValueBytes)));
  }
  if (auto v = w.get("registers")) {
    spec.registers = static_cast<uint32_t>(v->integer(Range::closed(1, kMaxRegisters)));
  }
  if (auto v = w.get("concurrency")) {
    spec.concurrency = static_cast<uint32_t>(v->integer(Range::closed(1, kMaxConcurrency)));
  }
  w.finish();
}

void read_limits(JsonObject l, Walk& w) {
  l.allow({"max_sim_time_s", "max_messages"});
  if (auto v = l.get("max_sim_time_s")) w.s.limits.max_sim_time_s = v->number(Range::above(0));
  if (auto v = l.get("max_messages")) {
    w.s.limits.max_messages = v->unsigned64();
    if (w.s.limits.max_messages == 0) v->fail("an integer >= 1");
  }
  l.finish();
}

// T must cover a round trip on a synchronous network (PROTOCOLS.md §1: T >= 2 Delta).
void check_timeout(Walk& w) {
  ProtocolOptions& o = w.s.protocol.options;
  const double bound = w.s.network.bound_s;
  if (w.timeout_given && std::isfinite(bound) && o.timeout_s < 2 * bound) {
    w.fail("/protocol/timeout_s", "a number >= 2 * network.bound_s = " + format_number(2 * bound),
         format_number(o.timeout_s));
  }
  if (!w.timeout_given && family_traits(w.family).synchrony == SynchronyNeed::sync) {
    o.timeout_s = 2 * bound;
  }
}

// The native engine runs the latency model only: flows over shared bandwidth and SimGrid
// platforms are SimGrid's.
void check_engine(const Walk& w) {
  if (w.s.engine != EngineKind::native) return;
  if (w.s.network.model == NetModel::bandwidth) {
    w.fail("/network/model",
           "\"latency\" with engine \"native\" (the bandwidth model is SimGrid's: use engine "
           "\"simgrid\")",
           "\"bandwidth\"");
  }
  if (!w.s.network.platform_file.empty()) {
    w.fail("/network/platform_file",
           "no platform file with engine \"native\" (platform files are SimGrid's: use engine "
           "\"simgrid\")",
           "'" + w.s.network.platform_file + "'");
  }
}

Scenario walk(const json& doc, Walk& w) {
  const JsonValue root(doc, "", w.file);
  if (!doc.is_object()) root.fail("a JSON object");
  JsonObject top(root);
  top.allow(kTopKeys);
  if (auto v = top.get("name")) {
    w.s.name = v->string();
    if (!valid_name(w.s.name)) {
      v->fail("a name of letters, digits, '.', '_' and '-' (it names the output directory)");
    }
  } else {
    w.s.name = fs::path(w.file).stem().string();
    if (!valid_name(w.s.name)) w.s.name = "scenario";
  }
  if (auto v = top.get("description")) v->string();
  if (auto v = top.get("seed")) w.s.seed = v->unsigned64();
  if (auto v = top.get("allow_unsafe")) w.s.allow_unsafe = v->boolean();
  if (auto v = top.get("timestamp_bits")) {
    w.s.timestamp_bits = static_cast<uint32_t>(
        v->integer(Range::closed(kMinTimestampBits, kMaxTimestampBits)));
  }
  if (auto v = top.get("engine")) {
    w.s.engine = static_cast<EngineKind>(v->choice({"simgrid", "native"}));
  }
  read_protocol(section(top, "protocol", w.file), w);
  read_workload(section(top, "workload", w.file), w);
  read_network(section(top, "network", w.file), w);
  check_engine(w);
  if (auto v = top.get("byzantine")) {
    read_byzantine(*v, w);
  }
  read_limits(section(top, "limits", w.file), w);
  // read_scenario_text takes a sweep block out before the walk; here it would be ignored.
  top.forbid("sweep", "no sweep block (expand it with scripts/bqsim-batch)");
  check_timeout(w);
  top.finish();
  return std::move(w.s);
}

}  // namespace

bool NodeSelector::matches(NodeId node, int n) const {
  const bool is_server = static_cast<int64_t>(node) < n;
  const int64_t i = is_server ? static_cast<int64_t>(node) : static_cast<int64_t>(node) - n;
  const bool in_range = index < 0 || (i >= index && i <= last);
  switch (role) {
    case Role::any: return true;
    case Role::server: return is_server && in_range;
    case Role::client: return !is_server && in_range;
  }
  return false;
}

Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file_label,
                            const Catalog& catalog) {
  Walk w(catalog, file_label);
  return walk(doc, w);
}

}  // namespace bqsim
