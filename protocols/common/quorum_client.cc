// QuorumClient, part 1: operations, phases and their timers (see quorum_client.h).
#include "protocols/common/quorum_client.h"

#include <algorithm>
#include <utility>

#include "sim/model/check.h"

namespace bqsim {
namespace {

// Timer ids: (op sequence number << 8) | (timer kind << 4) | phase number. The sequence number
// is 32 bits, so bit 63 (kWorkloadTimerBit) stays clear for the workload driver.
constexpr TimerId kWidenTimer = 0;       // contact: quorum, widen the phase to every server
constexpr TimerId kTimeoutTimer = 1;     // sync-threshold: the phase's time-out T
constexpr TimerId kRetransmitTimer = 2;  // u-protocols: resend to the silent servers
constexpr uint32_t kMaxPhases = 15;      // phase numbers fit in 4 bits
// Up to this many bitmap words (n <= 128), a finished operation's storage is kept for reuse.
constexpr size_t kKeptBitmapWords = 2;

TimerId timer_id(OpId op, uint8_t phase_no, TimerId kind) {
  return ((op & 0xffffffffULL) << 8) | (kind << 4) | phase_no;
}

}  // namespace

QuorumClient::QuorumClient(const NodeContext& ctx, ClientMechanics mechanics)
    : ctx_(ctx),
      mech_(mechanics),
      counter_mask_(ctx.timestamp_bits >= 64 ? ~uint64_t{0}
                                             : (uint64_t{1} << ctx.timestamp_bits) - 1),
      bitmap_words_((static_cast<size_t>(ctx.n) + 63) / 64),
      rng_(ctx.seed, "client", ctx.id),
      pool_(ctx.client_index,
            mechanics.buffer_pool ? static_cast<uint32_t>(std::max(ctx.options.buffers, 0)) : 0,
            static_cast<uint32_t>(ctx.n)) {
  // TEST-ONLY mutants that change numbers (mutation.h); a no-op for Mutation::none.
  ctx_.quorum = mutate_quorum(ctx.mutation, ctx.quorum);
  const QuorumSizes& q = ctx.quorum;
  BQSIM_CHECK(q.n == ctx.n && ctx.n >= 1, "quorum sizes do not match the membership");
  BQSIM_CHECK(ctx.timestamp_bits >= 1 && ctx.timestamp_bits <= 64, "timestamp_bits out of range");
  BQSIM_CHECK(ctx.data == DataKind::generic || ctx.signer != nullptr,
              "self-verifying data needs the writer's signer");
  // A write that waits for no acknowledgement is complete only because it reaches everyone
  // (§3: SBQ writes go to all n), so it must be sent to all.
  BQSIM_CHECK(q.write_acks > 0 || q.write_reach == q.n, "unacknowledged writes must reach all n");
  // After T a timed phase trusts that it holds every correct server's reply (§5), which is
  // true only if it asked every server.
  BQSIM_CHECK(!mech_.phase_timeout || ctx.options.contact == Contact::all,
              "timed phases need contact: all");
  BQSIM_CHECK(!mech_.retransmit || (ctx.options.retransmit_initial_s > 0 &&
                                    ctx.options.retransmit_cap_s > 0 &&
                                    ctx.options.retransmit_backoff >= 1),
              "retransmission time-outs must be positive and non-decreasing");
}

QuorumClient::OpState* QuorumClient::find(OpId op) {
  const auto it = locate(op);
  return it == index_.end() || it->first != op ? nullptr : slots_[it->second].state.get();
}

const QuorumClient::OpState* QuorumClient::find(OpId op) const {
  return const_cast<QuorumClient*>(this)->find(op);
}

std::vector<std::pair<OpId, uint32_t>>::iterator QuorumClient::locate(OpId op) {
  return std::lower_bound(index_.begin(), index_.end(), op,
                          [](const std::pair<OpId, uint32_t>& e, OpId id) { return e.first < id; });
}

void QuorumClient::start(const Operation& op, double now_s, Outbox& out) {
  (void)now_s;
  BQSIM_CHECK((op.id >> 32) == ctx_.client_index, "operation id of another client");
  BQSIM_CHECK(find(op.id) == nullptr, "operation started twice");
  // FIRST (§5): an operation beyond the buffer pool waits; its invocation already happened.
  if (pool_.admit(op, out)) launch(op, out);
}

void QuorumClient::launch(const Operation& op, Outbox& out) {
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  // Operations launch in invocation order (FIRST admits them in order), so appending keeps
  // the index sorted.
  BQSIM_CHECK(index_.empty() || index_.back().first < op.id, "operations launch in order");
  index_.emplace_back(op.id, slot);
  OpState& st = *slots_[slot].state;
  launched_seq_ = std::max(launched_seq_, static_cast<uint32_t>(op.id & 0xffffffffULL));
  st.op = op;
  st.phase_no = 0;
  st.slow = false;
  st.retransmissions = 0;
  begin_phase(st, op.kind == OpKind::write ? Phase::ts : Phase::read, out);
}

void QuorumClient::begin_phase(OpState& st, Phase phase, Outbox& out) {
  const QuorumSizes& q = ctx_.quorum;
  const ProtocolOptions& o = ctx_.options;
  st.phase = phase;
  ++st.phase_no;
  BQSIM_CHECK(st.phase_no <= kMaxPhases, "too many phases for the timer id");
  st.asked.assign(bitmap_words_, 0);
  st.replied.assign(bitmap_words_, 0);
  st.replies = 0;
  st.repliers.clear();
  st.max_counter = 0;
  st.counters.clear();
  st.votes.clear();
  st.have_best = false;

  // contact: all sends to every server (§4, the default). contact: quorum sends to as many
  // random servers as the phase needs replies from and widens to the rest after
  // contact_widen_s [MR's load-saving variant].
  int target = q.n;
  if (o.contact == Contact::quorum) {
    switch (phase) {
      case Phase::ts: target = q.ts_replies; break;
      case Phase::store: target = q.write_reach; break;
      case Phase::read: target = q.read_replies; break;
    }
  }
  if (phase == Phase::store && q.write_acks == 0 && ctx_.mutation == Mutation::sbq_write_partial) {
    // TEST-ONLY mutant (mutation.h): an unacknowledged store to servers 0..n-f-2 only.
    for (NodeId s = 0; s < static_cast<NodeId>(std::max(1, q.n - q.f - 1)); ++s) {
      set_bit(st.asked, s);
      send_request(st, s, out, false);
    }
  } else if (target >= q.n) {
    for (NodeId s = 0; s < static_cast<NodeId>(q.n); ++s) {
      set_bit(st.asked, s);
      send_request(st, s, out, false);
    }
  } else {
    // Partial Fisher-Yates over the identity: the first `target` entries are the quorum.
    scratch_.resize(static_cast<size_t>(q.n));
    for (NodeId s = 0; s < static_cast<NodeId>(q.n); ++s) scratch_[s] = s;
    for (int i = 0; i < target; ++i) {
      const size_t j = static_cast<size_t>(i) + rng_.below(static_cast<uint64_t>(q.n - i));
      std::swap(scratch_[static_cast<size_t>(i)], scratch_[j]);
      set_bit(st.asked, scratch_[static_cast<size_t>(i)]);
      send_request(st, scratch_[static_cast<size_t>(i)], out, false);
    }
    out.set_timer(o.contact_widen_s, timer_id(st.op.id, st.phase_no, kWidenTimer));
  }

  // An unacknowledged store completes once sent (§4: "SBQ returns as soon as it has sent");
  // its effective completion is the servers' business (write_quorum empty = all n, §2).
  if (phase == Phase::store && q.write_acks == 0) {
    finish_write(st, out);
    return;
  }
  // sync-threshold (§5): the wait ends at T at the latest. timeout_s = 0 should have been
  // resolved to 2 * bound_s by the scenario reader; if it was not, no time-out is safer than
  // an immediate one (that would end every phase with no replies).
  if (mech_.phase_timeout && o.timeout_s > 0) {
    out.set_timer(o.timeout_s + kTimeoutSlack_s, timer_id(st.op.id, st.phase_no, kTimeoutTimer));
  }
  // u-protocols (§5): every wait restarts the back-off at the initial time-out.
  if (mech_.retransmit) {
    st.rto_s = std::min(o.retransmit_initial_s, o.retransmit_cap_s);
    out.set_timer(st.rto_s, timer_id(st.op.id, st.phase_no, kRetransmitTimer));
  }
}

void QuorumClient::send_request(const OpState& st, NodeId to, Outbox& out,
                                bool retransmission) const {
  const Operation& op = st.op;
  switch (st.phase) {
    case Phase::ts: out.send(to, TsQuery{op.id, op.key}, retransmission); break;
    case Phase::store: out.send(to, WriteRequest{op.id, op.key, st.written}, retransmission); break;
    case Phase::read: out.send(to, ReadRequest{op.id, op.key}, retransmission); break;
  }
}

void QuorumClient::on_timer(TimerId id, double now_s, Outbox& out) {
  (void)now_s;
  const OpId op = make_op_id(ctx_.client_index, static_cast<uint32_t>(id >> 8));
  OpState* st = find(op);
  // The operation finished or moved to another phase: the timer is stale.
  if (st == nullptr || (id & 0xf) != st->phase_no) return;
  switch ((id >> 4) & 0xf) {
    case kWidenTimer: widen(*st, out); break;
    case kTimeoutTimer: time_out(*st, out); break;
    case kRetransmitTimer: retransmit(*st, out); break;
    default: BQSIM_CHECK(false, "a timer kind this client never sets");
  }
}

void QuorumClient::widen(OpState& st, Outbox& out) {
  for (NodeId s = 0; s < static_cast<NodeId>(ctx_.n); ++s) {
    if (test_bit(st.asked, s)) continue;
    set_bit(st.asked, s);
    send_request(st, s, out, false);
  }
}

void QuorumClient::retransmit(OpState& st, Outbox& out) {
  // §5: resend to the servers asked in this phase whose reply has not counted yet (a lost
  // request, a lost reply, or a reply that did not qualify, like an ack for another ts), and
  // wait longer next time.
  for (NodeId s = 0; s < static_cast<NodeId>(ctx_.n); ++s) {
    if (!test_bit(st.asked, s) || test_bit(st.replied, s)) continue;
    send_request(st, s, out, true);
    ++st.retransmissions;
  }
  const ProtocolOptions& o = ctx_.options;
  st.rto_s = std::min(st.rto_s * o.retransmit_backoff, o.retransmit_cap_s);
  out.set_timer(st.rto_s, timer_id(st.op.id, st.phase_no, kRetransmitTimer));
}

void QuorumClient::time_out(OpState& st, Outbox& out) {
  // §5 sync-threshold: by T synchrony has delivered every correct server's reply, so the phase
  // goes on with what it has: the timestamp phase picks from the counters it got, the store
  // phase returns, the read applies the vouch rule (bottom if nothing qualifies).
  st.slow = true;
  switch (st.phase) {
    case Phase::ts: finish_ts_phase(st, out); break;
    case Phase::store: finish_write(st, out); break;
    case Phase::read: finish_read(st, out); break;
  }
}

void QuorumClient::complete(OpState& st, OpCompleted done, Outbox& out) {
  done.slow = st.slow;
  done.retransmissions = st.retransmissions;
  out.emit(std::move(done));
  const auto it = locate(st.op.id);
  free_slots_.push_back(it->second);
  index_.erase(it);
  // Between operations a client of a large system keeps no per-server storage (tens of KiB
  // at n = 3001, times ten thousand clients); a small one keeps it for the next operation.
  if (bitmap_words_ > kKeptBitmapWords) {
    st.asked = {};
    st.replied = {};
    st.repliers = {};
    st.counters = {};
    st.votes = {};
  }
  // LAST (§5), then the oldest waiting operations whose buffers are free now.
  pool_.release(out);
  Operation next{};
  while (pool_.next_admitted(next, out)) launch(next, out);
}

}  // namespace bqsim
