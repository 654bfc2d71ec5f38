#include "sim/model/messages.h"

#include "sim/model/random.h"

namespace bqsim {

std::string_view type_name(MessageType t) {
  static constexpr std::array<std::string_view, kMessageTypes> kNames = {
      "ts_query", "ts_reply", "read", "read_reply", "write", "write_ack"};
  return kNames[static_cast<size_t>(t)];
}

OpKind operation_of(MessageType t) {
  switch (t) {  // no default: a new type must be placed here (-Wswitch)
    case MessageType::read:
    case MessageType::read_reply: return OpKind::read;
    case MessageType::ts_query:
    case MessageType::ts_reply:
    case MessageType::write:
    case MessageType::write_ack: return OpKind::write;
  }
  return OpKind::write;
}

bool is_request(MessageType t) {
  return t == MessageType::ts_query || t == MessageType::read || t == MessageType::write;
}

OpId op_of(const Message& m) {
  return std::visit([](const auto& x) { return x.op; }, m);
}

Key key_of(const Message& m) {
  return std::visit([](const auto& x) { return x.key; }, m);
}

uint64_t wire_bytes(const Message& m, const WireSizes& sizes) {
  const bool carries_pair =
      std::holds_alternative<ReadReply>(m) || std::holds_alternative<WriteRequest>(m);
  uint64_t bytes = sizes.header_bytes;
  if (carries_pair) bytes += uint64_t{sizes.value_bytes} + sizes.signature_bytes;
  if (const auto* r = std::get_if<TsReply>(&m); r != nullptr && r->sig != 0) {
    bytes += 8 + sizes.signature_bytes;  // value digest + signature
  }
  return bytes;
}

Signature Signer::sign(Key key, ValueId value, Timestamp ts) const {
  uint64_t h = mix64(secret_ ^ 0x5349474e41545552ULL);  // "SIGNATUR"
  h = mix64(h ^ key);
  h = mix64(h ^ value);
  h = mix64(h ^ ts.counter);
  h = mix64(h ^ ts.writer);
  return h == 0 ? 1 : h;  // 0 is reserved for "unsigned"
}

bool Signer::verify(Key key, const Pair& p) const {
  return p.sig != 0 && p.sig == sign(key, p.value, p.ts);
}

}  // namespace bqsim
