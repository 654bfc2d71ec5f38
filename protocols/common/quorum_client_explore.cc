// QuorumClient, part 3: what exhaustive exploration needs (node.h): a copy, a fingerprint of
// the state that decides the client's future, and the replies it can never count again.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "protocols/common/quorum_client.h"

namespace bqsim {

std::unique_ptr<ClientLogic> QuorumClient::clone() const {
  return std::make_unique<QuorumClient>(*this);
}

bool QuorumClient::hash_state(StateHasher& h) const {
  // Running operations in op-id order (index_ is kept sorted). A recycled slot's leftovers
  // are not state: only the running operations are hashed.
  h.add(index_.size());
  std::vector<uint64_t> counters;
  for (const auto& [op, slot] : index_) {
    const OpState& st = *slots_[slot].state;
    h.add(op);
    h.add(static_cast<uint64_t>(st.op.kind));
    h.add(st.op.key);
    h.add(st.op.value);
    h.add(static_cast<uint64_t>(st.phase));
    h.add(st.phase_no);
    h.add(st.slow);
    h.add(st.retransmissions);
    h.add_double(st.rto_s);
    for (uint64_t w : st.asked) h.add(w);
    // `replied` is the set of repliers; their arrival order (`repliers`) only lists an MR
    // write's quorum, which effective completion reads as a set.
    for (uint64_t w : st.replied) h.add(w);
    // The timestamp choice takes the largest (max_counter) or the (f+1)-th largest: a
    // multiset.
    h.add(st.max_counter);
    counters = st.counters;
    std::sort(counters.begin(), counters.end());
    h.add(counters.size());
    for (uint64_t c : counters) h.add(c);
    // Votes stay in first-arrival order: finish_read breaks ties between equal timestamps by it.
    h.add(st.votes.size());
    for (const Vote& v : st.votes) {
      h.add(v.pair);
      h.add(static_cast<uint64_t>(v.votes));
    }
    h.add(st.have_best);
    if (st.have_best) h.add(st.best);
    h.add(st.written);
  }
  std::vector<std::pair<Key, uint64_t>> last(last_counter_.begin(), last_counter_.end());
  std::sort(last.begin(), last.end());
  h.add(last.size());
  for (const auto& [key, counter] : last) {
    h.add(key);
    h.add(counter);
  }
  h.add(launched_seq_);
  pool_.hash_state(h);
  // contact: quorum draws its quorums from this stream.
  for (int i = 0; i < 4; ++i) h.add(rng_.state_word(i));
  return true;
}

bool QuorumClient::ignores_forever(NodeId from, const Message& msg) const {
  // Requests are server-bound: a client drops them, always.
  if (is_request(type_of(msg))) return true;
  const OpId op = op_of(msg);
  const OpState* running = find(op);
  if (running == nullptr) {
    // Not running: finished if it was launched (op ids are never reused), so late forever.
    // A reply to an operation not launched yet makes no claim.
    return (op >> 32) == ctx_.client_index &&
           static_cast<uint32_t>(op & 0xffffffffULL) <= launched_seq_;
  }
  const OpState& st = *running;
  if (key_of(msg) != st.op.key) return true;
  // Phases only move forward (ts, then store; a read has one phase), so a reply for a phase
  // the operation has left is ignored from now on.
  const MessageType t = type_of(msg);
  if (t == MessageType::ts_reply && st.phase != Phase::ts) return true;
  if (t == MessageType::read_reply && st.phase != Phase::read) return true;
  if (t == MessageType::write_ack) {
    if (st.phase == Phase::read) return true;
    if (st.phase != Phase::store) return false;  // an ack before the store: no claim
    if (std::get<WriteAck>(msg).ts != st.written.ts) return true;
  }
  // In its phase: a second reply from a server that already counted, or one from a stranger,
  // never counts in this phase, and the phase never comes back. A server not asked yet may
  // be asked when contact: quorum widens, so no claim for it.
  if (from >= static_cast<NodeId>(ctx_.n)) return true;
  return test_bit(st.replied, from);
}

}  // namespace bqsim
