#include "adversaries/crash.h"

#include "sim/input/scenario.h"

namespace bqsim {

Crash::Crash(double at_s) : Behaviour("crash", at_s, kForever) {}

bool Crash::drops_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)msg;
  (void)now_s;
  return true;
}

}  // namespace bqsim
