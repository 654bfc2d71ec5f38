// Basic identifiers and values shared by every part of bqsim (PROTOCOLS.md §1).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace bqsim {

// Node ids: servers are 0..n-1, clients are n..n+clients-1. One id space so that the
// network layer can address every node the same way.
using NodeId = uint32_t;
// An operation id is unique over the whole run: (client index << 32) | sequence number.
using OpId = uint64_t;
// Index of a register (scenario field workload.registers).
using Key = uint32_t;
// Written values are opaque ids; their declared size comes from workload.value_bytes.
// 0 is the initial value every server holds. Client c's k-th write (k >= 1) writes
// make_value(c, k). Values with kForgedBit set were made up by an adversary and were never
// written, which is how the checker recognises a forged read.
using ValueId = uint64_t;
inline constexpr ValueId kInitialValue = 0;
inline constexpr ValueId kForgedBit = uint64_t{1} << 63;
inline constexpr ValueId make_value(uint32_t client_index, uint32_t seq) {
  return (uint64_t{client_index + 1} << 32) | seq;
}
inline constexpr OpId make_op_id(uint32_t client_index, uint32_t seq) {
  return (uint64_t{client_index} << 32) | seq;
}

// ts = (counter, writer_id), ordered lexicographically, so two writers never produce the
// same timestamp [MR]. Writer ids are client index + 1; (0, 0) is the initial value's.
struct Timestamp {
  uint64_t counter = 0;
  uint32_t writer = 0;
  auto operator<=>(const Timestamp&) const = default;
};
std::string to_string(Timestamp ts);  // "counter.writer"
// How traces and messages name a value: "init", "c3.17" (client 3's 17th operation) or
// "forged:1a2b" (made up by an adversary).
std::string value_label(ValueId v);

// A signature is an unforgeable token in the simulator: only the writer's signer (which
// adversaries never hold) can compute it. 0 means "unsigned". See sign_pair() in messages.h.
using Signature = uint64_t;

// What a server stores and reports for one register.
struct Pair {
  ValueId value = kInitialValue;
  Timestamp ts{};
  Signature sig = 0;
  bool operator==(const Pair&) const = default;
};

enum class OpKind : uint8_t { read, write };
enum class Outcome : uint8_t { ok, bottom, timeout };
enum class DataKind : uint8_t { generic, self_verifying };
enum class Semantics : uint8_t { safe, regular, atomic };

std::string_view to_string(OpKind k);
std::string_view to_string(Outcome o);
std::string_view to_string(DataKind d);
std::string_view to_string(Semantics s);

}  // namespace bqsim
