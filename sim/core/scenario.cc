// The Scenario of scenario.h and how one JSON document becomes one: the walk over every
// section with its type, range and cross-field checks (scenarios/schema.json documents them).
// The byzantine section is read in scenario_byzantine.cc; overrides, sweeps, the hash and
// reading files are in scenario_reader.cc.
#include "sim/core/scenario.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sim/core/quorum.h"
#include "sim/core/scenario_internal.h"
#include "sim/core/scenario_reader.h"

namespace bqsim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using scenario_detail::names_of;

// Limits on everything (STYLE.md), each far above any run a workstation completes, so that a
// typo such as an extra zero is reported instead of exhausting memory.
constexpr int kMaxF = 10000;
constexpr int kMaxServers = 100000;
constexpr int kMaxClients = 1000000;
constexpr double kMaxOpsPerClient = 1e9;
constexpr double kMaxRegisters = 1e6;
constexpr double kMaxConcurrency = 1e4;
constexpr double kMaxValueBytes = 1 << 30;
constexpr size_t kMaxNameLength = 100;

const std::vector<std::string> kTopKeys = {
    "name",      "description",  "seed",           "protocol", "workload", "network",
    "byzantine", "allow_unsafe", "timestamp_bits", "limits",   "sweep"};

// Programmer errors are assertions that are always on (STYLE.md), never InputErrors.
void internal_check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bqsim: internal error in the scenario reader: %s\n", what);
    std::abort();
  }
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxNameLength || s[0] == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// Walks one document into a Scenario. One instance per document (sweep runs make several).
class Reader {
 public:
  Reader(const Catalog& catalog, const std::string& file)
      : catalog_(catalog), file_(file), base_dir_(fs::path(file).parent_path()) {}

  Scenario read(const json& doc) {
    const JsonValue root(doc, "", file_);
    if (!doc.is_object()) root.fail("a JSON object");
    JsonObject top(root);
    top.allow(kTopKeys);
    if (auto v = top.get("name")) {
      s_.name = v->string();
      if (!valid_name(s_.name)) {
        v->fail("a name of letters, digits, '.', '_' and '-' (it names the output directory)");
      }
    } else {
      s_.name = fs::path(file_).stem().string();
      if (!valid_name(s_.name)) s_.name = "scenario";
    }
    if (auto v = top.get("description")) v->string();
    if (auto v = top.get("seed")) s_.seed = v->unsigned64();
    if (auto v = top.get("allow_unsafe")) s_.allow_unsafe = v->boolean();
    if (auto v = top.get("timestamp_bits")) {
      s_.timestamp_bits = static_cast<uint32_t>(v->integer(Range::closed(2, 64)));
    }
    read_protocol(section(top, "protocol"));
    read_workload(section(top, "workload"));
    read_network(section(top, "network"));
    if (auto v = top.get("byzantine")) {
      scenario_detail::read_byzantine(*v, catalog_, file_, family_, s_);
    }
    read_limits(section(top, "limits"));
    // read_scenario_text takes a sweep block out before the walk; here it would be ignored.
    top.forbid("sweep", "no sweep block (expand it with scripts/bqsim-batch)");
    check_timeout();
    top.finish();
    return std::move(s_);
  }

 private:
  // An absent section reads as an empty object, so its defaults apply and its checks still run.
  JsonObject section(JsonObject& parent, const std::string& key) {
    static const json kEmpty = json::object();
    if (auto v = parent.get(key)) return JsonObject(*v);
    return JsonObject(JsonValue(kEmpty, pointer_append(parent.pointer(), key), file_));
  }

  [[noreturn]] void fail(const std::string& pointer, const std::string& expected,
                         const std::string& got) const {
    throw InputError(file_, pointer, expected, got);
  }

  void read_protocol(JsonObject p) {
    ProtocolSpec& spec = s_.protocol;
    const auto names = names_of(*catalog_.protocols);
    if (auto v = p.get("name")) spec.name = names[v->choice(names)];
    protocol_ = catalog_.find_protocol(spec.name);
    if (protocol_ == nullptr) fail("/protocol/name", one_of(names), "nothing");
    std::vector<std::string> allowed = {"name", "f", "n"};
    allowed.insert(allowed.end(), protocol_->option_keys.begin(), protocol_->option_keys.end());
    p.allow(allowed, "one of name, f, n" +
                         (protocol_->option_keys.empty()
                              ? " (" + spec.name + " takes no options)"
                              : " or an option of " + spec.name + " (" +
                                    join(protocol_->option_keys) + ")"));
    if (auto v = p.get("f")) spec.f = static_cast<int>(v->integer(Range::closed(0, kMaxF)));
    for (const std::string& key : protocol_->option_keys) {
      const OptionSpec* option = find_option(key);
      internal_check(option != nullptr, "a protocol lists an option that option_specs() lacks");
      if (auto v = p.get(key)) {
        // Options land in int or uint32 fields.
        apply_option(spec.options, key, read_declared(*option, *v, 2147483647.0));
        if (key == "timeout_s") timeout_given_ = spec.options.timeout_s > 0;
        if (key == "t" && spec.options.t > spec.f) {
          v->fail("an integer <= f = " + std::to_string(spec.f));
        }
      }
    }
    // After the loop: the two keys may come in either order in option_keys.
    if (spec.options.retransmit_cap_s < spec.options.retransmit_initial_s) {
      if (auto cap = p.get("retransmit_cap_s")) {
        cap->fail("a number >= retransmit_initial_s = " +
                  format_number(spec.options.retransmit_initial_s));
      }
      p.get("retransmit_initial_s")
          .value()  // one of the two was given: the defaults are in order
          .fail("a number <= retransmit_cap_s = " + format_number(spec.options.retransmit_cap_s));
    }
    internal_check(static_cast<bool>(protocol_->family), "a protocol without a family");
    family_ = protocol_->family(spec.options);
    // "f+1-th" is safe only where f+1 correct repliers hold the latest counter, i.e. with
    // masking quorums (§4). Dissemination intersections guarantee one correct holder, so the
    // (f+1)-th counter can lag the latest write and a new write would not supersede it.
    // Self-verifying data defeats inflation by verifying timestamps instead (§6).
    if (spec.options.ts_choice == TsChoice::f1th && data_kind(family_) == DataKind::self_verifying) {
      p.get("ts_choice").value().fail(
          "'max' for self-verifying data (f+1-th needs masking quorums; signed timestamps "
          "already defeat inflation)");
    }
    const int n_min = min_servers(family_, spec.f, spec.options.t);
    if (auto v = p.get("n")) {
      spec.n = static_cast<int>(v->integer(Range::closed(1, kMaxServers)));
      if (spec.n < n_min) {
        if (!s_.allow_unsafe) {
          const bool sync = family_ == QuorumFamily::sync_generic ||
                            family_ == QuorumFamily::sync_self_verifying;
          v->fail(fault_rule(family_) + " = " + std::to_string(n_min) + " for " + spec.name +
                  " with f=" + std::to_string(spec.f) +
                  (sync ? " and t=" + std::to_string(spec.options.t) : ""));
        }
        s_.unsafe = true;
      }
    } else {
      spec.n = n_min;
    }
    // §5 finite buffers: an operation locks n buffers at once (step FIRST), so a pool smaller
    // than n could never start one. 0 means unlimited.
    if (spec.options.buffers != 0 && spec.options.buffers < spec.n) {
      if (auto v = p.get("buffers")) {
        v->fail("0 or at least n = " + std::to_string(spec.n));
      }
    }
    p.finish();
  }

  void read_workload(JsonObject w) {
    WorkloadSpec& spec = s_.workload;
    w.allow({"clients", "ops_per_client", "duration_s", "read_fraction", "think_time",
             "value_bytes", "registers", "concurrency"});
    if (auto v = w.get("clients")) {
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

  void read_network(JsonObject net) {
    NetworkSpec& spec = s_.network;
    net.allow({"model", "delay", "loss_probability", "links", "synchrony", "bound_s", "gst_s",
               "bandwidth_Bps", "link_latency_s", "platform_file"});
    static const std::vector<std::string> kModels = {"latency", "bandwidth"};
    static const std::vector<std::string> kSynchrony = {"async", "sync", "partial"};
    if (auto v = net.get("model")) spec.model = static_cast<NetModel>(v->choice(kModels));
    const auto synchrony = net.get("synchrony");
    if (synchrony) spec.synchrony = static_cast<Synchrony>(synchrony->choice(kSynchrony));
    const std::string& sync_name = kSynchrony[static_cast<size_t>(spec.synchrony)];
    // A bound holds for the sampled delays only: the bandwidth model adds transfer time on top
    // of them, which no bound covers.
    if (spec.model == NetModel::bandwidth && spec.synchrony != Synchrony::async) {
      fail("/network/model",
           "latency on a " + sync_name + " network (bandwidth adds transfer time beyond bound_s)",
           quote("bandwidth"));
    }
    if (protocol_->requires_sync && spec.synchrony != Synchrony::sync) {
      fail("/network/synchrony",
           "sync (" + s_.protocol.name + " requires a synchronous network)", quote(sync_name));
    }
    if (spec.synchrony == Synchrony::async) {
      net.forbid("bound_s", "no bound_s on an async network (it has no bound)");
    } else {
      spec.bound_s = net.require("bound_s", "a number > 0 (required when network.synchrony is " +
                                                sync_name + ")")
                         .number(Range::above(0));
    }
    if (spec.synchrony == Synchrony::partial) {
      if (auto v = net.get("gst_s")) spec.gst_s = v->number(Range::at_least(0));
    } else {
      net.forbid("gst_s", "no gst_s unless network.synchrony is partial");
    }
    if (auto v = net.get("delay")) {
      spec.delay = read_distribution(*v);
      check_bounded(spec.delay, v->pointer());
    } else {
      check_bounded(spec.delay, "/network/delay");
    }
    if (auto v = net.get("loss_probability")) {
      spec.loss_probability = read_loss(*v);
    }
    if (auto v = net.get("links")) {
      for (const JsonValue& link : v->list("a list of link overrides")) read_link(link);
    }
    if (spec.model == NetModel::bandwidth) {
      if (auto v = net.get("bandwidth_Bps")) spec.bandwidth_Bps = v->number(Range::above(0));
      if (auto v = net.get("link_latency_s")) spec.link_latency_s = v->number(Range::at_least(0));
      if (auto v = net.get("platform_file")) spec.platform_file = read_platform_file(*v);
    } else {
      for (const char* key : {"bandwidth_Bps", "link_latency_s", "platform_file"}) {
        net.forbid(key, "no " + std::string(key) + " unless network.model is bandwidth");
      }
    }
    net.finish();
  }

  double read_loss(const JsonValue& v) const {
    const double p = v.number(Range::half_open(0, 1));
    if (p > 0 && s_.network.synchrony == Synchrony::sync) {
      v.fail("0 on a sync network (synchrony promises delivery within bound_s)");
    }
    return p;
  }

  // A sync network promises delivery within bound_s, so every delay it can draw must be
  // below it; partial synchrony only promises it after GST, which the engine enforces.
  void check_bounded(const Distribution& d, const std::string& pointer) const {
    if (s_.network.synchrony != Synchrony::sync) return;
    const double ub = d.upper_bound();
    if (ub <= s_.network.bound_s) return;
    fail(pointer,
         "a distribution bounded by network.bound_s = " + format_number(s_.network.bound_s) +
             " (sync)",
         d.describe() + (std::isinf(ub) ? ", which is unbounded" : ", which reaches " +
                                                                       format_number(ub)));
  }

  void read_link(const JsonValue& value) {
    JsonObject l(value);
    l.allow({"from", "to", "delay", "loss_probability"});
    LinkOverride link;
    link.from = read_selector(l.require("from", kSelectorExpected));
    link.to = read_selector(l.require("to", kSelectorExpected));
    if (auto v = l.get("delay")) {
      link.delay = read_distribution(*v);
      check_bounded(*link.delay, v->pointer());
    }
    if (auto v = l.get("loss_probability")) link.loss_probability = read_loss(*v);
    if (!link.delay && !link.loss_probability) {
      value.fail("a link override with a delay or a loss_probability", "neither");
    }
    l.finish();
    s_.network.links.push_back(std::move(link));
  }

  static constexpr const char* kSelectorExpected =
      "a node selector (*, server:*, client:*, server:I or client:I)";

  NodeSelector read_selector(const JsonValue& v) const {
    const auto selector = parse_node_selector(v.string());
    if (!selector) v.fail(kSelectorExpected);
    if (selector->role == NodeSelector::Role::server && selector->index >= s_.protocol.n) {
      v.fail("a server index below n = " + std::to_string(s_.protocol.n));
    }
    if (selector->role == NodeSelector::Role::client &&
        selector->index >= static_cast<int64_t>(s_.workload.clients)) {
      v.fail("a client index below workload.clients = " + std::to_string(s_.workload.clients));
    }
    return *selector;
  }

  std::string read_platform_file(const JsonValue& v) const {
    const fs::path given = v.string();
    const fs::path path = given.is_absolute() ? given : base_dir_ / given;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      v.fail("an existing SimGrid platform file (relative paths start at the scenario's "
             "directory)");
    }
    return path.string();
  }

  void read_limits(JsonObject l) {
    l.allow({"max_sim_time_s", "max_messages"});
    if (auto v = l.get("max_sim_time_s")) s_.limits.max_sim_time_s = v->number(Range::above(0));
    if (auto v = l.get("max_messages")) {
      s_.limits.max_messages = v->unsigned64();
      if (s_.limits.max_messages == 0) v->fail("an integer >= 1");
    }
    l.finish();
  }

  // T must cover a round trip on a synchronous network (PROTOCOLS.md §1: T >= 2 Delta).
  void check_timeout() {
    ProtocolOptions& o = s_.protocol.options;
    const double bound = s_.network.bound_s;
    if (timeout_given_ && std::isfinite(bound) && o.timeout_s < 2 * bound) {
      fail("/protocol/timeout_s", "a number >= 2 * network.bound_s = " + format_number(2 * bound),
           format_number(o.timeout_s));
    }
    if (!timeout_given_ && protocol_->requires_sync) o.timeout_s = 2 * bound;
  }

  const Catalog& catalog_;
  const std::string& file_;
  fs::path base_dir_;
  Scenario s_;
  const ProtocolDescription* protocol_ = nullptr;
  QuorumFamily family_ = QuorumFamily::sbq_masking;
  bool timeout_given_ = false;
};

}  // namespace

bool NodeSelector::matches(NodeId node, int n) const {
  const bool is_server = static_cast<int64_t>(node) < n;
  switch (role) {
    case Role::any: return true;
    case Role::server: return is_server && (index < 0 || static_cast<int64_t>(node) == index);
    case Role::client:
      return !is_server && (index < 0 || static_cast<int64_t>(node) - n == index);
  }
  return false;
}

Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file_label,
                            const Catalog& catalog) {
  return Reader(catalog, file_label).read(doc);
}

}  // namespace bqsim
