// A client node as the engine sees it: the workload (what to do and when) wrapped around a
// protocol's ClientLogic (how to do it). Closed loop: each of `concurrency` slots starts an
// operation, waits for it to end, thinks for a sampled time, and starts the next.
#pragma once

#include <memory>
#include <vector>

#include "sim/model/node.h"
#include "sim/model/random.h"
#include "sim/input/scenario.h"

namespace bqsim {

class WorkloadClient : public Node {
 public:
  // REQUIRES: spec validated (clients >= 1, exactly one of ops_per_client / duration_s). One
  // spec for all the clients of a run: per-client copies would cost each client its size,
  // scripts included.
  WorkloadClient(std::unique_ptr<ClientLogic> logic, std::shared_ptr<const WorkloadSpec> spec,
                 uint32_t client_index, uint64_t seed);
  // With a copy of its own (small systems: exploration).
  WorkloadClient(std::unique_ptr<ClientLogic> logic, const WorkloadSpec& spec,
                 uint32_t client_index, uint64_t seed)
      : WorkloadClient(std::move(logic), std::make_shared<const WorkloadSpec>(spec), client_index,
                       seed) {}

  void on_start(double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;
  bool done() const override;
  // Exploration (node.h): explorable when the protocol's client logic is.
  std::unique_ptr<Node> clone() const override;
  bool hash_state(StateHasher& h) const override;
  bool ignores_forever(NodeId from, const Message& msg) const override;

 private:
  WorkloadClient(const WorkloadClient& other);  // deep: clones the logic (for clone())
  // workload.script's list for this client, or nullptr.
  const std::vector<OpKind>* script() const;
  // Starts an operation now if the workload has one left, else retires the slot.
  void start_next(double now_s, Outbox& out);
  // Looks at the events the logic added from index `first` on, and for each completed
  // operation thinks, then starts the next one.
  void after_logic(size_t first, double now_s, Outbox& out);
  bool may_start(double now_s) const;

  std::unique_ptr<ClientLogic> logic_;
  // Shared by every client of the run and by their copies (exploration clones often).
  std::shared_ptr<const WorkloadSpec> spec_;
  uint32_t client_index_;
  Rng rng_;
  uint32_t issued_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t thinking_ = 0;
};

}  // namespace bqsim
