#include "sim/run/link_model.h"

#include <algorithm>
#include <cmath>

namespace bqsim {

LinkModel::LinkModel(const NetworkSpec& network, int n, int nodes, uint64_t seed,
                     NetworkStats* stats)
    : network_(network),
      n_(n),
      nodes_(static_cast<uint64_t>(nodes)),
      faults_(network.faults, n, nodes, seed),
      stats_(stats) {
  streams_.reserve(nodes);
  for (int i = 0; i < nodes; ++i) streams_.emplace_back(seed, "net", static_cast<uint64_t>(i));
  for (const auto& o : network_.links) any_fifo_ = any_fifo_ || o.fifo.value_or(false);
}

LinkModel::Link LinkModel::link(NodeId from, NodeId to) const {
  Link l{&network_.delay, network_.loss_probability, false};
  for (const auto& o : network_.links) {  // later overrides win
    if (!o.from.matches(from, n_) || !o.to.matches(to, n_)) continue;
    if (o.delay) l.delay = &*o.delay;
    if (o.loss_probability) l.loss_probability = *o.loss_probability;
    if (o.fifo) l.fifo = *o.fifo;
  }
  return l;
}

double LinkModel::base_delay(const Link& l, NodeId from, NodeId to, double now_s,
                             Rng& rng) const {
  const bool partial = network_.synchrony == Synchrony::partial;
  const Distribution* dist = l.delay;
  if (partial && now_s < network_.gst_s && network_.pre_gst_delay) dist = &*network_.pre_gst_delay;
  double d = dist->sample(rng);
  // The bandwidth model's flows cross the platform's links themselves.
  if (network_.topology && network_.model == NetModel::latency) {
    d = network_.topology->latency(from, to) + d;
  }
  if (partial) {
    // Dwork-Lynch-Stockmeyer partial synchrony: a message sent at s is delivered by
    // max(s, GST) + bound, whatever the distribution drew.
    // From GST on the cap is the bound itself, so a capped delay is exactly bound_s.
    const double cap = now_s >= network_.gst_s ? network_.bound_s
                                               : network_.gst_s + network_.bound_s - now_s;
    d = std::min(d, cap);
  }
  return d;
}

bool LinkModel::held_until_gst(NodeId from, NodeId to, double now_s) const {
  if (network_.synchrony != Synchrony::partial || now_s >= network_.gst_s) return false;
  for (const auto& [f, t] : network_.pre_gst_hold) {
    if (f.matches(from, n_) && t.matches(to, n_)) return true;
  }
  return false;
}

LinkModel::Fate LinkModel::decide(NodeId from, NodeId to, MessageType type, double now_s,
                                  double extra_delay_s) {
  const Link l = link(from, to);
  Rng& rng = streams_[from];
  Fate fate;
  const bool base_lost = l.loss_probability > 0 && rng.bernoulli(l.loss_probability);
  // A pre_gst_hold link keeps the message until GST, then sends it as if sent at GST.
  const bool gst_hold = held_until_gst(from, to, now_s);
  const double sent_s = gst_hold ? network_.gst_s : now_s;
  const double d = base_lost ? 0 : base_delay(l, from, to, sent_s, rng);
  FaultSchedule::Outcome& o = outcome_;
  if (!faults_.empty()) {
    faults_.apply(from, to, now_s, o);
  } else {
    o.clear();
  }
  if (base_lost || o.dropped_by >= 0) {
    fate.dropped = true;
    if (!base_lost) count(type, o.dropped_by, FaultEffect::dropped);
    return fate;
  }
  if (o.held_by.size() > 0 && std::isinf(o.hold_until)) {
    fate.held_forever = true;
    for (int f : o.held_by) count(type, f, FaultEffect::held_forever);
    return fate;
  }
  // When the message starts its delay: when it was sent, or when what holds it lets go.
  const bool held = gst_hold || !o.held_by.empty();
  const double start_s = o.held_by.empty() ? sent_s : std::max(sent_s, o.hold_until);
  double copy_d = 0;
  if (o.duplicated_by >= 0) copy_d = base_delay(l, from, to, sent_s, *o.copy_stream);
  fate.copies = o.duplicated_by >= 0 ? 2 : 1;
  const double ds[2] = {d, copy_d};
  for (uint32_t c = 0; c < fate.copies; ++c) {
    // Unheld and unfaulted, the same arithmetic as ever: (now + delay) + adversary's delay.
    double t = start_s + ds[c];
    if (o.extra_delay_s != 0) t += o.extra_delay_s;
    fate.t_s[c] = t + extra_delay_s;
  }
  if (gst_hold) count(type, NetworkStats::kPreGst, FaultEffect::held);
  for (int f : o.held_by) count(type, f, FaultEffect::held);
  for (int f : o.delayed_by) count(type, f, FaultEffect::delayed);
  if (o.duplicated_by >= 0) count(type, o.duplicated_by, FaultEffect::duplicated);
  if (network_.synchrony == Synchrony::partial && stats_ != nullptr) {
    // The network's delay, adversary's excluded; computed from the draws when nothing held
    // the message, so a delay capped at exactly the bound reads as the bound.
    const double delay = held ? fate.t_s[0] - extra_delay_s - now_s : d + o.extra_delay_s;
    if (now_s < network_.gst_s) {
      ++stats_->before_gst;
      if (delay > network_.bound_s) ++stats_->above_bound_before_gst;
    } else {
      ++stats_->after_gst;
      stats_->max_delay_after_gst_s = std::max(stats_->max_delay_after_gst_s, delay);
    }
  }
  if (any_fifo_ && l.fifo) {
    double& last = last_delivery_[static_cast<uint64_t>(from) * nodes_ + to];
    for (uint32_t c = 0; c < fate.copies; ++c) {
      fate.t_s[c] = std::max(fate.t_s[c], last);
      last = fate.t_s[c];
    }
  }
  return fate;
}

}  // namespace bqsim
