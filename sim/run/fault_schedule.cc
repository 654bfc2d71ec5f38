#include "sim/run/fault_schedule.h"

#include <algorithm>

namespace bqsim {

void FaultSchedule::Outcome::clear() {
  dropped_by = -1;
  hold_until = -std::numeric_limits<double>::infinity();
  held_by.clear();
  extra_delay_s = 0;
  delayed_by.clear();
  duplicated_by = -1;
  copy_stream = nullptr;
}

FaultSchedule::FaultSchedule(const std::vector<FaultSpec>& faults, int n, int nodes,
                             uint64_t seed)
    : n_(n), nodes_(static_cast<uint64_t>(nodes)), seed_(seed) {
  for (const FaultSpec& spec : faults) {
    Fault f{spec, {}};
    if (spec.kind == FaultKind::partition) {
      const int none = static_cast<int>(spec.groups.size());
      f.group_of.assign(static_cast<size_t>(nodes), none);
      for (int node = 0; node < nodes; ++node) {
        for (int g = 0; g < none; ++g) {
          for (const NodeSelector& s : spec.groups[static_cast<size_t>(g)]) {
            if (s.matches(static_cast<NodeId>(node), n)) f.group_of[static_cast<size_t>(node)] = g;
          }
        }
      }
    }
    faults_.push_back(std::move(f));
  }
}

FaultSchedule::LinkState& FaultSchedule::state(int fault, NodeId from, NodeId to) {
  const uint64_t key = (static_cast<uint64_t>(fault) * nodes_ + from) * nodes_ + to;
  auto it = links_.find(key);
  if (it == links_.end()) {
    // The stream's id names the fault and both ends, not the node count: adding a client
    // leaves every existing link's draws alone.
    const uint64_t id = mix64(mix64(mix64(static_cast<uint64_t>(fault)) ^ from) ^ to);
    it = links_.emplace(key, LinkState{Rng(seed_, "fault", id), false}).first;
  }
  return it->second;
}

void FaultSchedule::apply(NodeId from, NodeId to, double now_s, Outcome& out) {
  out.clear();
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    const FaultSpec& s = f.spec;
    if (now_s < s.from_s || now_s >= s.until_s) continue;
    const int index = static_cast<int>(i);
    if (s.kind == FaultKind::partition) {
      if (f.group_of[from] == f.group_of[to]) continue;
      if (!s.hold) {
        if (out.dropped_by < 0) out.dropped_by = index;
      } else {
        out.hold_until = std::max(out.hold_until, s.until_s);
        out.held_by.push_back(index);
      }
      continue;
    }
    if (!s.from.matches(from, n_) || !s.to.matches(to, n_)) continue;
    switch (s.kind) {
      case FaultKind::partition: break;
      case FaultKind::link_down:
        if (out.dropped_by < 0) out.dropped_by = index;
        break;
      case FaultKind::loss:
        if (state(index, from, to).rng.bernoulli(s.probability) && out.dropped_by < 0) {
          out.dropped_by = index;
        }
        break;
      case FaultKind::bursty_loss: {
        // Gilbert-Elliott: the state moves first, then the message is lost with the new
        // state's probability. Both draws are made for every message, so the stream's use
        // does not depend on the state.
        LinkState& l = state(index, from, to);
        const double move = l.rng.uniform01();
        l.bad = l.bad ? !(move < s.p_bad_good) : move < s.p_good_bad;
        const double loss = l.bad ? s.loss_bad : s.loss_good;
        if (l.rng.uniform01() < loss && out.dropped_by < 0) out.dropped_by = index;
        break;
      }
      case FaultKind::delay:
        out.extra_delay_s += s.delay.sample(state(index, from, to).rng);
        out.delayed_by.push_back(index);
        break;
      case FaultKind::duplicate: {
        LinkState& l = state(index, from, to);
        if (l.rng.bernoulli(s.probability) && out.duplicated_by < 0) {
          out.duplicated_by = index;
          out.copy_stream = &l.rng;
        }
        break;
      }
    }
  }
}

}  // namespace bqsim
