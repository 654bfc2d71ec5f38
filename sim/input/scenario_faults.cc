// network.faults (each kind declared once in sim/model/fault_info.cc, checked here against
// its declaration) and the channel check: a protocol that needs reliable channels refuses a
// network that can lose messages unless allow_unsafe marks the run unsafe.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/input/scenario_internal.h"
#include "sim/input/value_readers.h"

namespace bqsim {

bool FaultSpec::can_lose() const {
  switch (kind) {
    // A hold partition delivers when it heals: reliable, unless it never heals.
    case FaultKind::partition: return !hold || std::isinf(until_s);
    case FaultKind::link_down: return true;
    case FaultKind::loss: return probability > 0;
    case FaultKind::bursty_loss: return loss_good > 0 || (loss_bad > 0 && p_good_bad > 0);
    case FaultKind::delay:
    case FaultKind::duplicate: return false;
  }
  return true;
}

namespace scenario_detail {
namespace {


// The nodes of a run: servers 0..n-1, then the clients.
int64_t node_count(const Walk& w) {
  return static_cast<int64_t>(w.s.protocol.n) + static_cast<int64_t>(w.s.workload.clients);
}

// A partition's groups, which must share no node (a node in two groups would be cut from
// itself): the nodes in no group form one more group, left implicit.
std::vector<std::vector<NodeSelector>> read_groups(const Walk& w, const JsonValue& value) {
  std::vector<std::vector<NodeSelector>> groups;
  std::vector<int> group_of(static_cast<size_t>(node_count(w)), -1);
  for (const JsonValue& g : value.list(kGroupsExpected)) {
    std::vector<NodeSelector> group;
    for (const JsonValue& p : g.list(kGroupsExpected)) group.push_back(read_selector(w, p));
    if (group.empty()) g.fail(kGroupsExpected, "an empty group");
    const int index = static_cast<int>(groups.size());
    for (size_t node = 0; node < group_of.size(); ++node) {
      bool member = false;
      for (const NodeSelector& s : group) member = member || s.matches(node, w.s.protocol.n);
      if (!member) continue;
      if (group_of[node] >= 0 && group_of[node] != index) {
        const int64_t n = w.s.protocol.n, id = static_cast<int64_t>(node);
        const std::string name = id < n ? "server:" + std::to_string(id)
                                        : "client:" + std::to_string(id - n);
        g.fail("groups that share no node",
               name + " in groups " + std::to_string(group_of[node]) + " and " +
                   std::to_string(index));
      }
      group_of[node] = index;
    }
    groups.push_back(std::move(group));
  }
  if (groups.empty()) value.fail(kGroupsExpected, "an empty list");
  return groups;
}

FaultSpec read_fault(const Walk& w, const JsonValue& value) {
  JsonObject f(value);
  std::vector<std::string> names;
  for (const FaultInfo& info : fault_kinds()) names.push_back(info.name);
  const JsonValue kind = f.require("kind", one_of(names));
  const FaultInfo& info = fault_kinds()[kind.choice(names)];
  FaultSpec spec;
  spec.kind = info.kind;
  std::vector<std::string> allowed = {"kind", "from_s", "until_s"}, params;
  for (const OptionSpec& p : info.params) params.push_back(p.key);
  allowed.insert(allowed.end(), params.begin(), params.end());
  f.allow(allowed, "one of kind, from_s, until_s or a parameter of " + info.name + " (" +
                       join(params) + ")");
  if (auto v = f.get("from_s")) spec.from_s = v->number(Range::at_least(0));
  if (auto v = f.get("until_s")) {
    spec.until_s = v->number();
    if (!(spec.until_s > spec.from_s)) v->fail("a number > from_s = " + format_number(spec.from_s));
  }
  for (const OptionSpec& p : info.params) {
    const auto v = f.get(p.key);
    if (!v) {
      if (p.default_text == "required") {
        w.fail(pointer_append(f.pointer(), p.key),
               expected_words(p) + " (" + info.name + " requires " + p.key + ")", "nothing");
      }
      continue;
    }
    if (p.type == ValueType::node_pattern) {
      (p.key == "from" ? spec.from : spec.to) = read_selector(w, *v);
    } else if (p.type == ValueType::node_pattern_groups) {
      spec.groups = read_groups(w, *v);
    } else if (p.type == ValueType::distribution) {
      spec.delay = read_distribution(*v);
    } else {
      const nlohmann::json x = read_declared(p, *v);
      if (p.key == "mode") spec.hold = x.get<std::string>() == "hold";
      if (p.key == "probability") spec.probability = x.get<double>();
      if (p.key == "p_good_bad") spec.p_good_bad = x.get<double>();
      if (p.key == "p_bad_good") spec.p_bad_good = x.get<double>();
      if (p.key == "loss_good") spec.loss_good = x.get<double>();
      if (p.key == "loss_bad") spec.loss_bad = x.get<double>();
    }
  }
  f.finish();
  return spec;
}

}  // namespace

void read_faults(Walk& w, const JsonValue& value) {
  for (const JsonValue& item : value.list("a list of faults")) {
    w.s.network.faults.push_back(read_fault(w, item));
  }
}

void check_channels(Walk& w, const std::optional<JsonValue>& faults) {
  if (tolerates_loss(*w.protocol)) return;
  const NetworkSpec& net = w.s.network;
  // Worded without commas: a comma in `expected` reads as a list (json_reader.h).
  const std::string needs = " for " + w.s.protocol.name +
                            " (it needs reliable channels; allow_unsafe runs it anyway)";
  std::string pointer, expected, got;
  if (net.loss_probability > 0) {
    pointer = "/network/loss_probability";
    expected = "0" + needs;
    got = format_number(net.loss_probability);
  }
  for (size_t i = 0; pointer.empty() && i < net.links.size(); ++i) {
    const auto& p = net.links[i].loss_probability;
    if (!p || *p == 0) continue;
    pointer = "/network/links/" + std::to_string(i) + "/loss_probability";
    expected = "0" + needs;
    got = format_number(*p);
  }
  for (size_t i = 0; pointer.empty() && i < net.faults.size(); ++i) {
    const FaultSpec& f = net.faults[i];
    if (!f.can_lose()) continue;
    const std::string at = "/network/faults/" + std::to_string(i);
    if (f.kind == FaultKind::partition && f.hold) {
      pointer = at + "/until_s";
      expected = "a heal time for a hold partition" + needs;
      got = "nothing (it never heals)";
    } else if (f.kind == FaultKind::partition) {
      pointer = at + "/mode";
      expected = "'hold'" + needs;
      const bool given = faults && faults->json().at(i).contains("mode");
      got = given ? "'drop'" : "nothing (drop by default)";
    } else {
      pointer = at + "/kind";
      expected = "a fault that loses no message" + needs;
      got = quote(fault_info(f.kind).name);
    }
  }
  if (pointer.empty()) return;
  if (!w.s.allow_unsafe) w.fail(pointer, expected, got);
  w.s.unsafe = true;
}

}  // namespace scenario_detail
}  // namespace bqsim
