#include "sim/core/types.h"

namespace bqsim {

std::string to_string(Timestamp ts) {
  return std::to_string(ts.counter) + "." + std::to_string(ts.writer);
}

std::string_view to_string(OpKind k) { return k == OpKind::read ? "read" : "write"; }

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::ok: return "ok";
    case Outcome::bottom: return "bottom";
    case Outcome::timeout: return "timeout";
  }
  return "?";
}

std::string_view to_string(DataKind d) {
  return d == DataKind::generic ? "generic" : "self-verifying";
}

std::string_view to_string(Semantics s) {
  switch (s) {
    case Semantics::safe: return "safe";
    case Semantics::regular: return "regular";
    case Semantics::atomic: return "atomic";
  }
  return "?";
}

}  // namespace bqsim
