// The network's fault model, without SimGrid (PROTOCOLS.md §1 network models): for each
// message, whether the link loses it and how long it takes. The engine applies the answer in
// its per-node delay queue; tests can call it directly.
#pragma once

#include <vector>

#include "sim/model/distribution.h"
#include "sim/model/random.h"
#include "sim/input/scenario.h"

namespace bqsim {

class LinkModel {
 public:
  // REQUIRES: network validated by the scenario reader (in `sync`, every delay distribution is
  // bounded by bound_s). nodes = n servers + clients.
  LinkModel(const NetworkSpec& network, int n, int nodes, uint64_t seed);

  struct Verdict {
    bool lost = false;
    double delay_s = 0;  // one-way delay, before any adversary's extra delay
  };
  // Draws from the sender's own stream, so adding a node does not shift anyone's draws.
  // Loss is drawn only on links with a loss probability, delay only if the message survives.
  Verdict decide(NodeId from, NodeId to, double now_s);

 private:
  struct Link {
    const Distribution* delay;
    double loss_probability;
  };
  Link link(NodeId from, NodeId to) const;

  const NetworkSpec& network_;
  int n_;
  std::vector<Rng> streams_;  // one per sender
};

}  // namespace bqsim
