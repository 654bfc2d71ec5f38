#include "adversaries/byzantine_server.h"

#include <string>
#include <utility>

#include "sim/model/check.h"

namespace bqsim {

ByzantineServer::ByzantineServer(NodeId id, std::unique_ptr<Node> inner,
                                 std::vector<std::unique_ptr<Behaviour>> behaviours)
    : id_(id), inner_(std::move(inner)), behaviours_(std::move(behaviours)) {}

void ByzantineServer::fire(const Behaviour& b, std::string_view action, Outbox& out) const {
  out.emit(ActionFired{id_, b.name(), std::string(action)});
}

void ByzantineServer::on_start(double now_s, Outbox& out) {
  scratch_.clear();
  inner_->on_start(now_s, scratch_);
  filter(now_s, out);
}

void ByzantineServer::on_message(NodeId from, const Message& msg, double now_s, Outbox& out) {
  for (const auto& b : behaviours_) {
    if (b->active(now_s) && b->drops_incoming(from, msg, now_s)) {
      fire(*b, "drop", out);
      return;
    }
  }
  // Every behaviour sees what the server sees, also outside its window (behaviour.h).
  for (const auto& b : behaviours_) b->observe_incoming(from, msg, now_s);
  scratch_.clear();
  inner_->on_message(from, msg, now_s, scratch_);
  filter(now_s, out);
}

void ByzantineServer::on_timer(TimerId id, double now_s, Outbox& out) {
  scratch_.clear();
  inner_->on_timer(id, now_s, scratch_);
  filter(now_s, out);
}

void ByzantineServer::filter(double now_s, Outbox& out) {
  // Timers and trace events pass unchanged. WriteApplied stays: the engine ignores the applies
  // of Byzantine servers for effective completion (§2), and the trace keeps what happened.
  for (auto& t : scratch_.timers) out.timers.push_back(t);
  out.cpu_s += scratch_.cpu_s;
  for (auto& e : scratch_.events) out.emit(std::move(e));
  for (auto& send : scratch_.sends) {
    pending_.clear();
    const Behaviour* dropper = nullptr;
    std::string_view drop_action;
    for (const auto& b : behaviours_) {
      if (!b->active(now_s)) continue;
      const Behaviour::Effect effect = b->rewrite_outgoing(send, now_s);
      if (!effect.keep) {
        BQSIM_CHECK(!effect.action.empty(), "a behaviour dropped a send without naming it");
        dropper = b.get();
        drop_action = effect.action;
        break;
      }
      if (!effect.action.empty()) pending_.push_back(Fired{b.get(), effect.action});
    }
    if (dropper != nullptr) {
      fire(*dropper, drop_action, out);
      continue;
    }
    for (const Fired& f : pending_) fire(*f.behaviour, f.action, out);
    out.sends.push_back(std::move(send));
  }
  scratch_.clear();
}

}  // namespace bqsim
