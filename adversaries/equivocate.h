// equivocate (PROTOCOLS.md §6, "answers different clients (or different requests)
// differently"): some answers are correct, the others carry a lie.
//   mode = by-client:  replies to clients with an even index are correct, to odd ones a lie;
//   mode = by-request: answers alternate, correct first, counting every read and timestamp
//                      reply sent while active;
//   lie = stale:  the pair held before the current one (as stale with k = 1; the initial pair
//                 if nothing older was held), valid on any data;
//   lie = forge:  the pair agreed by its coalition (as forge), generic data only.
// Only answers lie (read replies and timestamp replies); write acks pass unchanged. Fires
// equivocate_reply / equivocate_ts for each answer it changed.
#pragma once

#include <cstdint>

#include "adversaries/behaviour.h"
#include "adversaries/coalition.h"
#include "adversaries/pair_history.h"
#include "sim/model/types.h"

namespace bqsim {

class Equivocate : public Behaviour {
 public:
  enum class Mode { by_client, by_request };
  enum class Lie { stale, forge };

  // `n`: clients are nodes n, n+1, ... (client index = node id - n). REQUIRES: coalition
  // non-null iff lie is forge, and then data is generic (a signed pair cannot be forged, §1).
  Equivocate(double from_s, double until_s, Mode mode, Lie lie, int n, DataKind data,
             const Coalition* coalition);

  void observe_incoming(NodeId from, const Message& msg, double now_s) override;
  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  bool lies_to(NodeId to);
  const Pair& lie_for(Key key) const;

  Mode mode_;
  Lie lie_;
  NodeId n_;
  DataKind data_;
  const Coalition* coalition_;
  PairHistory history_{1};
  uint64_t answers_ = 0;  // by-request: answers sent while active
};

}  // namespace bqsim
