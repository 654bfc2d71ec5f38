#include "adversaries/ts_inflate.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"

#include "sim/model/check.h"

namespace bqsim {

uint64_t TsInflate::reported_counter(uint64_t margin, uint32_t timestamp_bits) {
  BQSIM_CHECK(timestamp_bits >= 1 && timestamp_bits <= 64, "timestamp_bits out of range");
  const uint64_t max = timestamp_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << timestamp_bits) - 1;
  BQSIM_CHECK(margin <= max, "ts-inflate: margin above the largest counter");
  return max - margin;
}

TsInflate::TsInflate(double from_s, double until_s, uint64_t margin, uint32_t timestamp_bits)
    : Behaviour("ts-inflate", from_s, until_s),
      counter_(reported_counter(margin, timestamp_bits)) {}

Behaviour::Effect TsInflate::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  auto* t = std::get_if<TsReply>(&send.msg);
  if (t == nullptr || (t->ts.counter == counter_ && t->sig == 0)) return {};
  t->ts.counter = counter_;
  t->sig = 0;  // the inflated ts was never signed, and the adversary cannot sign it
  return {true, "inflate_ts"};
}

BehaviourEntry ts_inflate_behaviour() {
  BehaviourInfo info{
      "ts-inflate",
      "reports a counter near the largest in timestamp phases, so max-choosing writers wrap "
      "(timestamp inflation; unsigned, so useless on signed data)",
      {OptionSpec("margin", ValueType::integer, std::to_string(TsInflate::kDefaultMargin),
                  "report 2^timestamp_bits - 1 - margin (at most 2^timestamp_bits - 1)")
           .range(0)}};
  info.check = [](const BehaviourCheck& c) {
    // The reported counter 2^bits - 1 - margin must be a counter of that width.
    const uint32_t bits = c.scenario().timestamp_bits;
    const uint64_t largest = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    if (c.count("margin", 0) > largest) {
      c.fail("margin", "an integer <= 2^timestamp_bits - 1 = " + std::to_string(largest));
    }
  };
  return {std::move(info), [](const BehaviourBuild& b) {
            return std::make_unique<TsInflate>(
                b.spec.from_s, b.spec.until_s,
                BehaviourParams(b.spec).unsigned64("margin", TsInflate::kDefaultMargin),
                b.ctx.timestamp_bits);
          }};
}

}  // namespace bqsim
