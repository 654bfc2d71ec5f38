// QuorumClient, part 2: counting replies, choosing timestamps, vouching (see quorum_client.h).
#include <algorithm>
#include <functional>
#include <type_traits>
#include <utility>

#include "protocols/common/quorum_client.h"

namespace bqsim {

bool QuorumClient::accept(OpState& st, NodeId from) {
  // Channels are authenticated (§1): a reply from a server that was not asked, or a second
  // reply from one that already answered (a duplicate, or the answer to a resent request),
  // must not add a vote.
  if (from >= static_cast<NodeId>(ctx_.n) || !test_bit(st.asked, from) ||
      test_bit(st.replied, from)) {
    return false;
  }
  set_bit(st.replied, from);
  ++st.replies;
  // Who replied matters only as an acknowledged write's quorum (finish_write); elsewhere a
  // count does, and a list of n entries per client would cost tens of KiB at n = 3001.
  if (st.phase == Phase::store && ctx_.quorum.write_acks > 0 && !mech_.phase_timeout) {
    st.repliers.push_back(from);
  }
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
  uint64_t counter = m.ts.counter;
  if (ctx_.data == DataKind::self_verifying) {
    // §6: on self-verifying data a timestamp must come with the signed pair it belongs to. A
    // reply whose (key, value, ts, sig) fails verification still counts as a reply (the
    // quorum arithmetic already holds a correct server with the latest completed write's
    // valid pair, and ignoring liars would only lengthen the wait), but it vouches for counter
    // 0, which never raises the choice: a Byzantine server cannot inflate timestamps.
    out.charge_cpu(ctx_.options.verify_cpu_s);
    if (!valid_signature(m.key, Pair{m.value, m.ts, m.sig})) counter = 0;
  }
  // The counter field is timestamp_bits wide on the wire (§6), so a reported counter is read
  // modulo 2^bits like the counter the client computes.
  // "max" needs only the largest counter; "f+1-th" needs them all.
  if (ctx_.options.ts_choice == TsChoice::max) {
    st.max_counter = std::max(st.max_counter, counter & counter_mask_);
  } else {
    st.counters.push_back(counter & counter_mask_);
  }
  if (static_cast<int>(st.replies) >= ctx_.quorum.ts_replies) finish_ts_phase(st, out);
}

void QuorumClient::finish_ts_phase(OpState& st, Outbox& out) {
  st.written = Pair{st.op.value, choose_ts(st), 0};
  if (ctx_.data == DataKind::self_verifying) {
    st.written.sig = ctx_.signer->sign(st.op.key, st.written.value, st.written.ts);
    out.charge_cpu(ctx_.options.sign_cpu_s);
  }
  begin_phase(st, Phase::store, out);
}

Timestamp QuorumClient::choose_ts(OpState& st) {
  std::vector<uint64_t>& c = st.counters;
  // No reply at all happens only to a timed-out phase (sync-threshold): start from 0.
  uint64_t base = 0;
  if (ctx_.options.ts_choice == TsChoice::max) {
    base = st.max_counter;  // §4 step 1 (0 without replies)
  } else if (!c.empty()) {
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
  // TEST-ONLY mutant (mutation.h): forgetting `last` lets a timestamp be chosen twice.
  if (ctx_.mutation != Mutation::writer_reuses_counter) base = std::max(base, last);
  // Unsigned arithmetic wraps; the mask makes it wrap at 2^timestamp_bits.
  last = (base + 1) & counter_mask_;
  return Timestamp{last, ctx_.client_index + 1};
}

void QuorumClient::on_write_ack(OpState& st, NodeId from, const WriteAck& m, Outbox& out) {
  if (m.ts != st.written.ts || !accept(st, from)) return;
  if (static_cast<int>(st.replies) >= ctx_.quorum.write_acks) finish_write(st, out);
}

void QuorumClient::finish_write(OpState& st, Outbox& out) {
  OpCompleted done;
  done.op = st.op.id;
  done.pair = st.written;
  // §2 effective completion: MR and U-writes count the servers that acked, in arrival order.
  // Unacknowledged (SBQ) and timed (sync-threshold) writes count "all n" (empty): their reads
  // rely on the write reaching every correct server, not on the ackers (a timed write may
  // return on T with fewer acks, and two sets of n - t servers meet in only n - 2t).
  if (ctx_.quorum.write_acks > 0 && !mech_.phase_timeout) done.write_quorum = st.repliers;
  // TEST-ONLY mutant (mutation.h): the partial store counts its n-f-1 targets as its quorum.
  if (ctx_.quorum.write_acks == 0 && ctx_.mutation == Mutation::sbq_write_partial) {
    for (NodeId s = 0; s < static_cast<NodeId>(ctx_.n); ++s) {
      if (test_bit(st.asked, s)) done.write_quorum.push_back(s);
    }
  }
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
  } else {
    // §4 read step 2: drop pairs with invalid signatures. Every counted reply is checked and
    // costs verify_cpu_s, so a read costs r verifications (more only on a timed-out phase).
    out.charge_cpu(ctx_.options.verify_cpu_s);
    // TEST-ONLY mutant (mutation.h): a reader that skips the signature check.
    const bool valid = ctx_.mutation == Mutation::accept_bad_signature ||
                       valid_signature(m.key, m.pair);
    if (valid && (!st.have_best || st.best.ts < m.pair.ts)) {
      st.best = m.pair;
      st.have_best = true;
    }
  }
  if (static_cast<int>(st.replies) >= ctx_.quorum.read_replies) finish_read(st, out);
}

bool QuorumClient::valid_signature(Key key, const Pair& p) const {
  // The initial pair is known to every party and never signed, so it is valid by convention
  // (a server that never saw a write holds it); any other pair must carry the writer's
  // signature (§1: adversaries can replay but not forge).
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

}  // namespace bqsim
