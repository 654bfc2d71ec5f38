// Helpers shared by the logic tests of protocols and adversaries (tests/harness.h drives them):
// looking a protocol up by name, running a write to completion, starting a read whose replies
// the test injects by hand, and the forged pair f+1 colluders would report.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "protocols/registry.h"
#include "tests/harness.h"

namespace bqsim::test {

inline const ProtocolDescription& protocol(const std::string& name) {
  for (const auto& p : protocol_registry()) {
    if (p.name == name) return p;
  }
  FAIL("no protocol " << name);
  throw;  // unreachable: FAIL throws
}

// A pair no client writes, with a huge timestamp: what f+1 colluding forgers would report.
inline const Pair kForged{kForgedBit | 7, Timestamp{uint64_t{1} << 62, 0xffffffff}, 0};

// Runs one write to completion with every message delivered; returns its completion.
inline OpCompleted full_write(Harness& h, uint32_t c = 0) {
  const OpId op = h.write(c);
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

// Starts a read and removes its requests, so the test decides every reply by hand.
inline OpId read_by_hand(Harness& h) {
  const OpId op = h.read();
  REQUIRE(h.drop_if(of_type(MessageType::read)) == static_cast<size_t>(h.n));
  return op;
}

}  // namespace bqsim::test
