// forge (PROTOCOLS.md §6, generic data only): answers reads with a made-up pair, by default
// with a huge timestamp, agreed with its coalition so that colluders' replies vote together.
// Optionally it also reports the forged timestamp in timestamp phases (inflation).
// Parameters (declared in forge.cc): coalition, ts_counter, value, answer_ts_queries.
#pragma once

#include <cstdint>
#include <string>

#include "adversaries/behaviour.h"
#include "adversaries/coalition.h"
#include "sim/input/scenario.h"

namespace bqsim {

class Forge : public Behaviour {
 public:
  static constexpr const char* kDefaultCoalition = "default";
  // 2^62: far above any counter a run reaches, still below 2^64 for wrap tests.
  static constexpr uint64_t kDefaultTsCounter = uint64_t{1} << 62;

  // The coalition a forge (or equivocate with lie forge) spec names.
  static std::string coalition_of(const BehaviourSpec& spec);
  // The pair this forger proposes for its coalition: value = the spec's value, or a value with
  // kForgedBit set derived from the coalition's name (so the checker recognises it as never
  // written); ts = (ts_counter, writer 0xffffffff, which no client has); unsigned.
  static Pair proposal(const BehaviourSpec& spec);

  // Joins `coalition` (which fixes the pair if this is its first member).
  Forge(const BehaviourSpec& spec, Coalition& coalition);

  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  const Coalition& coalition_;
  bool answer_ts_queries_;
};

}  // namespace bqsim
