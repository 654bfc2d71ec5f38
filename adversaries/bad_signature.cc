#include "adversaries/bad_signature.h"

#include <algorithm>

#include "adversaries/registry.h"
#include "adversaries/replies.h"
#include "sim/model/random.h"

namespace bqsim {

Pair BadSignature::pair(uint32_t timestamp_bits) {
  const uint64_t largest =
      timestamp_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << timestamp_bits) - 1;
  Pair p;
  p.value = kForgedBit | (hash_name("bad-signature") & 0xffffffff);
  p.ts = Timestamp{std::min(uint64_t{1} << 62, largest), 0xffffffff};
  p.sig = mix64(hash_name("not a writer's signature")) | 1;
  return p;
}

BadSignature::BadSignature(double from_s, double until_s, uint32_t timestamp_bits)
    : Behaviour("bad-signature", from_s, until_s), pair_(pair(timestamp_bits)) {}

Behaviour::Effect BadSignature::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  if (auto* r = std::get_if<ReadReply>(&send.msg)) {
    if (report_in_read_reply(*r, pair_)) return {true, "bad_signature_reply"};
  } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
    // The signed fields travel on both data kinds here: a generic writer ignores them.
    if (report_in_ts_reply(*t, pair_, DataKind::self_verifying)) return {true, "bad_signature_ts"};
  }
  return {};
}

BehaviourEntry bad_signature_behaviour() {
  BehaviourInfo info{
      "bad-signature",
      "answers with a made-up pair whose signature does not verify (self-verifying data: what "
      "a correct reader must drop; generic data: an unvouched forgery)"};
  return {std::move(info), [](const BehaviourBuild& b) {
            return std::make_unique<BadSignature>(b.spec.from_s, b.spec.until_s,
                                                  b.ctx.timestamp_bits);
          }};
}

}  // namespace bqsim
