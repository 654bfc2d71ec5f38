#include "adversaries/equivocate.h"

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

}  // namespace bqsim
