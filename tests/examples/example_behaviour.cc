// A TEST-ONLY adversary behaviour, written as the README's "Adding an adversary behaviour"
// says: a Behaviour subclass and its entry (declaration, own rule, factory) in one file,
// registered by one line of the test registry (registry.cc here, as adversaries/registry.cc for
// real behaviours). Nothing in sim/ names it.
//
// drop-first: drops the first `count` read requests of one client, then behaves correctly.
#include <memory>
#include <string>

#include "adversaries/behaviour_params.h"
#include "tests/examples/registry.h"

namespace bqsim::test {
namespace {

class DropFirst : public Behaviour {
 public:
  DropFirst(double from_s, double until_s, NodeId client_node, uint64_t count)
      : Behaviour("drop-first", from_s, until_s), client_node_(client_node), left_(count) {}

  bool drops_incoming(NodeId from, const Message& msg, double now_s) override {
    (void)now_s;
    if (left_ == 0 || from != client_node_ || type_of(msg) != MessageType::read) return false;
    --left_;
    return true;
  }

 private:
  NodeId client_node_;
  uint64_t left_;
};

}  // namespace

BehaviourEntry drop_first_behaviour() {
  BehaviourInfo info{
      "drop-first",
      "drops the first count read requests of one client, then answers correctly",
      {OptionSpec("client", ValueType::integer, "0", "the client whose reads it drops")
           .range(0, 999999),
       OptionSpec("count", ValueType::integer, "1", "how many of its reads").range(1, 1000)}};
  info.check = [](const BehaviourCheck& c) {
    if (c.count("client", 0) >= c.scenario().clients) {
      c.fail("client",
             "a client index below workload.clients = " + std::to_string(c.scenario().clients));
    }
  };
  return {std::move(info), [](const BehaviourBuild& b) {
            const BehaviourParams p(b.spec);
            const auto client = static_cast<NodeId>(b.ctx.n + p.unsigned64("client", 0));
            return std::make_unique<DropFirst>(b.spec.from_s, b.spec.until_s, client,
                                               p.unsigned64("count", 1));
          }};
}

}  // namespace bqsim::test
