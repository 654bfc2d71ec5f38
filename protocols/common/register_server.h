// The correct server of every quorum protocol in bqsim (PROTOCOLS.md §4, "Server"). It keeps one
// (value, ts, signature) pair per register and answers each request from that pair alone, so it
// is the same object for every protocol; adversaries wrap it rather than change it (STYLE.md).
// It answers every request it gets, duplicates and retransmissions included (the u-protocols
// rely on it: a resent request must be answered even if the first answer was lost).
#pragma once

#include <memory>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"
#include "sim/model/types.h"

namespace bqsim {

class RegisterServer : public Node {
 public:
  // Acknowledges writes iff the protocol's store phase waits for acknowledgements
  // (ctx.quorum.write_acks > 0: MR, U- and sync protocols; not SBQ, whose writers never learn
  // that a write completed, §3).
  explicit RegisterServer(const NodeContext& ctx);

  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  std::unique_ptr<Node> clone() const override;
  bool hash_state(StateHasher& h) const override;

  // The pair stored for `key` (the initial pair if never written). For tests and for
  // adversaries that replay what the server once held.
  const Pair& stored(Key key) const;
  bool acks_writes() const { return acks_; }

 private:
  Pair& slot(Key key);

  NodeId id_;
  bool acks_;
  bool self_verifying_;  // TsReply carries the stored pair's value and signature (§6)
  bool accepts_older_;   // TEST-ONLY mutant server_accepts_older (mutation.h)
  // Registers are dense indices 0..workload.registers-1, so a vector indexed by key is the
  // cheapest map; it grows on the first request for a key.
  std::vector<Pair> pairs_;
};

}  // namespace bqsim
