// The network's model, without SimGrid (PROTOCOLS.md §1 network models, README "Network
// faults"): for each message, whether it is lost and by what, or when each of its copies is
// delivered. The runtime applies the answer for every engine; tests can call it directly.
//
// A message's fate, in order: the base loss and delay of its link (the sender's own stream;
// the platform's route latency is added in the latency model; partial synchrony caps the delay
// at max(sent, GST) + bound, and before GST draws it from pre_gst_delay or holds it until GST
// on a pre_gst_hold link); then the scheduled faults active when it was sent (fault_schedule.h):
// a drop by any of them loses it, hold partitions deliver it at their heal plus its delay
// (never, if open-ended), delay faults add theirs, a duplicate adds a copy with its own delay;
// then the adversary's extra delay; last, a fifo link delivers no copy before the previous one
// on that link (ties keep send order through the event key, event.h).
#pragma once

#include <unordered_map>
#include <vector>

#include "sim/input/scenario.h"
#include "sim/judge/trace.h"
#include "sim/model/distribution.h"
#include "sim/model/random.h"
#include "sim/run/fault_schedule.h"

namespace bqsim {

class LinkModel {
 public:
  // REQUIRES: network validated by the scenario reader (in `sync`, every delay distribution is
  // bounded by bound_s), its topology set if it has a platform file. nodes = n servers +
  // clients. `stats` (may be null) receives what the faults did; it must outlive the model.
  LinkModel(const NetworkSpec& network, int n, int nodes, uint64_t seed,
            NetworkStats* stats = nullptr);

  struct Fate {
    bool dropped = false;   // by the link's loss or a fault
    bool held_forever = false;  // by an open-ended hold partition: never delivered
    uint32_t copies = 0;    // deliveries: 0, 1, or 2 (duplicated)
    double t_s[2] = {0, 0}; // absolute delivery time of each copy
  };
  // Draws from the sender's own stream (loss only on links with a loss probability, delay only
  // if the message survives it) and from the faults' own streams. `extra_delay_s` is the
  // adversary's delay on this send, applied before the fifo order.
  Fate decide(NodeId from, NodeId to, MessageType type, double now_s, double extra_delay_s = 0);

 private:
  struct Link {
    const Distribution* delay;
    double loss_probability;
    bool fifo;
  };
  Link link(NodeId from, NodeId to) const;
  // The link's base delay for a message sent at now_s, drawn from `rng`: route latency plus a
  // draw, capped by partial synchrony.
  double base_delay(const Link& l, NodeId from, NodeId to, double now_s, Rng& rng) const;
  bool held_until_gst(NodeId from, NodeId to, double now_s) const;
  void count(MessageType type, int fault, FaultEffect e) {
    if (stats_ != nullptr) stats_->count(type, fault, e);
  }

  const NetworkSpec& network_;
  int n_;
  uint64_t nodes_;
  std::vector<Rng> streams_;  // one per sender
  FaultSchedule faults_;
  FaultSchedule::Outcome outcome_;  // reused by decide()
  bool any_fifo_ = false;
  std::unordered_map<uint64_t, double> last_delivery_;  // fifo links: (from, to) -> time
  NetworkStats* stats_;
};

}  // namespace bqsim
