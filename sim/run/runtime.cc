#include "sim/run/runtime.h"

#include <algorithm>

#include "sim/judge/message_trace.h"
#include "sim/model/check.h"

namespace bqsim {

Runtime::Runtime(const Scenario& scenario, const Catalog& catalog, Recorder& recorder)
    : Runtime(scenario, build_node_set(scenario, catalog), recorder) {}

Runtime::Runtime(const Scenario& scenario, NodeSet nodes, Recorder& recorder)
    : sc_(scenario),
      rec_(recorder),
      set_(std::move(nodes)),
      links_(scenario.network, scenario.protocol.n, set_.size(), scenario.seed,
             &recorder.network()),
      state_(set_.size()),
      clients_(set_.size() - set_.servers()) {}

RunStats Runtime::stats() const {
  RunStats s;
  s.message_limit_hit = message_limit_hit_;
  s.time_limit_hit = !finished() && !message_limit_hit_;
  s.sim_end_s = s.time_limit_hit ? horizon_s() : last_event_s_;
  s.events = events_;
  return s;
}

uint32_t Runtime::round_for(NodeId self, double t) const {
  const NodeState& st = state_[self];
  BQSIM_CHECK(t >= st.instant_s, "an event is never due before the instant that created it");
  return t == st.instant_s ? st.instant_round + 1 : 0;
}

std::unique_ptr<Outbox> Runtime::take_outbox() {
  if (spare_outboxes_.empty()) return std::make_unique<Outbox>();
  std::unique_ptr<Outbox> out = std::move(spare_outboxes_.back());
  spare_outboxes_.pop_back();
  return out;
}

void Runtime::give_back(std::unique_ptr<Outbox> out) {
  out->clear();
  spare_outboxes_.push_back(std::move(out));
}

void Runtime::start(NodeId id, EventSink& sink) {
  std::unique_ptr<Outbox> out = take_outbox();
  set_.nodes[id]->on_start(0.0, *out);
  flush(id, *out, sink);
  give_back(std::move(out));
  after_event(id);
}

void Runtime::handle(Event&& e, EventSink& sink) {
  BQSIM_CHECK(!stopped(), "no event is handled after the run stopped");
  const NodeId id = e.to;
  NodeState& st = state_[id];
  Node& node = *set_.nodes[id];
  st.now = std::max(st.now, e.t);
  st.instant_s = e.t;
  st.instant_round = e.round;
  last_event_s_ = e.t;
  std::unique_ptr<Outbox> out = take_outbox();
  if (e.is_timer) {
    node.on_timer(e.timer, st.now, *out);
  } else {
    --in_flight_;
    rec_.on_deliver(type_of(e.msg));
    if (MessageTrace* mt = rec_.message_trace()) mt->on_deliver(e.from, e.counter, e.t);
    node.on_message(e.from, e.msg, st.now, *out);
  }
  ++events_;
  // CPU time the handler charged delays its sends and everything the node does next.
  st.now += out->cpu_s;
  flush(id, *out, sink);
  give_back(std::move(out));
  after_event(id);
}

void Runtime::flush(NodeId self, Outbox& out, EventSink& sink) {
  NodeState& st = state_[self];
  for (const auto& ev : out.events) rec_.on_event(ev, st.now);
  for (const auto& tm : out.timers) {
    Event e;
    e.t = st.now + tm.delay_s;
    e.round = round_for(self, e.t);
    e.from = self;
    e.counter = st.counter++;
    e.to = self;
    e.is_timer = true;
    e.timer = tm.id;
    sink.schedule(std::move(e));
  }
  for (auto& s : out.sends) send(self, std::move(s), sink);
  out.clear();
}

void Runtime::send(NodeId self, Send&& s, EventSink& sink) {
  if (message_limit_hit_) return;
  if (++sent_ > sc_.limits.max_messages) {
    message_limit_hit_ = true;
    return;
  }
  NodeState& st = state_[self];
  const MessageType type = type_of(s.msg);
  const uint64_t bytes = wire_bytes(s.msg, set_.sizes);
  const uint64_t counter = st.counter++;  // taken for lost messages too: a loss shifts nothing
  rec_.on_send(type, bytes, s.retransmission);
  const LinkModel::Fate fate = links_.decide(self, s.to, type, st.now, s.extra_delay_s);
  if (MessageTrace* mt = rec_.message_trace()) {
    mt->on_send(st.now, self, s.to, s.msg, counter, s.retransmission, fate.dropped);
  }
  if (fate.dropped) rec_.on_drop(type);
  // A duplicated message is two events, told apart by their copy number (event.h).
  for (uint32_t c = 0; c < fate.copies; ++c) {
    ++in_flight_;
    Event e;
    e.t = fate.t_s[c];
    e.round = round_for(self, e.t);
    e.from = self;
    e.counter = counter;
    e.copy = c;
    e.to = s.to;
    // The last copy takes the message; an earlier one copies it. (A conditional expression
    // mixing an lvalue and an xvalue would copy every time.)
    if (c + 1 < fate.copies) {
      e.msg = s.msg;
    } else {
      e.msg = std::move(s.msg);
    }
    e.sent_s = st.now;
    e.bytes = bytes;
    sink.schedule(std::move(e));
  }
}

void Runtime::after_event(NodeId id) {
  NodeState& st = state_[id];
  if (set_.is_client(id) && !st.done && set_.nodes[id]->done()) {
    st.done = true;
    ++clients_done_;
  }
}

}  // namespace bqsim
