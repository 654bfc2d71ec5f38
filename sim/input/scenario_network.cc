// The network section of a scenario: model, delay, loss, per-link overrides, synchrony and the
// platform (scenarios/schema.json documents each key).
#include <cmath>
#include <filesystem>

#include "sim/input/scenario_internal.h"
#include "sim/input/value_readers.h"

namespace bqsim::scenario_detail {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSelectorExpected =
    "a node selector (*, server:*, client:*, server:I or client:I)";

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

NodeSelector read_selector(const Walk& w, const JsonValue& v) {
  const auto selector = parse_node_selector(v.string());
  if (!selector) v.fail(kSelectorExpected);
  if (selector->role == NodeSelector::Role::server && selector->index >= w.s.protocol.n) {
    v.fail("a server index below n = " + std::to_string(w.s.protocol.n));
  }
  if (selector->role == NodeSelector::Role::client &&
      selector->index >= static_cast<int64_t>(w.s.workload.clients)) {
    v.fail("a client index below workload.clients = " + std::to_string(w.s.workload.clients));
  }
  return *selector;
}

void read_link(Walk& w, const JsonValue& value) {
  JsonObject l(value);
  l.allow({"from", "to", "delay", "loss_probability"});
  LinkOverride link;
  link.from = read_selector(w, l.require("from", kSelectorExpected));
  link.to = read_selector(w, l.require("to", kSelectorExpected));
  if (auto v = l.get("delay")) {
    link.delay = read_distribution(*v);
    check_bounded(w, *link.delay, v->pointer());
  }
  if (auto v = l.get("loss_probability")) link.loss_probability = read_loss(w, *v);
  if (!link.delay && !link.loss_probability) {
    value.fail("a link override with a delay or a loss_probability", "neither");
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

}  // namespace

void read_network(JsonObject net, Walk& w) {
  NetworkSpec& spec = w.s.network;
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
    w.fail("/network/model",
         "latency on a " + sync_name + " network (bandwidth adds transfer time beyond bound_s)",
         quote("bandwidth"));
  }
  if (w.protocol->requires_sync && spec.synchrony != Synchrony::sync) {
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
    if (auto v = net.get("platform_file")) spec.platform_file = read_platform_file(w, *v);
  } else {
    for (const char* key : {"bandwidth_Bps", "link_latency_s", "platform_file"}) {
      net.forbid(key, "no " + std::string(key) + " unless network.model is bandwidth");
    }
  }
  net.finish();
}


}  // namespace bqsim::scenario_detail
