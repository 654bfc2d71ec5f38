// The network's part of a run's outputs (output.h): events.csv (the fault windows a timeline
// shades), placement.csv and latencies.csv (platform runs), and summary.json's "network"
// section (what each fault did, partial synchrony's figures).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "sim/input/value_readers.h"
#include "sim/run/output.h"

namespace bqsim {
namespace {

// As output.cc writes numbers: 12 significant digits, "" for an open end.
std::string num(double x) {
  if (std::isnan(x) || std::isinf(x)) return "";
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
  return std::string(buf, r.ptr);
}

// A detail in words without commas, so a plain split reads events.csv: a distribution's
// "uniform(min_s=0.02, max_s=0.3)" becomes "uniform(min_s=0.02 max_s=0.3)".
std::string no_commas(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != ',') {
      out += s[i];
    } else if (i + 1 >= s.size() || s[i + 1] != ' ') {
      out += ' ';
    }
  }
  return out;
}

// One CSV field: quoted only when it must be (details are written without commas).
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string node_name(NodeId id, int n) {
  return static_cast<int>(id) < n ? "server:" + std::to_string(id)
                                  : "client:" + std::to_string(static_cast<int>(id) - n);
}

std::string patterns(const std::vector<NodeSelector>& group) {
  std::string s;
  for (const auto& p : group) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `" " + std::string`.
    if (!s.empty()) s += ' ';
    s += to_string(p);
  }
  return s;
}

// Whether some node of the run is in none of a partition's groups (they form one more).
bool has_rest(const FaultSpec& f, const Scenario& sc) {
  const int n = sc.protocol.n;
  const size_t nodes = static_cast<size_t>(n) + sc.workload.clients;
  for (size_t node = 0; node < nodes; ++node) {
    bool member = false;
    for (const auto& g : f.groups) {
      for (const auto& p : g) member = member || p.matches(static_cast<NodeId>(node), n);
    }
    if (!member) return true;
  }
  return false;
}

// What a fault does, in words without commas (a timeline's label).
std::string fault_detail(const FaultSpec& f, const Scenario& sc) {
  const auto link = to_string(f.from) + " -> " + to_string(f.to);
  switch (f.kind) {
    case FaultKind::partition: {
      std::string s = "groups ";
      for (size_t i = 0; i < f.groups.size(); ++i) s += (i ? " | " : "") + patterns(f.groups[i]);
      return s + (has_rest(f, sc) ? " | the rest" : "") + "; mode " + (f.hold ? "hold" : "drop");
    }
    case FaultKind::link_down: return link;
    case FaultKind::loss: return link + "; probability " + num(f.probability);
    case FaultKind::bursty_loss:
      return link + "; p_good_bad " + num(f.p_good_bad) + " p_bad_good " + num(f.p_bad_good) +
             " loss_good " + num(f.loss_good) + " loss_bad " + num(f.loss_bad);
    case FaultKind::delay: return link + "; extra delay " + f.delay.describe();
    case FaultKind::duplicate: return link + "; probability " + num(f.probability);
  }
  return "";
}

nlohmann::json counts_json(const FaultCounts& c) {
  nlohmann::json j = nlohmann::json::object();
  for (size_t e = 0; e < kFaultEffects; ++e) j[effect_name(static_cast<FaultEffect>(e))] = c[e];
  return j;
}

}  // namespace

std::string events_csv(const Scenario& sc) {
  std::string s = "kind,from_s,until_s,detail\n";
  const NetworkSpec& net = sc.network;
  if (net.synchrony == Synchrony::partial && net.gst_s > 0) {
    std::string detail = "delays ";
    detail += net.pre_gst_delay ? net.pre_gst_delay->describe() : std::string("as after GST");
    detail += " capped at GST + bound_s " + num(net.bound_s);
    for (const auto& [from, to] : net.pre_gst_hold) {
      detail += "; held " + to_string(from) + " -> " + to_string(to);
    }
    s += "pre-gst,0," + num(net.gst_s) + ',' + field(no_commas(detail)) + '\n';
  }
  for (const FaultSpec& f : net.faults) {
    s += fault_info(f.kind).name + ',' + num(f.from_s) + ',' + num(f.until_s) + ',' +
         field(no_commas(fault_detail(f, sc))) + '\n';
  }
  return s;
}

std::string placement_csv(const Scenario& sc) {
  std::string s = "node,host\n";
  const auto& topo = *sc.network.topology;
  for (size_t node = 0; node < topo.host_of.size(); ++node) {
    s += node_name(static_cast<NodeId>(node), sc.protocol.n) + ',' +
         field(topo.hosts[topo.host_of[node]]) + '\n';
  }
  return s;
}

std::string latencies_csv(const Scenario& sc) {
  const auto& topo = *sc.network.topology;
  std::vector<uint32_t> used(topo.host_of);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  std::string s = "from_host,to_host,latency_s\n";
  for (uint32_t a : used) {
    for (uint32_t b : used) {
      s += field(topo.hosts[a]) + ',' + field(topo.hosts[b]) + ',' +
           num(topo.latency_s[static_cast<size_t>(a) * topo.hosts.size() + b]) + '\n';
    }
  }
  return s;
}

nlohmann::json network_summary_json(const Scenario& sc, const Recorder& rec) {
  const NetworkStats& stats = rec.network();
  nlohmann::json faults = nlohmann::json::array();
  for (size_t i = 0; i < sc.network.faults.size(); ++i) {
    const FaultSpec& f = sc.network.faults[i];
    nlohmann::json j = {{"index", i},
                        {"kind", fault_info(f.kind).name},
                        {"from_s", f.from_s},
                        {"until_s", std::isinf(f.until_s) ? nlohmann::json(nullptr)
                                                          : nlohmann::json(f.until_s)},
                        {"detail", no_commas(fault_detail(f, sc))}};
    j.update(counts_json(i < stats.by_fault.size() ? stats.by_fault[i] : FaultCounts{}));
    faults.push_back(j);
  }
  nlohmann::json out = {{"faults", faults}};
  if (sc.network.synchrony == Synchrony::partial) {
    out["partial_synchrony"] = {
        {"gst_s", sc.network.gst_s},
        {"bound_s", sc.network.bound_s},
        {"sent_before_gst", stats.before_gst},
        {"above_bound_before_gst", stats.above_bound_before_gst},
        {"held_until_gst", stats.pre_gst[static_cast<size_t>(FaultEffect::held)]},
        {"sent_after_gst", stats.after_gst},
        {"max_delay_after_gst_s", stats.max_delay_after_gst_s}};
  }
  return out;
}

}  // namespace bqsim
