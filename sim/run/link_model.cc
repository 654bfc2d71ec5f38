#include "sim/run/link_model.h"

#include <algorithm>

namespace bqsim {

LinkModel::LinkModel(const NetworkSpec& network, int n, int nodes, uint64_t seed)
    : network_(network), n_(n) {
  streams_.reserve(nodes);
  for (int i = 0; i < nodes; ++i) streams_.emplace_back(seed, "net", static_cast<uint64_t>(i));
}

LinkModel::Link LinkModel::link(NodeId from, NodeId to) const {
  Link l{&network_.delay, network_.loss_probability};
  for (const auto& o : network_.links) {  // later overrides win
    if (!o.from.matches(from, n_) || !o.to.matches(to, n_)) continue;
    if (o.delay) l.delay = &*o.delay;
    if (o.loss_probability) l.loss_probability = *o.loss_probability;
  }
  return l;
}

LinkModel::Verdict LinkModel::decide(NodeId from, NodeId to, double now_s) {
  const Link l = link(from, to);
  Rng& rng = streams_[from];
  Verdict v;
  if (l.loss_probability > 0 && rng.bernoulli(l.loss_probability)) {
    v.lost = true;
    return v;
  }
  v.delay_s = l.delay->sample(rng);
  if (network_.synchrony == Synchrony::partial) {
    // Dwork-Lynch-Stockmeyer partial synchrony: a message sent at s is delivered by
    // max(s, GST) + bound, whatever the distribution drew.
    const double latest = std::max(now_s, network_.gst_s) + network_.bound_s;
    v.delay_s = std::min(v.delay_s, latest - now_s);
  }
  return v;
}

}  // namespace bqsim
