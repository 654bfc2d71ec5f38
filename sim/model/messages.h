// The messages of every quorum protocol in bqsim (PROTOCOLS.md §4). Each is a small struct;
// the engine owns them by value inside a std::variant, so no raw new/delete anywhere.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/model/types.h"

namespace bqsim {

// Every message names the operation it belongs to, so replies that arrive after the client
// moved on are recognised as late (and still counted) rather than confused with a new phase.
struct TsQuery {       // client -> server: "what is your timestamp for key?"
  OpId op;
  Key key;
  bool operator==(const TsQuery&) const = default;
};
struct TsReply {       // server -> client
  OpId op;
  Key key;
  Timestamp ts;
  // Self-verifying data: the stored pair's value and signature, so the writer can check the
  // timestamp was really written and an adversary cannot inflate it (PROTOCOLS.md §6). Only
  // a digest of the value travels: 8 bytes plus the signature. Generic data leaves them 0.
  ValueId value = 0;
  Signature sig = 0;
  bool operator==(const TsReply&) const = default;
};
struct ReadRequest {   // client -> server
  OpId op;
  Key key;
  bool operator==(const ReadRequest&) const = default;
};
struct ReadReply {     // server -> client: the stored pair
  OpId op;
  Key key;
  Pair pair;
  bool operator==(const ReadReply&) const = default;
};
struct WriteRequest {  // client -> server: store this pair if its ts is larger
  OpId op;
  Key key;
  Pair pair;
  bool operator==(const WriteRequest&) const = default;
};
struct WriteAck {      // server -> client, only for protocols whose writes wait for acks
  OpId op;
  Key key;
  Timestamp ts;
  bool operator==(const WriteAck&) const = default;
};

using Message = std::variant<TsQuery, TsReply, ReadRequest, ReadReply, WriteRequest, WriteAck>;

// MessageType follows the variant's order, so type_of() is the variant index.
enum class MessageType : uint8_t { ts_query, ts_reply, read, read_reply, write, write_ack };
inline constexpr size_t kMessageTypes = std::variant_size_v<Message>;

inline MessageType type_of(const Message& m) { return static_cast<MessageType>(m.index()); }
std::string_view type_name(MessageType t);  // "ts_query", "read_reply", ...
bool is_request(MessageType t);             // client -> server
// The kind of operation whose phases send a message type, so messages per read and per write
// can be counted from the per-type counters.
OpKind operation_of(MessageType t);
OpId op_of(const Message& m);
Key key_of(const Message& m);

// Declared sizes on the wire. A header covers type, op id, key and timestamp; a message that
// carries a pair adds the value's bytes and the signature's bytes. Only the bandwidth network
// model turns bytes into time; both models count them in messages.csv.
struct WireSizes {
  uint32_t header_bytes = 32;   // type (1) + op id (8) + key (4) + timestamp (12), rounded up
  uint32_t value_bytes = 0;     // scenario workload.value_bytes
  uint32_t signature_bytes = 0; // scenario protocol.signature_bytes (self-verifying data only)
};
uint64_t wire_bytes(const Message& m, const WireSizes& sizes);

// The simulator's unforgeable signature: a keyed hash of (key, value, ts) under a secret that
// only the engine and correct writers hold. Adversaries receive no signer, so all they can do
// with a signed pair is replay it (PROTOCOLS.md §1).
class Signer {
 public:
  explicit Signer(uint64_t secret) : secret_(secret) {}
  Signature sign(Key key, ValueId value, Timestamp ts) const;
  bool verify(Key key, const Pair& p) const;

 private:
  uint64_t secret_;
};

}  // namespace bqsim
