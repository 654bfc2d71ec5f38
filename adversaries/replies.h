// Making a server's answer report another pair, for the behaviours that lie with whole pairs
// (stale, equivocate). Each returns whether the message changed, so a behaviour fires only for
// what it really altered.
#pragma once

#include "sim/model/messages.h"
#include "sim/model/types.h"

namespace bqsim {

// A read reply now carries `p`.
bool report_in_read_reply(ReadReply& r, const Pair& p);
// A timestamp reply now reports `p`'s timestamp. On self-verifying data it also carries `p`'s
// value digest and signature, so a replayed pair stays verifiable; generic data carries
// neither (messages.h), so they are left as the server wrote them.
bool report_in_ts_reply(TsReply& t, const Pair& p, DataKind data);

}  // namespace bqsim
