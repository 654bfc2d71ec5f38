// A client node as the engine sees it: the workload (what to do and when) wrapped around a
// protocol's ClientLogic (how to do it). Closed loop: each of `concurrency` slots starts an
// operation, waits for it to end, thinks for a sampled time, and starts the next.
#pragma once

#include <memory>

#include "sim/model/node.h"
#include "sim/model/random.h"
#include "sim/input/scenario.h"

namespace bqsim {

class WorkloadClient : public Node {
 public:
  // REQUIRES: spec validated (clients >= 1, exactly one of ops_per_client / duration_s), and
  // outliving the client (it is the scenario's, shared by every client).
  WorkloadClient(std::unique_ptr<ClientLogic> logic, const WorkloadSpec& spec,
                 uint32_t client_index, uint64_t seed);

  void on_start(double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;
  bool done() const override;

 private:
  // Starts an operation now if the workload has one left, else retires the slot.
  void start_next(double now_s, Outbox& out);
  // Looks at the events the logic added from index `first` on, and for each completed
  // operation thinks, then starts the next one.
  void after_logic(size_t first, double now_s, Outbox& out);
  bool may_start(double now_s) const;

  std::unique_ptr<ClientLogic> logic_;
  const WorkloadSpec& spec_;
  uint32_t client_index_;
  Rng rng_;
  uint32_t issued_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t thinking_ = 0;
};

}  // namespace bqsim
