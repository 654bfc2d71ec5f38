// A Byzantine server: the correct server wrapped in a script of behaviours (STYLE.md: faults
// live in a decorator around the correct node, never as `if (byzantine)` inside it). With no
// behaviour active it is exactly the correct server.
//
// Composition (§6: "combined per server"), in script order:
//  - incoming: the first active behaviour that drops the message wins and alone fires "drop";
//    otherwise every behaviour, active or not, observes it and the correct server handles it;
//  - outgoing: each send passes through every active behaviour in turn, each seeing the send as
//    the previous ones left it (so [stale, slow] delays the stale reply). A drop ends the
//    chain; only the dropper fires then, since the rewrites before it never left the server.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "adversaries/behaviour.h"
#include "sim/model/node.h"

namespace bqsim {

class ByzantineServer : public Node {
 public:
  ByzantineServer(NodeId id, std::unique_ptr<Node> inner,
                  std::vector<std::unique_ptr<Behaviour>> behaviours);

  void on_start(double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;
  bool done() const override { return inner_->done(); }

  const Node& inner() const { return *inner_; }

 private:
  struct Fired {
    const Behaviour* behaviour;
    std::string_view action;
  };

  // Moves what the inner server asked for from scratch_ to `out`, through the behaviours.
  void filter(double now_s, Outbox& out);
  void fire(const Behaviour& b, std::string_view action, Outbox& out) const;

  NodeId id_;
  std::unique_ptr<Node> inner_;
  std::vector<std::unique_ptr<Behaviour>> behaviours_;
  Outbox scratch_;              // reused: its vectors keep their capacity between messages
  std::vector<Fired> pending_;  // one send's rewrites, fired once the send is kept
};

}  // namespace bqsim
