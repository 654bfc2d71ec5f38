// One adversary behaviour of a Byzantine server (PROTOCOLS.md §6). A behaviour sees the traffic
// of the correct server it decorates: it may drop an incoming message before the server sees
// it, and rewrite, delay or drop each message the server sends. The default forwards
// everything, so a behaviour overrides only what it corrupts (STYLE.md, leveldb's EnvWrapper).
// ByzantineServer applies the behaviours and emits ActionFired for what they actually did.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "sim/model/messages.h"
#include "sim/model/node.h"

namespace bqsim {

class Behaviour {
 public:
  // What a behaviour did to one outgoing send.
  struct Effect {
    bool keep = true;         // false: the send is dropped
    std::string_view action;  // empty: the send went out as the server wrote it. A literal.
  };

  // Active in simulated time [from_s, until_s) (§6: "scripted in time").
  Behaviour(std::string name, double from_s, double until_s)
      : name_(std::move(name)), from_s_(from_s), until_s_(until_s) {}
  virtual ~Behaviour() = default;
  Behaviour(const Behaviour&) = delete;
  Behaviour& operator=(const Behaviour&) = delete;

  // As scenarios spell it ("silent", "forge"): ActionFired's behaviour field.
  const std::string& name() const { return name_; }
  bool active(double now_s) const { return from_s_ <= now_s && now_s < until_s_; }

  // Called for every message the correct server is handed, whether or not this behaviour is
  // active, before the server handles it; not for messages a behaviour dropped (the server
  // never saw those). Behaviours that replay what the server once held (stale, equivocate)
  // keep their history here, so it is complete when their window opens. Observing never
  // changes traffic, so it never fires.
  virtual void observe_incoming(NodeId from, const Message& msg, double now_s) {
    (void)from;
    (void)msg;
    (void)now_s;
  }
  // True if the message must not reach the server (fired as action "drop"). Called only while
  // active.
  virtual bool drops_incoming(NodeId from, const Message& msg, double now_s) {
    (void)from;
    (void)msg;
    (void)now_s;
    return false;
  }
  // May rewrite `send` (message, extra_delay_s) or drop it. An Effect with an action must mean
  // the traffic really changed: fired counts report what happened, not what was attempted.
  // A drop must name its action. Called only while active.
  virtual Effect rewrite_outgoing(Send& send, double now_s) {
    (void)send;
    (void)now_s;
    return {};
  }

 private:
  std::string name_;
  double from_s_;
  double until_s_;
};

}  // namespace bqsim
