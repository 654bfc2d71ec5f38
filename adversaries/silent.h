// silent / crash (PROTOCOLS.md §6): the server never sees a message in its window, so it
// neither answers nor applies writes; outside the window it is the correct server.
#pragma once

#include "adversaries/behaviour.h"

namespace bqsim {

class Silent : public Behaviour {
 public:
  Silent(double from_s, double until_s);
  bool drops_incoming(NodeId from, const Message& msg, double now_s) override;
};

}  // namespace bqsim
