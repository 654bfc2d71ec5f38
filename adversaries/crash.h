// crash (PROTOCOLS.md §6, "silent / crash ... from a given time"): from at_s on the server
// drops every message it receives, so it neither answers nor applies writes, for good. Unlike
// silent it has no window: a crashed server does not come back, so the scenario reader refuses
// from_s and until_s for it (use silent for a window).
#pragma once

#include "adversaries/behaviour.h"

namespace bqsim {

class Crash : public Behaviour {
 public:
  static constexpr double kDefaultAtS = 0;  // crashed from the start

  explicit Crash(double at_s);
  bool drops_incoming(NodeId from, const Message& msg, double now_s) override;
};

}  // namespace bqsim
