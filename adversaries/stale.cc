#include "adversaries/stale.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/registry.h"

#include "adversaries/replies.h"
#include "sim/model/check.h"

namespace bqsim {
namespace {

const Pair kInitialPair{};

}  // namespace

Stale::Stale(double from_s, double until_s, Which which, size_t k, DataKind data)
    : Behaviour("stale", from_s, until_s),
      which_(which),
      k_(k),
      data_(data),
      // oldest needs no history: the initial pair is known to everyone.
      history_(which == Which::oldest ? 0 : k) {
  BQSIM_CHECK(which == Which::oldest || (k >= 1 && k <= PairHistory::kMaxDepth),
              "stale: k out of range");
}

void Stale::observe_incoming(NodeId from, const Message& msg, double now_s) {
  (void)from;
  (void)now_s;
  if (which_ == Which::kth_newest) history_.observe(msg);
}

const Pair& Stale::replayed(Key key) const {
  return which_ == Which::oldest ? kInitialPair : history_.back(key, k_);
}

Behaviour::Effect Stale::rewrite_outgoing(Send& send, double now_s) {
  (void)now_s;
  if (auto* r = std::get_if<ReadReply>(&send.msg)) {
    if (report_in_read_reply(*r, replayed(r->key))) return {true, "stale_reply"};
  } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
    if (report_in_ts_reply(*t, replayed(t->key), data_)) return {true, "stale_ts"};
  }
  return {};
}

BehaviourEntry stale_behaviour() {
  static const std::vector<std::string> kWhich = {"oldest", "k-th-newest"};
  BehaviourInfo info{
      "stale",
      "answers reads and timestamp queries with an older pair it once held (a replay: valid "
      "on signed data too)",
      {OptionSpec("which", ValueType::string, "k-th-newest",
                  "oldest: the initial pair; k-th-newest: the pair held k writes before the "
                  "current")
           .among(kWhich),
       // k picks among held pairs; "oldest" is always the initial pair.
       OptionSpec("k", ValueType::integer, std::to_string(Stale::kDefaultK),
                  "with which = k-th-newest: 1 is the pair before the current (the initial pair "
                  "if fewer were held)")
           .range(1, static_cast<double>(PairHistory::kMaxDepth))
           .only_when("which", "k-th-newest")}};
  return {std::move(info), [](const BehaviourBuild& b) {
            const BehaviourParams p(b.spec);
            const auto which = static_cast<Stale::Which>(p.choice("which", "k-th-newest", kWhich));
            return std::make_unique<Stale>(b.spec.from_s, b.spec.until_s, which,
                                           p.unsigned64("k", Stale::kDefaultK), b.ctx.data);
          }};
}

}  // namespace bqsim
