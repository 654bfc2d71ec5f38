// A Byzantine server: the correct server wrapped in a script of behaviours (STYLE.md: faults
// live in a decorator around the correct node, never as `if (byzantine)` inside it). With no
// behaviour active it is exactly the correct server.
#pragma once

#include <memory>
#include <vector>

#include "adversaries/behaviour.h"
#include "sim/core/node.h"

namespace bqsim {

class ByzantineServer : public Node {
 public:
  // Behaviours apply in script order: the first active one that drops an incoming message
  // wins; each outgoing send passes through every active behaviour in turn.
  ByzantineServer(NodeId id, std::unique_ptr<Node> inner,
                  std::vector<std::unique_ptr<Behaviour>> behaviours);

  void on_start(double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;
  bool done() const override { return inner_->done(); }

  const Node& inner() const { return *inner_; }

 private:
  // Moves what the inner server asked for from scratch_ to `out`, through the behaviours.
  void filter(double now_s, Outbox& out);
  void fire(const Behaviour& b, std::string_view action, Outbox& out) const;

  NodeId id_;
  std::unique_ptr<Node> inner_;
  std::vector<std::unique_ptr<Behaviour>> behaviours_;
  Outbox scratch_;  // reused: its vectors keep their capacity between messages
};

}  // namespace bqsim
