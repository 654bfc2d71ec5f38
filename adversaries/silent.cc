#include "adversaries/silent.h"
#include "adversaries/registry.h"

namespace bqsim {

Silent::Silent(double from_s, double until_s) : Behaviour("silent", from_s, until_s) {}

bool Silent::drops_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)msg;
  (void)now_s;
  return true;
}

BehaviourEntry silent_behaviour() {
  BehaviourInfo info{"silent", "never answers: drops every message it receives in its window"};
  return {std::move(info), [](const BehaviourBuild& b) {
            return std::make_unique<Silent>(b.spec.from_s, b.spec.until_s);
          }};
}

}  // namespace bqsim
