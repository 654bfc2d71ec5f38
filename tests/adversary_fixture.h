// Helpers shared by the logic tests of the adversary catalogue (PROTOCOLS.md §6): behaviours
// built from specs the real scenario reader produced, so each test also covers the path a
// scenario takes, and ways to inspect what a Byzantine server queued (tests/harness.h).
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adversaries/byzantine_server.h"
#include "adversaries/registry.h"
#include "protocols/common/register_server.h"
#include "protocols/registry.h"
#include "sim/input/scenario_reader.h"
#include "tests/harness.h"
#include "tests/protocol_fixture.h"

namespace bqsim::test {

inline const Catalog& catalog() {
  static const Catalog kCatalog{&protocol_registry(), &behaviour_registry()};
  return kCatalog;
}

// The scenario a behaviour object is read in: one Byzantine server, 4 clients.
inline nlohmann::json scenario_with(const nlohmann::json& behaviour,
                                    const std::string& protocol_name, uint32_t bits) {
  using nlohmann::json;
  return {{"protocol", {{"name", protocol_name}, {"f", 1}}},
          {"workload", {{"clients", 4}}},
          {"timestamp_bits", bits},
          {"byzantine", json::array({{{"servers", {0}}, {"behaviours", {behaviour}}}})}};
}

// A behaviour as the scenario reader reads it (so its params are the checked ones).
inline BehaviourSpec spec_of(const nlohmann::json& behaviour,
                             const std::string& protocol_name = "sbq-masking",
                             uint32_t bits = 64) {
  const Scenario s = read_scenario_text(scenario_with(behaviour, protocol_name, bits).dump(),
                                        "test.json", {}, catalog());
  return s.byzantine.at(0).behaviours.at(0);
}

// Queued messages from server s of type t, in queue order.
inline std::vector<Envelope> queued_from(const Harness& h, NodeId s, MessageType t) {
  std::vector<Envelope> out;
  for (const auto& e : h.queue) {
    if (e.from == s && type_of(e.msg) == t) out.push_back(e);
  }
  return out;
}
inline Pair read_pair(const Envelope& e) { return std::get<ReadReply>(e.msg).pair; }
inline TsReply ts_reply(const Envelope& e) { return std::get<TsReply>(e.msg); }

// Delivers every queued request (replies stay queued, to be inspected).
inline void deliver_requests(Harness& h) {
  while (h.deliver_first([](const Envelope& e) { return is_request(type_of(e.msg)); })) {
  }
}

// Runs one read to completion with every message delivered; returns its completion.
inline OpCompleted full_read(Harness& h, uint32_t c = 0) {
  const OpId op = h.read(c);
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

// The correct server inside Byzantine server s.
inline const RegisterServer& inner_of(const Harness& h, NodeId s) {
  const auto* byz = dynamic_cast<const ByzantineServer*>(h.servers[s].get());
  REQUIRE(byz != nullptr);
  const auto* inner = dynamic_cast<const RegisterServer*>(&byz->inner());
  REQUIRE(inner != nullptr);
  return *inner;
}

}  // namespace bqsim::test
