#include "adversaries/silent.h"

namespace bqsim {

Silent::Silent(double from_s, double until_s) : Behaviour("silent", from_s, until_s) {}

bool Silent::drops_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)msg;
  (void)now_s;
  return true;
}

}  // namespace bqsim
