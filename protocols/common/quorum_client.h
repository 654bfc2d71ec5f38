// The generic client of bqsim's quorum protocols (PROTOCOLS.md §4). Protocols differ only in
// numbers (QuorumSizes), data kind, options and the waiting mechanics below, so one client serves
// them all: a protocol is a parameter set, not a copy (STYLE.md).
//
// Every operation is a sequence of phases; a phase sends one request type to a set of servers
// and waits for a number of replies from distinct servers:
//   write: timestamp phase (TsQuery, q.ts_replies TsReply) then store phase (WriteRequest,
//          q.write_acks WriteAck, or none: the write then completes as soon as it is sent);
//   read:  read phase (ReadRequest, q.read_replies ReadReply), then the vouch rule.
// Per-phase timers add the mechanics of later protocols (ClientMechanics): widening a
// `contact: quorum` phase to every server, ending the wait at the time-out (sync-threshold), and
// resending to the silent servers with back-off (u-protocols). Timer ids carry the operation and
// the phase number, so the timers of a phase that already ended are recognised and ignored.
// The u-protocols' finite buffers (BufferPool) gate when an operation may start at all.
//
// Self-verifying data (§1): the writer signs (key, value, ts) and pays options.sign_cpu_s; every
// reply whose pair the client checks (ReadReply, and TsReply: see on_ts_reply) costs
// options.verify_cpu_s. The initial pair {value 0, ts (0,0), unsigned} is valid by convention:
// every party knows it and nobody ever signed it.
//
// The code is split by concern: quorum_client.cc runs operations, phases and timers;
// quorum_client_replies.cc counts replies and decides what a phase returns.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "protocols/common/buffer_pool.h"
#include "protocols/common/quorum_protocol.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"
#include "sim/model/random.h"

namespace bqsim {

class QuorumClient : public ClientLogic {
 public:
  // A timed-out phase ends this long after options.timeout_s, so that a reply due exactly at T
  // (delay = bound, T = 2 * bound, up to the rounding of the arrival time) still counts: on a
  // synchronous network the bound is inclusive, and a read that missed such replies could
  // return bottom or an old pair. 1 ns is SimGrid's timing precision.
  static constexpr double kTimeoutSlack_s = 1e-9;

  // REQUIRES: ctx.quorum from quorum_sizes(); ctx.signer set for self-verifying data;
  // 1 <= ctx.timestamp_bits <= 64; with mechanics.phase_timeout, contact all (a timed-out phase
  // must have asked every correct server); with mechanics.buffer_pool, options.buffers is 0 or
  // >= n.
  explicit QuorumClient(const NodeContext& ctx, ClientMechanics mechanics = {});

  // REQUIRES: op.id == make_op_id(ctx.client_index, seq) and not already started.
  void start(const Operation& op, double now_s, Outbox& out) override;
  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  void on_timer(TimerId id, double now_s, Outbox& out) override;

  // Exploration (quorum_client_explore.cc): a copy, the fingerprint of the running
  // operations, and the replies that can never count again (finished operations, phases left).
  std::unique_ptr<ClientLogic> clone() const override;
  bool hash_state(StateHasher& h) const override;
  bool ignores_forever(NodeId from, const Message& msg) const override;

  // Operations running (they hold buffers), and operations waiting for buffers.
  size_t in_flight() const { return index_.size(); }
  size_t waiting() const { return pool_.waiting(); }
  uint32_t buffers_in_use() const { return pool_.in_use(); }

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
    bool slow = false;               // a phase ended at the time-out (sync-threshold)
    uint32_t retransmissions = 0;    // requests resent, over all phases (u-protocols)
    double rto_s = 0;                // the phase's next retransmission time-out
    std::vector<uint64_t> asked;     // bitmap: servers sent this phase's request
    std::vector<uint64_t> replied;   // bitmap: servers whose reply counted
    uint32_t replies = 0;            // replies counted this phase
    std::vector<NodeId> repliers;    // acknowledged store phase: ackers in arrival order
    uint64_t max_counter = 0;        // timestamp phase, ts_choice max: the largest reported
    std::vector<uint64_t> counters;  // timestamp phase, ts_choice f+1-th: counters reported
    std::vector<Vote> votes;         // generic read: identical pairs and their voters
    Pair best{};                     // self-verifying read: the valid pair with the largest ts
    bool have_best = false;
    Pair written{};  // write: the pair of the store phase
  };

  // quorum_client.cc: operations, phases, timers.
  OpState* find(OpId op);
  const OpState* find(OpId op) const;
  std::vector<std::pair<OpId, uint32_t>>::iterator locate(OpId op);  // lower bound in index_
  void launch(const Operation& op, Outbox& out);  // after FIRST
  // Starts `phase` of `st`: clears the reply state, sends the request and arms the timers.
  void begin_phase(OpState& st, Phase phase, Outbox& out);
  void send_request(const OpState& st, NodeId to, Outbox& out, bool retransmission) const;
  void widen(OpState& st, Outbox& out);
  void retransmit(OpState& st, Outbox& out);
  void time_out(OpState& st, Outbox& out);
  // Emits `done` and frees the slot (LAST), then starts operations waiting for buffers.
  // `st` is dead afterwards.
  void complete(OpState& st, OpCompleted done, Outbox& out);

  // quorum_client_replies.cc: replies, timestamps, vouching.
  // Counts a reply from `from` if it was asked and has not replied yet in this phase.
  bool accept(OpState& st, NodeId from);
  void on_ts_reply(OpState& st, NodeId from, const TsReply& m, Outbox& out);
  void on_write_ack(OpState& st, NodeId from, const WriteAck& m, Outbox& out);
  void on_read_reply(OpState& st, NodeId from, const ReadReply& m, Outbox& out);
  void finish_ts_phase(OpState& st, Outbox& out);  // choose and sign the pair, then store
  void finish_write(OpState& st, Outbox& out);
  void finish_read(OpState& st, Outbox& out);
  Timestamp choose_ts(OpState& st);
  bool valid_signature(Key key, const Pair& p) const;

  static bool test_bit(const std::vector<uint64_t>& bits, NodeId i) {
    return (bits[i >> 6] >> (i & 63)) & 1;
  }
  static void set_bit(std::vector<uint64_t>& bits, NodeId i) {
    bits[i >> 6] |= uint64_t{1} << (i & 63);
  }

  NodeContext ctx_;
  ClientMechanics mech_;
  uint64_t counter_mask_;  // counters wrap modulo 2^timestamp_bits (§6, timestamp inflation)
  size_t bitmap_words_;
  Rng rng_;                      // contact: quorum only
  std::vector<NodeId> scratch_;  // contact: quorum's random permutation, reused
  BufferPool pool_;
  // An OpState owned alone, so that it stays put while complete() starts a waiting operation
  // (a deque would too, but an empty one already holds a block, and runs have tens of
  // thousands of clients); copied deeply with the client (exploration clones it).
  struct Slot {
    std::unique_ptr<OpState> state = std::make_unique<OpState>();
    Slot() = default;
    Slot(const Slot& o) : state(std::make_unique<OpState>(*o.state)) {}
    Slot(Slot&&) noexcept = default;
    Slot& operator=(const Slot& o) {
      state = std::make_unique<OpState>(*o.state);
      return *this;
    }
    Slot& operator=(Slot&&) noexcept = default;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  // Running operations and their slots, sorted by id (a client runs a handful at once).
  std::vector<std::pair<OpId, uint32_t>> index_;
  std::unordered_map<Key, uint64_t> last_counter_;  // the last counter this writer used per key
  // The largest sequence number launched: a reply naming an operation at or below it that is
  // not running belongs to a finished operation (op ids are never reused).
  uint32_t launched_seq_ = 0;
};

}  // namespace bqsim
