// slow (PROTOCOLS.md §6, "answers correctly but late"): every send of the server leaves with
// an extra delay drawn from the behaviour's own distribution, on top of the network's delay.
// One draw per send while active, in send order, from the behaviour's own random stream
// (stream()), so the delays depend on the seed and on nothing else in the run. A draw of 0
// changes nothing and does not fire; every other send fires "delay".
#pragma once

#include <cstdint>

#include "adversaries/behaviour.h"
#include "sim/model/distribution.h"
#include "sim/model/protocol.h"
#include "sim/model/random.h"

namespace bqsim {

class Slow : public Behaviour {
 public:
  // Rng(seed, "adversary", server id) for the first behaviour of a server's script; the i-th
  // adds i << 32 to the id, so two slow behaviours on one server draw independently.
  static Rng stream(const NodeContext& ctx, uint32_t script_index);

  Slow(double from_s, double until_s, Distribution delay, Rng rng);

  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  Distribution delay_;
  Rng rng_;
};

}  // namespace bqsim
