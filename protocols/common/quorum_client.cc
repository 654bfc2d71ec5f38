#include "protocols/common/quorum_client.h"

#include <algorithm>
#include <functional>
#include <type_traits>
#include <utility>

#include "sim/core/check.h"

namespace bqsim {
namespace {

// Timer ids: (op sequence number << 8) | (timer kind << 4) | phase number. The sequence number
// is 32 bits, so bit 63 (kWorkloadTimerBit) stays clear for the workload driver.
constexpr TimerId kWidenTimer = 0;   // contact: quorum, widen the phase to every server
constexpr uint32_t kMaxPhases = 15;  // phase numbers fit in 4 bits

TimerId timer_id(OpId op, uint8_t phase_no, TimerId kind) {
  return ((op & 0xffffffffULL) << 8) | (kind << 4) | phase_no;
}

bool test_bit(const std::vector<uint64_t>& bits, NodeId i) {
  return (bits[i >> 6] >> (i & 63)) & 1;
}
void set_bit(std::vector<uint64_t>& bits, NodeId i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }

}  // namespace

QuorumClient::QuorumClient(const NodeContext& ctx)
    : ctx_(ctx),
      counter_mask_(ctx.timestamp_bits >= 64 ? ~uint64_t{0}
                                             : (uint64_t{1} << ctx.timestamp_bits) - 1),
      bitmap_words_((static_cast<size_t>(ctx.n) + 63) / 64),
      rng_(ctx.seed, "client", ctx.id) {
  const QuorumSizes& q = ctx.quorum;
  BQSIM_CHECK(q.n == ctx.n && ctx.n >= 1, "quorum sizes do not match the membership");
  BQSIM_CHECK(ctx.timestamp_bits >= 1 && ctx.timestamp_bits <= 64, "timestamp_bits out of range");
  BQSIM_CHECK(ctx.data == DataKind::generic || ctx.signer != nullptr,
              "self-verifying data needs the writer's signer");
  // A write that waits for no acknowledgement is complete only because it reaches everyone
  // (§3: SBQ writes go to all n), so it must be sent to all.
  BQSIM_CHECK(q.write_acks > 0 || q.write_reach == q.n, "unacknowledged writes must reach all n");
}

QuorumClient::OpState* QuorumClient::find(OpId op) {
  const auto it = index_.find(op);
  return it == index_.end() ? nullptr : &slots_[it->second];
}

void QuorumClient::start(const Operation& op, double now_s, Outbox& out) {
  (void)now_s;
  BQSIM_CHECK((op.id >> 32) == ctx_.client_index, "operation id of another client");
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  BQSIM_CHECK(index_.emplace(op.id, slot).second, "operation started twice");
  OpState& st = slots_[slot];
  st.op = op;
  st.phase_no = 0;
  begin_phase(st, op.kind == OpKind::write ? Phase::ts : Phase::read, out);
}

void QuorumClient::begin_phase(OpState& st, Phase phase, Outbox& out) {
  const QuorumSizes& q = ctx_.quorum;
  st.phase = phase;
  ++st.phase_no;
  BQSIM_CHECK(st.phase_no <= kMaxPhases, "too many phases for the timer id");
  st.asked.assign(bitmap_words_, 0);
  st.replied.assign(bitmap_words_, 0);
  st.repliers.clear();
  st.counters.clear();
  st.votes.clear();
  st.have_best = false;

  // contact: all sends to every server (§4, the default). contact: quorum sends to as many
  // random servers as the phase needs replies from and widens to the rest after
  // contact_widen_s [MR's load-saving variant].
  int target = q.n;
  if (ctx_.options.contact == Contact::quorum) {
    switch (phase) {
      case Phase::ts: target = q.ts_replies; break;
      case Phase::store: target = q.write_reach; break;
      case Phase::read: target = q.read_replies; break;
    }
  }
  if (target >= q.n) {
    for (NodeId s = 0; s < static_cast<NodeId>(q.n); ++s) {
      set_bit(st.asked, s);
      send_request(st, s, out);
    }
  } else {
    // Partial Fisher-Yates over the identity: the first `target` entries are the quorum.
    scratch_.resize(static_cast<size_t>(q.n));
    for (NodeId s = 0; s < static_cast<NodeId>(q.n); ++s) scratch_[s] = s;
    for (int i = 0; i < target; ++i) {
      const size_t j = static_cast<size_t>(i) + rng_.below(static_cast<uint64_t>(q.n - i));
      std::swap(scratch_[static_cast<size_t>(i)], scratch_[j]);
      set_bit(st.asked, scratch_[static_cast<size_t>(i)]);
      send_request(st, scratch_[static_cast<size_t>(i)], out);
    }
    out.set_timer(ctx_.options.contact_widen_s, timer_id(st.op.id, st.phase_no, kWidenTimer));
  }

  // An unacknowledged store completes once sent (§4: "SBQ returns as soon as it has sent");
  // its effective completion is the servers' business (write_quorum empty = all n, §2).
  if (phase == Phase::store && q.write_acks == 0) {
    OpCompleted done;
    done.op = st.op.id;
    done.pair = st.written;
    complete(st, std::move(done), out);
  }
}

void QuorumClient::send_request(const OpState& st, NodeId to, Outbox& out) const {
  const Operation& op = st.op;
  switch (st.phase) {
    case Phase::ts: out.send(to, TsQuery{op.id, op.key}); break;
    case Phase::store: out.send(to, WriteRequest{op.id, op.key, st.written}); break;
    case Phase::read: out.send(to, ReadRequest{op.id, op.key}); break;
  }
}

void QuorumClient::on_timer(TimerId id, double now_s, Outbox& out) {
  (void)now_s;
  const OpId op = make_op_id(ctx_.client_index, static_cast<uint32_t>(id >> 8));
  OpState* st = find(op);
  // The operation finished or moved to another phase: the timer is stale.
  if (st == nullptr || (id & 0xf) != st->phase_no) return;
  if (((id >> 4) & 0xf) == kWidenTimer) {
    for (NodeId s = 0; s < static_cast<NodeId>(ctx_.n); ++s) {
      if (test_bit(st->asked, s)) continue;
      set_bit(st->asked, s);
      send_request(*st, s, out);
    }
  }
}

bool QuorumClient::accept(OpState& st, NodeId from) {
  // Channels are authenticated (§1): a reply from a server that was not asked, or a second
  // reply from one that already answered, must not add a vote.
  if (from >= static_cast<NodeId>(ctx_.n) || !test_bit(st.asked, from) ||
      test_bit(st.replied, from)) {
    return false;
  }
  set_bit(st.replied, from);
  st.repliers.push_back(from);
  return true;
}

void QuorumClient::on_message(NodeId from, const Message& msg, double now_s, Outbox& out) {
  (void)now_s;
  // Replies for finished operations are late: delivered and counted by the engine, ignored here.
  OpState* st = find(op_of(msg));
  if (st == nullptr || key_of(msg) != st->op.key) return;
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, TsReply>) {
          if (st->phase == Phase::ts) on_ts_reply(*st, from, m, out);
        } else if constexpr (std::is_same_v<M, WriteAck>) {
          if (st->phase == Phase::store) on_write_ack(*st, from, m, out);
        } else if constexpr (std::is_same_v<M, ReadReply>) {
          if (st->phase == Phase::read) on_read_reply(*st, from, m, out);
        }
        // Requests are server-bound; a client ignores them.
      },
      msg);
}

void QuorumClient::on_ts_reply(OpState& st, NodeId from, const TsReply& m, Outbox& out) {
  if (!accept(st, from)) return;
  // The counter field is timestamp_bits wide on the wire (§6), so a reported counter is read
  // modulo 2^bits like the counter the client computes.
  st.counters.push_back(m.ts.counter & counter_mask_);
  if (static_cast<int>(st.repliers.size()) < ctx_.quorum.ts_replies) return;
  st.written = Pair{st.op.value, choose_ts(st), 0};
  if (ctx_.data == DataKind::self_verifying) {
    st.written.sig = ctx_.signer->sign(st.op.key, st.written.value, st.written.ts);
  }
  begin_phase(st, Phase::store, out);
}

Timestamp QuorumClient::choose_ts(OpState& st) {
  std::vector<uint64_t>& c = st.counters;
  uint64_t base;
  if (ctx_.options.ts_choice == TsChoice::max) {
    base = *std::max_element(c.begin(), c.end());  // §4 step 1
  } else {
    // §4 "f+1-th": the (f+1)-th largest counter, which at least one correct replier vouches
    // for, so f inflated replies cannot push it up. With fewer replies, the smallest.
    const size_t k = std::min(static_cast<size_t>(ctx_.f), c.size() - 1);
    std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(k), c.end(),
                     std::greater<>());
    base = c[k];
  }
  // A writer never reuses a counter for a key. An SBQ write returns before it reaches the
  // servers, so the client's next timestamp phase may not see it: without this, two of its
  // writes could carry the same timestamp and different values.
  uint64_t& last = last_counter_[st.op.key];
  base = std::max(base, last);
  // Unsigned arithmetic wraps; the mask makes it wrap at 2^timestamp_bits.
  last = (base + 1) & counter_mask_;
  return Timestamp{last, ctx_.client_index + 1};
}

void QuorumClient::on_write_ack(OpState& st, NodeId from, const WriteAck& m, Outbox& out) {
  if (m.ts != st.written.ts || !accept(st, from)) return;
  if (static_cast<int>(st.repliers.size()) < ctx_.quorum.write_acks) return;
  OpCompleted done;
  done.op = st.op.id;
  done.pair = st.written;
  done.write_quorum = st.repliers;  // the servers that acked, in arrival order (§2)
  complete(st, std::move(done), out);
}

void QuorumClient::on_read_reply(OpState& st, NodeId from, const ReadReply& m, Outbox& out) {
  if (!accept(st, from)) return;
  if (ctx_.data == DataKind::generic) {
    // Votes for identical pairs; a handful of distinct pairs at most, so a linear scan.
    auto it = std::find_if(st.votes.begin(), st.votes.end(),
                           [&](const Vote& v) { return v.pair == m.pair; });
    if (it == st.votes.end()) {
      st.votes.push_back(Vote{m.pair, 1});
    } else {
      ++it->votes;
    }
  } else if (valid_signature(m.key, m.pair) && (!st.have_best || st.best.ts < m.pair.ts)) {
    st.best = m.pair;
    st.have_best = true;
  }
  if (static_cast<int>(st.repliers.size()) >= ctx_.quorum.read_replies) finish_read(st, out);
}

bool QuorumClient::valid_signature(Key key, const Pair& p) const {
  // The initial pair is known to every party and never signed; any other pair must carry the
  // writer's signature (§1: adversaries can replay but not forge).
  return p == Pair{} || ctx_.signer->verify(key, p);
}

void QuorumClient::finish_read(OpState& st, Outbox& out) {
  OpCompleted done;
  done.op = st.op.id;
  done.outcome = Outcome::bottom;
  if (ctx_.data == DataKind::generic) {
    // §4 read step 2: keep pairs vouched for by >= f+1 distinct servers, return the one with
    // the largest ts; ties keep the first to arrive, so the choice is deterministic.
    for (const Vote& v : st.votes) {
      if (v.votes < ctx_.quorum.vouch) continue;
      if (done.outcome == Outcome::bottom || done.pair.ts < v.pair.ts) {
        done.pair = v.pair;
        done.outcome = Outcome::ok;
      }
    }
  } else if (st.have_best) {
    done.pair = st.best;
    done.outcome = Outcome::ok;
  }
  complete(st, std::move(done), out);
}

void QuorumClient::complete(OpState& st, OpCompleted done, Outbox& out) {
  out.emit(std::move(done));
  const auto it = index_.find(st.op.id);
  free_slots_.push_back(it->second);
  index_.erase(it);
}

}  // namespace bqsim
