// An optional record of every message of a run (`bqsim run --trace-messages`, off by
// default): when it was sent, by whom to whom, its type, operation and timestamp, and when it
// was delivered or that the network lost it. It is written as messages_trace.csv and drawn by
// `bqsim-plot flow` as the space-time diagram of an operation. The runtime feeds it only when
// the Recorder holds one, so a run without the flag does no work for it.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/types.h"

namespace bqsim {

class MessageTrace {
 public:
  // n: the number of servers (node ids below n are servers, the rest clients).
  explicit MessageTrace(int n) : n_(n) {}

  // A message handed to the network at send_s. (from, counter) names it until it is
  // delivered: the sender's own event counter (sim/run/event.h). lost: the network dropped it.
  void on_send(double send_s, NodeId from, NodeId to, const Message& m, uint64_t counter,
               bool retransmission, bool lost);
  // The message (from, counter) handed to its receiver at deliver_s. A second delivery of
  // one send (a duplicated copy) gets a row of its own.
  void on_deliver(NodeId from, uint64_t counter, double deliver_s);

  size_t size() const { return rows_.size(); }
  // One row per message in send order: send_s, deliver_s (empty unless delivered), outcome
  // (delivered | dropped | in-flight: still travelling when the run ended), from, to
  // (server:K or client:K), type, op_id, ts (counter.writer; empty for a message without
  // one), retransmission (0|1).
  void write_csv(std::ostream& out) const;
  std::string csv() const;  // the same text, for tests

 private:
  struct Row {
    double send_s;
    double deliver_s;  // NaN until delivered
    OpId op;
    Timestamp ts;
    NodeId from, to;
    MessageType type;
    bool has_ts;
    bool retransmission;
    bool lost;
  };
  std::string node_name(NodeId id) const;

  int n_;
  std::vector<Row> rows_;
  // row_of_[from][counter]: the row of the send `from` made with that counter (kNoRow for
  // its timers and lost sends). A node's counters are dense, so this is a flat index, about
  // 8 bytes per event instead of a map node per message.
  static constexpr uint64_t kNoRow = ~uint64_t{0};
  std::vector<std::vector<uint64_t>> row_of_;
};

}  // namespace bqsim
