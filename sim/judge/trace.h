// What a run records: one row per operation and message counters per type (INTERFACE.md
// "Outputs of one run"). The Recorder turns trace events into these; it has no SimGrid in it.
#pragma once

#include <array>
#include <cmath>
#include <limits>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/node.h"
#include "sim/model/types.h"

namespace bqsim {

class MessageTrace;  // sim/judge/message_trace.h

inline constexpr double kNever = std::numeric_limits<double>::quiet_NaN();

struct OpRecord {
  OpId op = 0;
  uint32_t client = 0;
  Key key = 0;
  OpKind kind = OpKind::read;
  double invoke_s = 0;
  double return_s = kNever;     // NaN: never returned
  double effective_s = kNever;  // writes: when the last correct server of its quorum applied it
  ValueId value = 0;            // writes: value written; reads: value returned (if ok)
  Timestamp ts{};               // writes: ts chosen; reads: ts returned (if ok)
  Outcome outcome = Outcome::timeout;
  bool slow = false;
  uint32_t retransmissions = 0;
  bool returned() const { return !std::isnan(return_s); }
  bool effective() const { return !std::isnan(effective_s); }
};

struct MessageCounters {
  uint64_t sent = 0;       // handed to the network (includes retransmissions)
  uint64_t delivered = 0;  // handed to the receiver's logic
  uint64_t dropped = 0;    // lost by the network
  uint64_t bytes = 0;      // bytes sent
  uint64_t retransmissions = 0;  // sends marked as retransmissions
};

// One change of a client's buffer occupancy (finite buffers, PROTOCOLS.md §5).
struct BufferSample {
  double t_s;
  uint32_t client;
  uint32_t in_use;
  uint32_t capacity;
};

// What the network's scheduled faults (and the pre-GST hold) did to messages. The network
// model (sim/run/link_model.h) decides and counts here, so the outputs find it beside the
// message counters.
enum class FaultEffect : uint8_t { dropped, held, held_forever, duplicated, delayed };
inline constexpr size_t kFaultEffects = 5;
// "dropped", "held", "held_forever", "duplicated", "delayed".
const char* effect_name(FaultEffect e);
using FaultCounts = std::array<uint64_t, kFaultEffects>;

struct NetworkStats {
  static constexpr int kPreGst = -1;  // the `fault` of count() for the pre-GST hold

  std::array<FaultCounts, kMessageTypes> by_type{};
  std::vector<FaultCounts> by_fault;  // index in network.faults (grows on demand)
  FaultCounts pre_gst{};              // pre_gst_hold: held only
  // partial synchrony: messages delivered that were sent before GST, how many of them took
  // longer than bound_s, and the longest network delay of one sent from GST on.
  uint64_t before_gst = 0;
  uint64_t above_bound_before_gst = 0;
  uint64_t after_gst = 0;
  double max_delay_after_gst_s = 0;

  void count(MessageType t, int fault, FaultEffect e);
  uint64_t of_type(MessageType t, FaultEffect e) const {
    return by_type[static_cast<size_t>(t)][static_cast<size_t>(e)];
  }
};

// Collects a run's trace. The engine calls on_* in simulated-time order.
class Recorder {
 public:
  // byzantine[s] is true for Byzantine servers: their applies do not count for effective
  // completion. REQUIRES: byzantine.size() == n.
  Recorder(int n, std::vector<bool> byzantine);

  void on_event(const TraceEvent& e, double now_s);
  void on_send(MessageType t, uint64_t bytes, bool retransmission);
  void on_deliver(MessageType t);
  void on_drop(MessageType t);

  // Ends the run: operations still pending are given up (outcome timeout). Rows are then in
  // invocation order with ties by op id, and buffer samples by time with ties by client, so
  // no output depends on how an engine ordered simultaneous events on different nodes.
  void finish(double end_s);

  const std::vector<OpRecord>& ops() const { return ops_; }  // in invocation order
  const std::array<MessageCounters, kMessageTypes>& messages() const { return messages_; }
  // "behaviour/action" -> times fired, over all servers.
  const std::map<std::string, uint64_t>& fired() const { return fired_; }
  // Times any action of `behaviour` fired at `server`.
  uint64_t fired_at(NodeId server, const std::string& behaviour) const;
  uint64_t total_sent() const;
  NetworkStats& network() { return network_; }
  const NetworkStats& network() const { return network_; }
  const std::vector<BufferSample>& buffer_samples() const { return buffer_samples_; }
  // Largest occupancy seen and whether any sample exceeded its pool's capacity.
  uint32_t max_buffers_in_use() const { return max_buffers_in_use_; }
  bool buffer_overflow() const { return buffer_overflow_; }

  // An optional per-message trace (bqsim run --trace-messages), fed by the runtime when set;
  // null (the default) costs the runtime one pointer test per message. Not owned.
  void set_message_trace(MessageTrace* trace) { message_trace_ = trace; }
  MessageTrace* message_trace() const { return message_trace_; }

 private:
  // A write until its effective completion. Applies are O(1) each, so a write costs O(n)
  // however many servers there are (n = 3001 in the largest runs).
  struct PendingWrite {
    size_t row;
    std::vector<NodeId> quorum;                      // empty: all servers
    std::vector<uint64_t> seen;                      // bitmap: correct servers that applied
    uint32_t applies = 0;                            // bits set in `seen`
    double last_apply_s = -std::numeric_limits<double>::infinity();
    // Each first apply's time, kept only while the quorum may be an explicit list (until the
    // write returns with one): "all servers" needs only the count and the last time.
    std::vector<std::pair<NodeId, double>> applied;
    bool sorted = true;  // `applied` in server order
    bool returned = false;
  };
  PendingWrite new_pending(size_t row) const;
  void settle_write(PendingWrite& w, double now_s);

  int n_;
  std::vector<bool> byzantine_;
  int correct_servers_;
  std::vector<OpRecord> ops_;
  std::unordered_map<OpId, size_t> row_of_;
  std::unordered_map<OpId, PendingWrite> pending_writes_;
  std::array<MessageCounters, kMessageTypes> messages_{};
  std::map<std::string, uint64_t> fired_;
  std::map<std::pair<NodeId, std::string>, uint64_t> fired_by_server_;
  std::vector<BufferSample> buffer_samples_;
  uint32_t max_buffers_in_use_ = 0;
  bool buffer_overflow_ = false;
  NetworkStats network_;
  MessageTrace* message_trace_ = nullptr;
};

}  // namespace bqsim
