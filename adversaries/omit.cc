#include "adversaries/omit.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"
#include "sim/model/check.h"

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

namespace {

const std::vector<std::string>& message_type_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (size_t t = 0; t < kMessageTypes; ++t) {
      names.emplace_back(type_name(static_cast<MessageType>(t)));
    }
    return names;
  }();
  return kNames;
}

}  // namespace

BehaviourEntry omit_behaviour() {
  static const std::vector<std::string> kDirections = {"in", "out", "both"};
  BehaviourInfo info{
      "omit",
      "drops the messages of chosen clients and types, going in, out or both",
      // Indices below the reader's client limit (10^6); the rule below also checks them
      // against workload.clients.
      {OptionSpec("clients", ValueType::integer_list, "all",
                  "client indices whose messages are dropped; absent or empty: every client")
           .range(0, 999999),
       OptionSpec("types", ValueType::string_list, "all",
                  "message types dropped (ts_query, read, write arrive; ts_reply, read_reply, "
                  "write_ack leave); absent or empty: every type")
           .among(message_type_names()),
       OptionSpec("direction", ValueType::string, "both",
                  "in: requests before the server sees them; out: its replies; both")
           .among(kDirections)}};
  info.check = [](const BehaviourCheck& c) {
    // An index beyond the workload's clients would silently drop nothing.
    const std::vector<uint64_t> clients = c.counts("clients");
    for (size_t i = 0; i < clients.size(); ++i) {
      if (clients[i] >= c.scenario().clients) {
        c.fail_item("clients", i,
                    "a client index below workload.clients = " +
                        std::to_string(c.scenario().clients));
      }
    }
  };
  return {std::move(info), [](const BehaviourBuild& b) {
            const BehaviourParams p(b.spec);
            const auto& names = message_type_names();
            std::vector<MessageType> types;
            for (const std::string& t : p.string_list("types")) {
              const auto it = std::find(names.begin(), names.end(), t);
              BQSIM_CHECK(it != names.end(), "omit: a message type the reader should have refused");
              types.push_back(static_cast<MessageType>(it - names.begin()));
            }
            const auto direction =
                static_cast<Omit::Direction>(p.choice("direction", "both", kDirections));
            return std::make_unique<Omit>(b.spec.from_s, b.spec.until_s,
                                          p.unsigned_list("clients"), std::move(types), direction,
                                          b.ctx.n);
          }};
}

}  // namespace bqsim
