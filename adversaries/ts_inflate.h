// ts-inflate (PROTOCOLS.md §6, timestamp inflation [paper]): in timestamp phases the server
// reports a counter near the largest a timestamp can hold, 2^timestamp_bits - 1 - margin, so a
// writer that takes the largest counter (ts_choice max) goes past it and wraps to a small one
// (margin 0: to 0), after which its write loses to older ones. ts_choice f+1-th ignores up to
// f such replies. On self-verifying data the reply goes out unsigned (an adversary holds no
// signer), so a writer that checks timestamp replies ignores it: the attack achieves nothing.
// Fires "inflate_ts" for each timestamp reply it changed.
#pragma once

#include <cstdint>

#include "adversaries/behaviour.h"

namespace bqsim {

class TsInflate : public Behaviour {
 public:
  static constexpr uint64_t kDefaultMargin = 0;

  // 2^bits - 1 - margin. REQUIRES: 1 <= bits <= 64, margin <= 2^bits - 1.
  static uint64_t reported_counter(uint64_t margin, uint32_t timestamp_bits);

  TsInflate(double from_s, double until_s, uint64_t margin, uint32_t timestamp_bits);

  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  uint64_t counter_;
};

}  // namespace bqsim
