// The network section of a scenario: model, delay, loss, per-link overrides, synchrony and the
// platform with its placement (scenarios/schema.json documents each key). Scheduled faults and
// the channel check are in scenario_faults.cc.
#include <cmath>
#include <filesystem>

#include "sim/input/scenario_internal.h"
#include "sim/input/value_readers.h"

namespace bqsim::scenario_detail {
namespace {

namespace fs = std::filesystem;

double read_loss(const Walk& w, const JsonValue& v) {
  const double p = v.number(Range::half_open(0, 1));
  if (p > 0 && w.s.network.synchrony == Synchrony::sync) {
    v.fail("0 on a sync network (synchrony promises delivery within bound_s)");
  }
  return p;
}

// A sync network promises delivery within bound_s, so every delay it can draw must be
// below it; partial synchrony only promises it after GST, which the engine enforces.
void check_bounded(const Walk& w, const Distribution& d, const std::string& pointer) {
  if (w.s.network.synchrony != Synchrony::sync) return;
  const double ub = d.upper_bound();
  if (ub <= w.s.network.bound_s) return;
  w.fail(pointer,
       "a distribution bounded by network.bound_s = " + format_number(w.s.network.bound_s) +
           " (sync)",
       d.describe() + (std::isinf(ub) ? ", which is unbounded" : ", which reaches " +
                                                                     format_number(ub)));
}

void read_link(Walk& w, const JsonValue& value) {
  JsonObject l(value);
  l.allow({"from", "to", "delay", "loss_probability", "fifo"});
  LinkOverride link;
  link.from = read_selector(w, l.require("from", kNodePatternExpected));
  link.to = read_selector(w, l.require("to", kNodePatternExpected));
  if (auto v = l.get("delay")) {
    link.delay = read_distribution(*v);
    check_bounded(w, *link.delay, v->pointer());
  }
  if (auto v = l.get("loss_probability")) link.loss_probability = read_loss(w, *v);
  if (auto v = l.get("fifo")) {
    link.fifo = v->boolean();
    // The bandwidth model's transfers take SimGrid's time, which bqsim does not order.
    if (*link.fifo && w.s.network.model == NetModel::bandwidth) {
      v->fail("false with network.model bandwidth (fifo needs the latency model)", "true");
    }
  }
  if (!link.delay && !link.loss_probability && !link.fifo) {
    value.fail("a link override with a delay, a loss_probability or fifo", "none of them");
  }
  l.finish();
  w.s.network.links.push_back(std::move(link));
}

std::string read_platform_file(const Walk& w, const JsonValue& v) {
  const fs::path given = v.string();
  const fs::path path = given.is_absolute() ? given : w.base_dir / given;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    v.fail("an existing SimGrid platform file (relative paths start at the scenario's "
           "directory)");
  }
  return path.string();
}


void read_placement(Walk& w, const JsonValue& value) {
  for (const JsonValue& item : value.list("a list of {nodes, hosts} entries")) {
    JsonObject p(item);
    p.allow({"nodes", "hosts"});
    PlacementRule rule;
    rule.pointer = item.pointer();
    rule.nodes = read_selector(w, p.require("nodes", kNodePatternExpected));
    const JsonValue hosts = p.require("hosts", "a non-empty list of host names, or '*'");
    if (hosts.json().is_string() && hosts.json().get<std::string>() == "*") {
      // Every host of the platform, resolved once it is loaded.
    } else {
      for (const JsonValue& h : hosts.list("a non-empty list of host names, or '*'")) {
        rule.hosts.push_back(h.string());
      }
      if (rule.hosts.empty()) hosts.fail("a non-empty list of host names, or '*'");
    }
    p.finish();
    w.s.network.placement.push_back(std::move(rule));
  }
}

// partial synchrony made to bite: what happens before GST.
void read_pre_gst(Walk& w, JsonObject& net) {
  NetworkSpec& spec = w.s.network;
  if (spec.synchrony != Synchrony::partial) {
    net.forbid("pre_gst_delay", "no pre_gst_delay unless network.synchrony is partial");
    net.forbid("pre_gst_hold", "no pre_gst_hold unless network.synchrony is partial");
    return;
  }
  if (auto v = net.get("pre_gst_delay")) spec.pre_gst_delay = read_distribution(*v);
  if (auto v = net.get("pre_gst_hold")) {
    for (const JsonValue& item : v->list("a list of {from, to} links")) {
      JsonObject l(item);
      l.allow({"from", "to"});
      const NodeSelector from = read_selector(w, l.require("from", kNodePatternExpected));
      const NodeSelector to = read_selector(w, l.require("to", kNodePatternExpected));
      l.finish();
      spec.pre_gst_hold.emplace_back(from, to);
    }
  }
}
}  // namespace

NodeSelector read_selector(const Walk& w, const JsonValue& v) {
  const auto selector = parse_node_selector(v.string());
  if (!selector) v.fail(kNodePatternExpected);
  if (selector->role == NodeSelector::Role::server && selector->last >= w.s.protocol.n) {
    v.fail("a server index below n = " + std::to_string(w.s.protocol.n));
  }
  if (selector->role == NodeSelector::Role::client &&
      selector->last >= static_cast<int64_t>(w.s.workload.clients)) {
    v.fail("a client index below workload.clients = " + std::to_string(w.s.workload.clients));
  }
  return *selector;
}

void read_network(JsonObject net, Walk& w) {
  NetworkSpec& spec = w.s.network;
  net.allow({"model", "delay", "loss_probability", "links", "synchrony", "bound_s", "gst_s",
             "bandwidth_Bps", "link_latency_s", "platform_file", "placement", "faults",
             "pre_gst_delay", "pre_gst_hold"});
  static const std::vector<std::string> kModels = {"latency", "bandwidth"};
  static const std::vector<std::string> kSynchrony = {"async", "sync", "partial"};
  if (auto v = net.get("model")) spec.model = static_cast<NetModel>(v->choice(kModels));
  const auto synchrony = net.get("synchrony");
  if (synchrony) spec.synchrony = static_cast<Synchrony>(synchrony->choice(kSynchrony));
  const std::string& sync_name = kSynchrony[static_cast<size_t>(spec.synchrony)];
  // A bound holds for the sampled delays only: the bandwidth model adds transfer time on top
  // of them, which no bound covers.
  if (spec.model == NetModel::bandwidth && spec.synchrony != Synchrony::async) {
    w.fail("/network/model",
         "latency on a " + sync_name + " network (bandwidth adds transfer time beyond bound_s)",
         quote("bandwidth"));
  }
  if (family_traits(w.family).synchrony == SynchronyNeed::sync &&
      spec.synchrony != Synchrony::sync) {
    w.fail("/network/synchrony",
         "sync (" + w.s.protocol.name + " requires a synchronous network)", quote(sync_name));
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
  // A platform's routes carry the latency, so the drawn delay defaults to none on top.
  if (auto v = net.get("platform_file")) {
    spec.platform_file = read_platform_file(w, *v);
    spec.delay = Distribution::constant(0);
  }
  if (auto v = net.get("placement")) {
    if (spec.platform_file.empty()) {
      v->fail("no placement without network.platform_file (nodes have their own hosts)");
    }
    read_placement(w, *v);
  }
  read_pre_gst(w, net);
  if (auto v = net.get("delay")) {
    spec.delay = read_distribution(*v);
    check_bounded(w, spec.delay, v->pointer());
  } else {
    check_bounded(w, spec.delay, "/network/delay");
  }
  if (auto v = net.get("loss_probability")) {
    spec.loss_probability = read_loss(w, *v);
  }
  if (auto v = net.get("links")) {
    for (const JsonValue& link : v->list("a list of link overrides")) read_link(w, link);
  }
  if (spec.model == NetModel::bandwidth) {
    if (auto v = net.get("bandwidth_Bps")) spec.bandwidth_Bps = v->number(Range::above(0));
    if (auto v = net.get("link_latency_s")) spec.link_latency_s = v->number(Range::at_least(0));
  } else {
    for (const char* key : {"bandwidth_Bps", "link_latency_s"}) {
      net.forbid(key, "no " + std::string(key) + " unless network.model is bandwidth");
    }
  }
  const auto faults = net.get("faults");
  if (faults) read_faults(w, *faults);
  check_channels(w, faults);
  net.finish();
}


}  // namespace bqsim::scenario_detail
