#include "adversaries/ts_inflate.h"

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

}  // namespace bqsim
