#include "adversaries/coalition.h"

#include <utility>

#include "sim/model/check.h"

namespace bqsim {

Coalition::Coalition(std::string name) : name_(std::move(name)) {}

const Pair& Coalition::agree(const Pair& proposal) {
  if (members_ == 0) pair_ = proposal;
  ++members_;
  return pair_;
}

const Pair& Coalition::pair() const {
  BQSIM_CHECK(members_ > 0, "coalition pair read before any member agreed");
  return pair_;
}

}  // namespace bqsim
