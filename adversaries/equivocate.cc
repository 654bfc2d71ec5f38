#include "adversaries/equivocate.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/forge.h"
#include "adversaries/registry.h"

#include "adversaries/replies.h"
#include "sim/model/check.h"

namespace bqsim {

Equivocate::Equivocate(double from_s, double until_s, Mode mode, Lie lie, int n, DataKind data,
                       const Coalition* coalition)
    : Behaviour("equivocate", from_s, until_s),
      mode_(mode),
      lie_(lie),
      n_(static_cast<NodeId>(n)),
      data_(data),
      coalition_(coalition) {
  BQSIM_CHECK((lie == Lie::forge) == (coalition != nullptr), "equivocate: coalition iff forge");
  BQSIM_CHECK(lie == Lie::stale || data == DataKind::generic,
              "equivocate: forged lies on self-verifying data");
}

void Equivocate::observe_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)now_s;
  if (lie_ == Lie::stale) history_.observe(msg);
}

bool Equivocate::lies_to(NodeId to) {
  if (mode_ == Mode::by_request) return answers_++ % 2 == 1;
  return to >= n_ && (to - n_) % 2 == 1;
}

const Pair& Equivocate::lie_for(Key key) const {
  return lie_ == Lie::forge ? coalition_->pair() : history_.back(key, 1);
}

Behaviour::Effect Equivocate::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  if (auto* r = std::get_if<ReadReply>(&send.msg)) {
    if (lies_to(send.to) && report_in_read_reply(*r, lie_for(r->key))) {
      return {true, "equivocate_reply"};
    }
  } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
    if (lies_to(send.to) && report_in_ts_reply(*t, lie_for(t->key), data_)) {
      return {true, "equivocate_ts"};
    }
  }
  return {};
}

BehaviourEntry equivocate_behaviour() {
  static const std::vector<std::string> kModes = {"by-client", "by-request"};
  static const std::vector<std::string> kLies = {"stale", "forge"};
  BehaviourInfo info{
      "equivocate",
      "answers clients (or requests) differently: even client indices (or every other "
      "request) get the correct answer, the others a lie",
      {OptionSpec("mode", ValueType::string, "by-client",
                  "by-client: odd client indices get the lie; by-request: every second answer "
                  "does")
           .among(kModes),
       OptionSpec("lie", ValueType::string, "stale",
                  "stale: the pair before the current one; forge: the coalition's pair "
                  "(generic data only)")
           .among(kLies),
       OptionSpec("coalition", ValueType::string, Forge::kDefaultCoalition,
                  "with lie = forge: colluders naming the same coalition report one agreed pair")
           .only_when("lie", "forge")}};
  info.check = [](const BehaviourCheck& c) {
    if (c.text("lie", "stale") == "forge" && c.scenario().data == DataKind::self_verifying) {
      c.fail("lie", "stale (" + c.scenario().protocol +
                        "'s values are signed: forged lies need generic data)");
    }
  };
  return {std::move(info), [](const BehaviourBuild& b) {
            const BehaviourParams p(b.spec);
            const auto mode = static_cast<Equivocate::Mode>(p.choice("mode", "by-client", kModes));
            const auto lie = static_cast<Equivocate::Lie>(p.choice("lie", "stale", kLies));
            const Coalition* coalition = nullptr;
            if (lie == Equivocate::Lie::forge) {
              Coalition& c = b.coalitions.get(Forge::coalition_of(b.spec));
              c.agree(Forge::proposal(b.spec));
              coalition = &c;
            }
            return std::make_unique<Equivocate>(b.spec.from_s, b.spec.until_s, mode, lie,
                                                b.ctx.n, b.ctx.data, coalition);
          }};
}

}  // namespace bqsim
