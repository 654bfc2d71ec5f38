#include "adversaries/forge.h"

#include "sim/model/random.h"

namespace bqsim {
namespace {

// No client index reaches 2^32 - 1, so no correct writer ever signs with this writer id.
constexpr uint32_t kForgedWriter = 0xffffffff;

}  // namespace

Pair Forge::proposal(const BehaviourSpec& spec) {
  const ValueId value = spec.value.value_or(kForgedBit | (hash_name(spec.coalition) & 0xffffffff));
  return Pair{value, Timestamp{spec.ts_counter, kForgedWriter}, 0};
}

Forge::Forge(const BehaviourSpec& spec, Coalition& coalition)
    : Behaviour("forge", spec.from_s, spec.until_s),
      coalition_(coalition),
      answer_ts_queries_(spec.answer_ts_queries) {
  coalition.agree(proposal(spec));
}

Behaviour::Effect Forge::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  const Pair& forged = coalition_.pair();
  if (auto* r = std::get_if<ReadReply>(&send.msg)) {
    if (r->pair == forged) return {};  // nothing to change: not counted as fired
    r->pair = forged;
    return {true, "forge_reply"};
  }
  if (auto* t = std::get_if<TsReply>(&send.msg); t != nullptr && answer_ts_queries_) {
    if (t->ts == forged.ts) return {};
    t->ts = forged.ts;
    return {true, "forge_ts"};
  }
  return {};
}

}  // namespace bqsim
