#include "adversaries/slow.h"

#include <utility>

namespace bqsim {

Rng Slow::stream(const NodeContext& ctx, uint32_t script_index) {
  return Rng(ctx.seed, "adversary", (uint64_t{script_index} << 32) | ctx.id);
}

Slow::Slow(double from_s, double until_s, Distribution delay, Rng rng)
    : Behaviour("slow", from_s, until_s), delay_(delay), rng_(std::move(rng)) {}

Behaviour::Effect Slow::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  const double d = delay_.sample(rng_);
  if (!(d > 0)) return {};
  send.extra_delay_s += d;
  return {true, "delay"};
}

}  // namespace bqsim
