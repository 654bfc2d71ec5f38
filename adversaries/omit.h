// omit (PROTOCOLS.md §6, "selective omission"): drops the messages of chosen clients and types.
//   clients:   client indices (0-based) whose messages it drops; empty: every client;
//   types:     message types it drops (requests ts_query, read, write arrive; replies
//              ts_reply, read_reply, write_ack leave); empty: every type;
//   direction: in (requests before the server sees them: it neither answers nor applies),
//              out (the server's replies, after it handled the request), or both.
// A message is dropped when it matches all three. A type of the other direction never matches
// (types = [read_reply] with direction in drops nothing). Fires "drop" for an incoming and
// "drop_reply" for an outgoing message.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "adversaries/behaviour.h"
#include "sim/model/messages.h"

namespace bqsim {

class Omit : public Behaviour {
 public:
  enum class Direction { in, out, both };

  // `n`: clients are nodes n, n+1, ... (client index = node id - n).
  Omit(double from_s, double until_s, std::vector<uint64_t> clients,
       std::vector<MessageType> types, Direction direction, int n);

  bool drops_incoming(NodeId from, const Message& msg, double now_s) override;
  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  bool matches(NodeId client_node, MessageType type) const;

  std::vector<uint64_t> clients_;  // sorted; empty: all
  std::array<bool, kMessageTypes> types_{};
  bool in_;
  bool out_;
  NodeId n_;
};

}  // namespace bqsim
