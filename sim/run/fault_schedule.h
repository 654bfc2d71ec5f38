// The scheduled faults of network.faults, without SimGrid: for one message, what the faults
// active when it was sent do to it. Each fault keeps, per link, its own random stream
// (seed, "fault", its index, the link) and its own state (Gilbert-Elliott), and sees every
// message sent on a link it matches in its window, whatever the other faults decided: so its
// draws depend on that link's traffic alone, and adding a fault never shifts another's draws
// or the base delay and loss (which come from the sender's stream).
#pragma once

#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

#include "sim/input/scenario.h"
#include "sim/model/random.h"

namespace bqsim {

class FaultSchedule {
 public:
  // REQUIRES: faults validated by the scenario reader; nodes = n servers + clients.
  FaultSchedule(const std::vector<FaultSpec>& faults, int n, int nodes, uint64_t seed);

  bool empty() const { return faults_.empty(); }

  struct Outcome {
    int dropped_by = -1;  // the first fault (in scenario order) that dropped it, or -1
    // Hold partitions separating the sender from the receiver: the message is delivered at
    // the latest heal (+infinity: never) plus its delay.
    double hold_until = -std::numeric_limits<double>::infinity();
    std::vector<int> held_by;
    double extra_delay_s = 0;  // the sum of the delay faults' draws
    std::vector<int> delayed_by;
    int duplicated_by = -1;    // the first duplicate fault that copied it, or -1
    Rng* copy_stream = nullptr;  // that fault's stream on this link, for the copy's delay
    void clear();
  };
  // Fills `out` for a message sent from `from` to `to` at now_s.
  void apply(NodeId from, NodeId to, double now_s, Outcome& out);

 private:
  struct Fault {
    FaultSpec spec;
    std::vector<int> group_of;  // partition: each node's group (groups.size() for "none")
  };
  struct LinkState {
    Rng rng;
    bool bad = false;  // bursty-loss: the Gilbert-Elliott state, good at the start
  };
  LinkState& state(int fault, NodeId from, NodeId to);

  std::vector<Fault> faults_;
  int n_;
  uint64_t nodes_;
  uint64_t seed_;
  // Keyed by (fault, from, to); created on a link's first message. Never iterated, so its
  // order reaches no output.
  std::unordered_map<uint64_t, LinkState> links_;
};

}  // namespace bqsim
