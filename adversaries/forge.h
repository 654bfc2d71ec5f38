// forge (PROTOCOLS.md §6, generic data only): answers reads with a made-up pair, by default
// with a huge timestamp, agreed with its coalition so that colluders' replies vote together.
// Optionally it also reports the forged timestamp in timestamp phases (inflation).
#pragma once

#include "adversaries/behaviour.h"
#include "adversaries/coalition.h"
#include "sim/input/scenario.h"

namespace bqsim {

class Forge : public Behaviour {
 public:
  // The pair this forger proposes for its coalition: value = spec.value, or a value with
  // kForgedBit set derived from the coalition's name (so the checker recognises it as never
  // written); ts = (spec.ts_counter, writer 0xffffffff, which no client has); unsigned.
  static Pair proposal(const BehaviourSpec& spec);

  // Joins `coalition` (which fixes the pair if this is its first member).
  Forge(const BehaviourSpec& spec, Coalition& coalition);

  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  const Coalition& coalition_;
  bool answer_ts_queries_;
};

}  // namespace bqsim
