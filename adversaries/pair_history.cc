#include "adversaries/pair_history.h"

#include "sim/model/check.h"

namespace bqsim {
namespace {

// As RegisterServer: a key this large is a corrupted message, not a scenario.
constexpr Key kMaxKeys = Key{1} << 24;
const Pair kInitialPair{};

}  // namespace

PairHistory::PairHistory(size_t depth) : depth_(depth) {
  BQSIM_CHECK(depth <= kMaxDepth, "replay depth above PairHistory::kMaxDepth");
}

void PairHistory::observe(const Message& msg) {
  const auto* w = std::get_if<WriteRequest>(&msg);
  if (w == nullptr) return;
  BQSIM_CHECK(w->key < kMaxKeys, "register key out of range");
  if (w->key >= pairs_.size()) pairs_.resize(size_t{w->key} + 1);
  std::deque<Pair>& held = pairs_[w->key];
  if (held.empty()) held.push_back(kInitialPair);
  if (!(held.back().ts < w->pair.ts)) return;
  held.push_back(w->pair);
  if (held.size() > depth_ + 1) held.pop_front();
}

const Pair& PairHistory::back(Key key, size_t k) const {
  BQSIM_CHECK(k <= depth_, "replay deeper than the history keeps");
  if (key >= pairs_.size() || pairs_[key].empty()) return kInitialPair;
  const std::deque<Pair>& held = pairs_[key];
  return k < held.size() ? held[held.size() - 1 - k] : held.front();
}

size_t PairHistory::held(Key key) const {
  return key < pairs_.size() && !pairs_[key].empty() ? pairs_[key].size() : 1;
}

}  // namespace bqsim
