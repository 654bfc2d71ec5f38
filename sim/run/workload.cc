#include "sim/run/workload.h"
#include "sim/model/check.h"


namespace bqsim {

WorkloadClient::WorkloadClient(std::unique_ptr<ClientLogic> logic,
                               std::shared_ptr<const WorkloadSpec> spec, uint32_t client_index,
                               uint64_t seed)
    : logic_(std::move(logic)),
      spec_(std::move(spec)),
      client_index_(client_index),
      rng_(seed, "workload", client_index) {
  BQSIM_CHECK(logic_ != nullptr, "a client needs protocol logic");
}

const std::vector<OpKind>* WorkloadClient::script() const {
  return client_index_ < spec_->script.size() ? &spec_->script[client_index_] : nullptr;
}

bool WorkloadClient::may_start(double now_s) const {
  if (const auto* ops = script()) return issued_ < ops->size();
  if (spec_->ops_per_client > 0) return issued_ < spec_->ops_per_client;
  return now_s < spec_->duration_s;
}

void WorkloadClient::on_start(double now_s, Outbox& out) {
  // Every slot starts at once: a closed loop begins with work, not with thinking.
  for (uint32_t slot = 0; slot < spec_->concurrency; ++slot) start_next(now_s, out);
}

void WorkloadClient::start_next(double now_s, Outbox& out) {
  if (!may_start(now_s)) return;
  ++issued_;
  ++in_flight_;
  const uint32_t seq = issued_;
  Operation op{};
  op.id = make_op_id(client_index_, seq);
  // Draw order is fixed (kind, then key) so a scenario change elsewhere never shifts it.
  if (const auto* ops = script()) {
    op.kind = (*ops)[seq - 1];
  } else {
    op.kind = rng_.uniform01() < spec_->read_fraction ? OpKind::read : OpKind::write;
  }
  op.key = spec_->registers > 1 ? static_cast<Key>(rng_.below(spec_->registers)) : 0;
  op.value = op.kind == OpKind::write ? make_value(client_index_, seq) : kInitialValue;
  out.emit(OpInvoked{op.id, client_index_, op.kind, op.key, op.value});
  const size_t first = out.events.size();
  logic_->start(op, now_s, out);
  after_logic(first, now_s, out);
}

void WorkloadClient::after_logic(size_t first, double now_s, Outbox& out) {
  uint32_t completed = 0;
  for (size_t i = first; i < out.events.size(); ++i) {
    if (std::holds_alternative<OpCompleted>(out.events[i])) ++completed;
  }
  for (uint32_t i = 0; i < completed; ++i) {
    BQSIM_CHECK(in_flight_ > 0, "a completion matches an operation in flight");
    --in_flight_;
    const double think_s = spec_->think_time.sample(rng_);
    if (think_s > 0) {
      ++thinking_;
      out.set_timer(think_s, kWorkloadTimerBit);
    } else {
      start_next(now_s, out);
    }
  }
}

void WorkloadClient::on_message(NodeId from, const Message& msg, double now_s, Outbox& out) {
  const size_t first = out.events.size();
  logic_->on_message(from, msg, now_s, out);
  after_logic(first, now_s, out);
}

void WorkloadClient::on_timer(TimerId id, double now_s, Outbox& out) {
  if ((id & kWorkloadTimerBit) != 0) {
    BQSIM_CHECK(thinking_ > 0, "a think timer matches a thinking slot");
    --thinking_;
    start_next(now_s, out);
    return;
  }
  const size_t first = out.events.size();
  logic_->on_timer(id, now_s, out);
  after_logic(first, now_s, out);
}

bool WorkloadClient::done() const {
  // Thinking slots will start nothing in duration mode once time is up, but they must still
  // fire; so a client is done only when nothing is in flight and nobody is thinking.
  if (in_flight_ > 0 || thinking_ > 0) return false;
  if (const auto* ops = script()) return issued_ >= ops->size();
  if (spec_->ops_per_client > 0) return issued_ >= spec_->ops_per_client;
  return true;
}

WorkloadClient::WorkloadClient(const WorkloadClient& other)
    : Node(other),
      logic_(other.logic_->clone()),
      spec_(other.spec_),
      client_index_(other.client_index_),
      rng_(other.rng_),
      issued_(other.issued_),
      in_flight_(other.in_flight_),
      thinking_(other.thinking_) {}

std::unique_ptr<Node> WorkloadClient::clone() const {
  std::unique_ptr<WorkloadClient> copy(new WorkloadClient(*this));
  if (copy->logic_ == nullptr) return nullptr;  // the protocol's client is not explorable
  return copy;
}

bool WorkloadClient::hash_state(StateHasher& h) const {
  h.add(issued_);
  h.add(in_flight_);
  h.add(thinking_);
  for (int i = 0; i < 4; ++i) h.add(rng_.state_word(i));  // think times, kinds and keys
  return logic_->hash_state(h);
}

bool WorkloadClient::ignores_forever(NodeId from, const Message& msg) const {
  return logic_->ignores_forever(from, msg);
}

}  // namespace bqsim
