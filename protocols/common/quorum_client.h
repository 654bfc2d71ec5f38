// The generic client of bqsim's quorum protocols (PROTOCOLS.md §4). Protocols differ only in
// numbers (QuorumSizes), data kind and options, so one client serves them all: a protocol is a
// parameter set, not a copy (STYLE.md).
//
// Every operation is a sequence of phases; a phase sends one request type to a set of servers
// and waits for a number of replies from distinct servers:
//   write: timestamp phase (TsQuery, q.ts_replies TsReply) then store phase (WriteRequest,
//          q.write_acks WriteAck, or none: the write then completes as soon as it is sent);
//   read:  read phase (ReadRequest, q.read_replies ReadReply), then the vouch rule.
// Mechanics of later protocols hook into the phase: a time-out ending the wait (sync-threshold)
// and resends to the silent servers (u-protocols) are per-phase timers like the contact widening.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/core/node.h"
#include "sim/core/protocol.h"
#include "sim/core/random.h"

namespace bqsim {

class QuorumClient : public ClientLogic {
 public:
  // REQUIRES: ctx.quorum from quorum_sizes(); ctx.signer set for self-verifying data;
  // 1 <= ctx.timestamp_bits <= 64.
  explicit QuorumClient(const NodeContext& ctx);

  // REQUIRES: op.id == make_op_id(ctx.client_index, seq) and not already in flight.
  void start(const Operation& op, double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;

  size_t in_flight() const { return index_.size(); }

 private:
  enum class Phase : uint8_t { ts, store, read };
  struct Vote {
    Pair pair;
    int votes;
  };
  // Per-operation state. Slots are recycled, so their vectors keep their capacity and a
  // steady-state operation allocates nothing but its index entry.
  struct OpState {
    Operation op{};
    Phase phase = Phase::read;
    uint8_t phase_no = 0;            // 1, 2, ...: timer ids carry it, so stale timers are ignored
    std::vector<uint64_t> asked;     // bitmap: servers sent this phase's request
    std::vector<uint64_t> replied;   // bitmap: servers whose reply counted
    std::vector<NodeId> repliers;    // in arrival order (an MR write's quorum)
    std::vector<uint64_t> counters;  // timestamp phase: counters reported
    std::vector<Vote> votes;         // generic read: identical pairs and their voters
    Pair best{};                     // self-verifying read: the valid pair with the largest ts
    bool have_best = false;
    Pair written{};  // write: the pair of the store phase
  };

  OpState* find(OpId op);
  // Starts `phase` of `st`: clears the reply state and sends the request.
  void begin_phase(OpState& st, Phase phase, Outbox& out);
  void send_request(const OpState& st, NodeId to, Outbox& out) const;
  // Counts a reply from `from` if it was asked and has not replied yet in this phase.
  bool accept(OpState& st, NodeId from);
  void on_ts_reply(OpState& st, NodeId from, const TsReply& m, Outbox& out);
  void on_write_ack(OpState& st, NodeId from, const WriteAck& m, Outbox& out);
  void on_read_reply(OpState& st, NodeId from, const ReadReply& m, Outbox& out);
  Timestamp choose_ts(OpState& st);
  void finish_read(OpState& st, Outbox& out);
  void complete(OpState& st, OpCompleted done, Outbox& out);
  bool valid_signature(Key key, const Pair& p) const;

  NodeContext ctx_;
  uint64_t counter_mask_;  // counters wrap modulo 2^timestamp_bits (§6, timestamp inflation)
  size_t bitmap_words_;
  Rng rng_;                      // contact: quorum only
  std::vector<NodeId> scratch_;  // contact: quorum's random permutation, reused
  std::vector<OpState> slots_;
  std::vector<uint32_t> free_slots_;
  std::unordered_map<OpId, uint32_t> index_;
  std::unordered_map<Key, uint64_t> last_counter_;  // the last counter this writer used per key
};

}  // namespace bqsim
