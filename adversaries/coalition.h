// Shared state of colluding servers (STYLE.md: collusion is an explicit shared object handed to
// the colluders). Forgers of one coalition report one agreed pair, so their false replies vote
// together (PROTOCOLS.md §6, forge).
#pragma once

#include <string>

#include "sim/model/types.h"

namespace bqsim {

class Coalition {
 public:
  explicit Coalition(std::string name);

  const std::string& name() const { return name_; }
  // The first member's proposal becomes the agreed pair; every later member gets that pair,
  // whatever it proposed, so members agree however their scripts are written.
  const Pair& agree(const Pair& proposal);
  // REQUIRES: some member has called agree().
  const Pair& pair() const;
  int members() const { return members_; }

 private:
  std::string name_;
  Pair pair_{};
  int members_ = 0;
};

}  // namespace bqsim
