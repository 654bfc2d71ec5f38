#include "adversaries/omit.h"

#include <algorithm>
#include <utility>

namespace bqsim {

Omit::Omit(double from_s, double until_s, std::vector<uint64_t> clients,
           std::vector<MessageType> types, Direction direction, int n)
    : Behaviour("omit", from_s, until_s),
      clients_(std::move(clients)),
      in_(direction != Direction::out),
      out_(direction != Direction::in),
      n_(static_cast<NodeId>(n)) {
  std::sort(clients_.begin(), clients_.end());
  if (types.empty()) types_.fill(true);
  for (MessageType t : types) types_[static_cast<size_t>(t)] = true;
}

bool Omit::matches(NodeId client_node, MessageType type) const {
  if (client_node < n_ || !types_[static_cast<size_t>(type)]) return false;
  return clients_.empty() ||
         std::binary_search(clients_.begin(), clients_.end(), uint64_t{client_node - n_});
}

bool Omit::drops_incoming(NodeId from, const Message& msg, double now_s) {
  (void)now_s;
  return in_ && matches(from, type_of(msg));
}

Behaviour::Effect Omit::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  if (out_ && matches(send.to, type_of(send.msg))) return {false, "drop_reply"};
  return {};
}

}  // namespace bqsim
