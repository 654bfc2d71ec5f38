// silent (PROTOCOLS.md §6, "never answers"): the server never sees a message in its window,
// so it neither answers nor applies writes; outside the window it is the correct server. For
// a server that stops for good, crash (crash.h) says so by name.
#pragma once

#include "adversaries/behaviour.h"

namespace bqsim {

class Silent : public Behaviour {
 public:
  Silent(double from_s, double until_s);
  bool drops_incoming(NodeId from, const Message& msg, double now_s) override;
};

}  // namespace bqsim
