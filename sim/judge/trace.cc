#include "sim/judge/trace.h"
#include "sim/model/check.h"

#include <algorithm>
#include <limits>

namespace bqsim {
namespace {

// Row of a write whose WriteApplied events arrived before its OpInvoked (buffered).
constexpr size_t kNoRow = std::numeric_limits<size_t>::max();

using Applies = std::vector<std::pair<NodeId, double>>;

bool by_server(const std::pair<NodeId, double>& a, NodeId s) { return a.first < s; }

// REQUIRES: applied sorted by server.
Applies::const_iterator find_apply(const Applies& applied, NodeId server) {
  auto it = std::lower_bound(applied.begin(), applied.end(), server, by_server);
  return it != applied.end() && it->first == server ? it : applied.end();
}

}  // namespace

Recorder::Recorder(int n, std::vector<bool> byzantine)
    : n_(n), byzantine_(std::move(byzantine)), correct_servers_(0) {
  BQSIM_CHECK(n_ >= 1 && byzantine_.size() == static_cast<size_t>(n_), "one Byzantine flag per server");
  correct_servers_ = static_cast<int>(std::count(byzantine_.begin(), byzantine_.end(), false));
}

void Recorder::on_event(const TraceEvent& e, double now_s) {
  if (const auto* inv = std::get_if<OpInvoked>(&e)) {
    if (row_of_.count(inv->op) != 0) return;  // duplicate: the first invocation stands
    OpRecord rec;
    rec.op = inv->op;
    rec.client = inv->client;
    rec.key = inv->key;
    rec.kind = inv->kind;
    rec.invoke_s = now_s;
    rec.value = inv->kind == OpKind::write ? inv->value : kInitialValue;
    const size_t row = ops_.size();
    ops_.push_back(rec);
    row_of_.emplace(inv->op, row);
    auto buffered = pending_writes_.find(inv->op);
    if (inv->kind == OpKind::write) {
      if (buffered == pending_writes_.end()) {
        pending_writes_.emplace(inv->op, new_pending(row));
      } else {
        buffered->second.row = row;
      }
    } else if (buffered != pending_writes_.end()) {
      pending_writes_.erase(buffered);  // applies naming a read: meaningless, drop them
    }
    return;
  }

  if (const auto* done = std::get_if<OpCompleted>(&e)) {
    auto row = row_of_.find(done->op);
    if (row == row_of_.end()) return;  // never invoked: nothing to attach it to
    OpRecord& rec = ops_[row->second];
    if (rec.returned()) return;  // duplicate completion: the first stands
    rec.return_s = now_s;
    rec.outcome = done->outcome;
    rec.slow = done->slow;
    rec.retransmissions = done->retransmissions;
    if (rec.kind == OpKind::read) {
      if (done->outcome == Outcome::ok) {
        rec.value = done->pair.value;
        rec.ts = done->pair.ts;
      }
      return;
    }
    // A write that gave up before choosing its pair reports the default pair: keep the
    // value it was invoked with, so the checker still recognises reads of it.
    if (done->pair.value != kInitialValue) rec.value = done->pair.value;
    rec.ts = done->pair.ts;
    auto pending = pending_writes_.find(done->op);
    if (pending == pending_writes_.end()) return;
    pending->second.quorum = done->write_quorum;
    pending->second.returned = true;
    settle_write(pending->second, now_s);
    if (rec.effective()) pending_writes_.erase(pending);
    return;
  }

  if (const auto* applied = std::get_if<WriteApplied>(&e)) {
    // Byzantine applies never count (§2: the last CORRECT server of the quorum).
    if (applied->server >= static_cast<NodeId>(n_) || byzantine_[applied->server]) return;
    auto row = row_of_.find(applied->op);
    if (row != row_of_.end()) {
      const OpRecord& rec = ops_[row->second];
      if (rec.kind != OpKind::write || rec.effective()) return;  // settled writes: ignored
    }
    // Unknown ops are buffered under kNoRow until their OpInvoked comes (robustness only:
    // the engine never reports an apply before the invocation).
    auto it = pending_writes_.find(applied->op);
    if (it == pending_writes_.end()) {
      it = pending_writes_.emplace(applied->op, new_pending(kNoRow)).first;
    }
    PendingWrite& w = it->second;
    uint64_t& word = w.seen[applied->server >> 6];
    const uint64_t bit = uint64_t{1} << (applied->server & 63);
    if ((word & bit) != 0) return;  // only the first apply per server counts
    word |= bit;
    ++w.applies;
    w.last_apply_s = std::max(w.last_apply_s, now_s);
    if (!(w.returned && w.quorum.empty())) {
      if (!w.applied.empty() && w.applied.back().first > applied->server) w.sorted = false;
      w.applied.emplace_back(applied->server, now_s);
    }
    if (w.row != kNoRow && w.returned) {
      settle_write(w, now_s);
      if (ops_[w.row].effective()) pending_writes_.erase(it);
    }
    return;
  }

  if (const auto* fired = std::get_if<ActionFired>(&e)) {
    ++fired_[fired->behaviour + "/" + fired->action];
    ++fired_by_server_[{fired->server, fired->behaviour}];
    return;
  }

  if (const auto* b = std::get_if<BuffersInUse>(&e)) {
    buffer_samples_.push_back(BufferSample{now_s, b->client, b->in_use, b->capacity});
    max_buffers_in_use_ = std::max(max_buffers_in_use_, b->in_use);
    if (b->in_use > b->capacity) buffer_overflow_ = true;
  }
}

Recorder::PendingWrite Recorder::new_pending(size_t row) const {
  PendingWrite w;
  w.row = row;
  w.seen.assign((static_cast<size_t>(n_) + 63) / 64, 0);
  return w;
}

// Sets the write's effective_s once every correct server of its quorum has applied it
// (§2); leaves it NaN while one is missing. REQUIRES: w.returned, w.row known.
void Recorder::settle_write(PendingWrite& w, double now_s) {
  BQSIM_CHECK(w.returned && w.row != kNoRow, "settling a write that returned");
  double last = -std::numeric_limits<double>::infinity();
  int counted = 0;
  if (w.quorum.empty()) {
    // Quorum "all n": every correct server must apply.
    if (static_cast<int>(w.applies) < correct_servers_) return;
    last = w.last_apply_s;
    counted = static_cast<int>(w.applies);
    w.applied = {};  // no longer needed: applies to come only count
  } else {
    if (!w.sorted) {
      std::sort(w.applied.begin(), w.applied.end());
      w.sorted = true;
    }
    for (NodeId s : w.quorum) {
      if (s >= static_cast<NodeId>(n_) || byzantine_[s]) continue;
      auto it = find_apply(w.applied, s);
      if (it == w.applied.end()) return;  // a correct member has not applied yet: wait
      last = std::max(last, it->second);
      ++counted;
    }
  }
  // A quorum without a correct member (only possible in allow_unsafe runs with more than f
  // Byzantine servers) has no apply to wait for: the write counts as done when it returned.
  ops_[w.row].effective_s = counted == 0 ? now_s : last;
}

void Recorder::on_send(MessageType t, uint64_t bytes, bool retransmission) {
  MessageCounters& c = messages_[static_cast<size_t>(t)];
  ++c.sent;
  c.bytes += bytes;
  if (retransmission) ++c.retransmissions;
}

void Recorder::on_deliver(MessageType t) { ++messages_[static_cast<size_t>(t)].delivered; }

void Recorder::on_drop(MessageType t) { ++messages_[static_cast<size_t>(t)].dropped; }

void Recorder::finish(double end_s) {
  (void)end_s;  // pending operations keep return_s NaN: "never returned", not "returned at end"
  for (OpRecord& rec : ops_) {
    if (!rec.returned()) rec.outcome = Outcome::timeout;
  }
  // Writes still waiting for an apply keep effective_s NaN; buffered applies are dropped.
  pending_writes_.clear();
  // Rows in invocation order, ties by op id: operations invoked at one instant on different
  // clients must not be listed in the order an engine happened to run those clients.
  std::stable_sort(ops_.begin(), ops_.end(), [](const OpRecord& a, const OpRecord& b) {
    return a.invoke_s != b.invoke_s ? a.invoke_s < b.invoke_s : a.op < b.op;
  });
  row_of_.clear();
  for (size_t i = 0; i < ops_.size(); ++i) row_of_.emplace(ops_[i].op, i);
  std::stable_sort(buffer_samples_.begin(), buffer_samples_.end(),
                   [](const BufferSample& a, const BufferSample& b) {
                     return a.t_s != b.t_s ? a.t_s < b.t_s : a.client < b.client;
                   });
}

const char* effect_name(FaultEffect e) {
  switch (e) {
    case FaultEffect::dropped: return "dropped";
    case FaultEffect::held: return "held";
    case FaultEffect::held_forever: return "held_forever";
    case FaultEffect::duplicated: return "duplicated";
    case FaultEffect::delayed: return "delayed";
  }
  return "?";
}

void NetworkStats::count(MessageType t, int fault, FaultEffect e) {
  const auto effect = static_cast<size_t>(e);
  ++by_type[static_cast<size_t>(t)][effect];
  if (fault == kPreGst) {
    ++pre_gst[effect];
    return;
  }
  BQSIM_CHECK(fault >= 0, "a fault index or kPreGst");
  if (by_fault.size() <= static_cast<size_t>(fault)) by_fault.resize(static_cast<size_t>(fault) + 1);
  ++by_fault[static_cast<size_t>(fault)][effect];
}

uint64_t Recorder::total_sent() const {
  uint64_t total = 0;
  for (const MessageCounters& c : messages_) total += c.sent;
  return total;
}

uint64_t Recorder::fired_at(NodeId server, const std::string& behaviour) const {
  const auto it = fired_by_server_.find({server, behaviour});
  return it == fired_by_server_.end() ? 0 : it->second;
}

}  // namespace bqsim
