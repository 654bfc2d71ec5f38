#include "sim/model/types.h"

#include <cinttypes>
#include <cstdio>

namespace bqsim {

std::string value_label(ValueId v) {
  if (v == kInitialValue) return "init";
  char buf[48];
  if ((v & kForgedBit) != 0) {
    std::snprintf(buf, sizeof buf, "forged:%" PRIx64, v & ~kForgedBit);
  } else {
    std::snprintf(buf, sizeof buf, "c%" PRIu64 ".%" PRIu64, static_cast<uint64_t>((v >> 32) - 1),
                  static_cast<uint64_t>(v & 0xffffffffULL));
  }
  return buf;
}

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
