// bad-signature (PROTOCOLS.md §1, §6): on self-verifying data a Byzantine server cannot forge a
// writer's signature, but it can always send a pair whose signature does not verify. This
// behaviour answers reads with such a pair (a value nobody wrote, a huge timestamp, a
// signature that is not the writer's) and timestamp queries with its timestamp, so that
// attack search and exploration stage what a correct reader must drop: a reader that accepts
// the pair returns a value no write produced (the checker's forged-value). On generic data
// there is no signature to check and the pair is an uncoordinated forgery, which the f+1 vote
// masks. Fires bad_signature_reply / bad_signature_ts.
#pragma once

#include <cstdint>

#include "adversaries/behaviour.h"
#include "sim/model/types.h"

namespace bqsim {

class BadSignature : public Behaviour {
 public:
  // The pair it reports: value with kForgedBit, ts (min(2^62, largest counter), writer
  // 0xffffffff, which no client has), and a non-zero signature no signer produced for it (a
  // keyed hash under no writer's secret; an accidental match has probability 2^-64).
  static Pair pair(uint32_t timestamp_bits);

  BadSignature(double from_s, double until_s, uint32_t timestamp_bits);

  Effect rewrite_outgoing(Send& send, double now_s) override;

 private:
  Pair pair_;
};

}  // namespace bqsim
