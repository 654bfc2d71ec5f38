#include "adversaries/crash.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"

#include "sim/input/scenario.h"

namespace bqsim {

Crash::Crash(double at_s) : Behaviour("crash", at_s, kForever) {}

bool Crash::drops_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)msg;
  (void)now_s;
  return true;
}

BehaviourEntry crash_behaviour() {
  BehaviourInfo info{
      "crash",
      "crashes at at_s for good: from then on drops every message, never answers or applies "
      "writes (no from_s/until_s: use silent for a window)",
      {OptionSpec("at_s", ValueType::number, "0", "simulated time of the crash (seconds)")
           .range(0)}};
  info.at_key = "at_s";
  return {std::move(info), [](const BehaviourBuild& b) {
            const double at_s = BehaviourParams(b.spec).number("at_s", Crash::kDefaultAtS);
            return std::make_unique<Crash>(at_s);
          }};
}

}  // namespace bqsim
