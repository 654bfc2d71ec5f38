#include "adversaries/replies.h"

namespace bqsim {

bool report_in_read_reply(ReadReply& r, const Pair& p) {
  if (r.pair == p) return false;
  r.pair = p;
  return true;
}

bool report_in_ts_reply(TsReply& t, const Pair& p, DataKind data) {
  if (data == DataKind::generic) {
    if (t.ts == p.ts) return false;
    t.ts = p.ts;
    return true;
  }
  if (t.ts == p.ts && t.value == p.value && t.sig == p.sig) return false;
  t.ts = p.ts;
  t.value = p.value;
  t.sig = p.sig;
  return true;
}

}  // namespace bqsim
