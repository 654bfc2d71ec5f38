#include "adversaries/slow.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"

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

BehaviourEntry slow_behaviour() {
  BehaviourInfo info{
      "slow",
      "answers correctly but late: each send gets an extra delay from its own distribution",
      {OptionSpec("delay", ValueType::distribution, "required",
                  "extra delay per send, an object as network.delay (drawn from the server's "
                  "own stream)")}};
  return {std::move(info), [](const BehaviourBuild& b) {
            return std::make_unique<Slow>(b.spec.from_s, b.spec.until_s,
                                          BehaviourParams(b.spec).distribution("delay"),
                                          Slow::stream(b.ctx, b.script_index));
          }};
}

}  // namespace bqsim
