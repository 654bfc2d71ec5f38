#include "adversaries/stale.h"

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

}  // namespace bqsim
