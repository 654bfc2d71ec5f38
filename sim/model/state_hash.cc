#include "sim/model/state_hash.h"

#include <type_traits>
#include <variant>

#include "sim/model/random.h"

namespace bqsim {

void StateHasher::add(uint64_t x) {
  a_ = mix64(a_ ^ x);
  b_ = mix64(b_ + x * 0xd6e8feb86659fd93ULL + 0x632be59bd9b4e019ULL);
}

void StateHasher::add(const Message& m) {
  add(static_cast<uint64_t>(m.index()));
  std::visit(
      [&](const auto& x) {
        using M = std::decay_t<decltype(x)>;
        add(x.op);
        add(x.key);
        if constexpr (std::is_same_v<M, TsReply>) {
          add(x.ts);
          add(x.value);
          add(x.sig);
        } else if constexpr (std::is_same_v<M, ReadReply> || std::is_same_v<M, WriteRequest>) {
          add(x.pair);
        } else if constexpr (std::is_same_v<M, WriteAck>) {
          add(x.ts);
        }
      },
      m);
}

Hash128 StateHasher::digest() const { return Hash128{mix64(a_ ^ 0x5851f42d4c957f2dULL), mix64(b_)}; }

}  // namespace bqsim
