#include "adversaries/forge.h"

#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"
#include "sim/model/check.h"
#include "sim/model/random.h"

namespace bqsim {
namespace {

// No client index reaches 2^32 - 1, so no correct writer ever signs with this writer id.
constexpr uint32_t kForgedWriter = 0xffffffff;

}  // namespace

std::string Forge::coalition_of(const BehaviourSpec& spec) {
  return BehaviourParams(spec).string("coalition", kDefaultCoalition);
}

Pair Forge::proposal(const BehaviourSpec& spec) {
  const BehaviourParams p(spec);
  const ValueId derived = kForgedBit | (hash_name(coalition_of(spec)) & 0xffffffff);
  const ValueId value = p.has("value") ? p.unsigned64("value", 0) : derived;
  return Pair{value, Timestamp{p.unsigned64("ts_counter", kDefaultTsCounter), kForgedWriter}, 0};
}

Forge::Forge(const BehaviourSpec& spec, Coalition& coalition)
    : Behaviour("forge", spec.from_s, spec.until_s),
      coalition_(coalition),
      answer_ts_queries_(BehaviourParams(spec).boolean("answer_ts_queries", false)) {
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

BehaviourEntry forge_behaviour() {
  BehaviourInfo info{
      "forge",
      "answers reads with a made-up pair agreed with its coalition, by default with a huge ts",
      {
          OptionSpec("coalition", ValueType::string, Forge::kDefaultCoalition,
                     "colluders naming the same coalition report one agreed pair"),
          OptionSpec("ts_counter", ValueType::integer, std::to_string(Forge::kDefaultTsCounter),
                     "counter of the forged timestamp (the writer id is 0xffffffff)")
              .range(0),
          OptionSpec("value", ValueType::integer, "",
                     "forged value; default: one with the forged bit set, derived from the "
                     "coalition")
              .range(0),
          OptionSpec("answer_ts_queries", ValueType::boolean, "false",
                     "also report the forged timestamp in timestamp phases (inflation, §6)"),
      }};
  info.generic_data_only = true;
  return {std::move(info), [](const BehaviourBuild& b) {
            // The reader rejects forge on self-verifying data: a pair without the writer's
            // signature cannot be forged (§1).
            BQSIM_CHECK(b.ctx.data == DataKind::generic, "forge on self-verifying data");
            return std::make_unique<Forge>(b.spec, b.coalitions.get(Forge::coalition_of(b.spec)));
          }};
}

}  // namespace bqsim
