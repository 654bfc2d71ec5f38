#include "protocols/common/register_server.h"

#include <type_traits>
#include <utility>

#include "sim/model/check.h"

namespace bqsim {
namespace {

// Registers are indices below workload.registers; a key this large means a corrupted message
// or a driver bug, not a scenario (and would make the dense store absurdly large).
constexpr Key kMaxKeys = Key{1} << 24;

const Pair kInitialPair{};  // {kInitialValue, (0, 0), unsigned}: what every server starts with

}  // namespace

RegisterServer::RegisterServer(const NodeContext& ctx)
    : id_(ctx.id),
      acks_(ctx.quorum.write_acks > 0),
      self_verifying_(ctx.data == DataKind::self_verifying),
      accepts_older_(ctx.mutation == Mutation::server_accepts_older) {}

std::unique_ptr<Node> RegisterServer::clone() const {
  return std::make_unique<RegisterServer>(*this);
}

bool RegisterServer::hash_state(StateHasher& h) const {
  // The stored pairs are the whole state. A slot still holding the initial pair answers as an
  // absent one, so only the others count (the vector grows on the first write to a key).
  for (size_t key = 0; key < pairs_.size(); ++key) {
    if (pairs_[key] == kInitialPair) continue;
    h.add(key);
    h.add(pairs_[key]);
  }
  return true;
}

const Pair& RegisterServer::stored(Key key) const {
  return key < pairs_.size() ? pairs_[key] : kInitialPair;
}

Pair& RegisterServer::slot(Key key) {
  BQSIM_CHECK(key < kMaxKeys, "register key out of range");
  if (key >= pairs_.size()) pairs_.resize(size_t{key} + 1);
  return pairs_[key];
}

void RegisterServer::on_message(NodeId from, const Message& msg, double now_s, Outbox& out) {
  (void)now_s;
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, TsQuery>) {
          // Self-verifying data: the stored pair's value and signature travel along, so the
          // writer can check the timestamp was really written (§6); generic data leaves them 0.
          const Pair& p = stored(m.key);
          if (self_verifying_) {
            out.send(from, TsReply{m.op, m.key, p.ts, p.value, p.sig});
          } else {
            out.send(from, TsReply{m.op, m.key, p.ts});
          }
        } else if constexpr (std::is_same_v<M, ReadRequest>) {
          out.send(from, ReadReply{m.op, m.key, stored(m.key)});
        } else if constexpr (std::is_same_v<M, WriteRequest>) {
          // §4: replace only on a larger ts. Either way the server now holds a pair at least
          // as new as the write's, which is what effective completion asks (§2), so the apply
          // is reported every time.
          Pair& p = slot(m.key);
          if (p.ts < m.pair.ts || accepts_older_) p = m.pair;
          // Built in place: Outbox::emit's by-value move trips GCC 12's -Wmaybe-uninitialized
          // false positive on std::variant at -O2. Braced, since clang 14 (the fuzz build)
          // has no parenthesized aggregate initialization.
          out.events.emplace_back(std::in_place_type<WriteApplied>,
                                  WriteApplied{id_, m.op, m.key, m.pair.ts});
          if (acks_) out.send(from, WriteAck{m.op, m.key, m.pair.ts});
        }
        // Replies (TsReply, ReadReply, WriteAck) are client-bound; a server ignores them.
      },
      msg);
}

}  // namespace bqsim
