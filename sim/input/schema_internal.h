// Internals of the schema generator shared by schema.cc (the document and its fixed sections)
// and schema_declared.cc (what comes from declarations). Not part of the input library's
// interface: schema.h is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/behaviour_info.h"
#include "sim/model/options.h"

namespace bqsim::schema_detail {

// Insertion-ordered, so the committed file reads top-down as written here.
using Json = nlohmann::ordered_json;

inline constexpr uint64_t kMaxUint64 = ~uint64_t{0};

template <typename Items>
std::vector<std::string> names_of(const Items& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.name);
  return names;
}

// {"description", "type": "number"} with one bound, as "minimum" or "exclusiveMinimum" at `at`.
inline Json number(const std::string& description, const char* bound = nullptr, double at = 0) {
  Json j = {{"description", description}, {"type", "number"}};
  if (bound != nullptr) j[bound] = at;
  return j;
}

// A value as read_declared checks it (type, range, choices) with its help and default.
Json declared_value(const OptionSpec& spec);
// "spec.key only while spec.only_if holds". REQUIRES: spec.only_if; condition_key declares it.
Json only_if_rule(const OptionSpec& spec, const OptionSpec& condition_key);
// {"dist": ..., params}, one branch per declared distribution.
Json distribution_schema();
// Distributions with a finite upper bound, the only ones a sync network allows.
std::vector<std::string> bounded_distributions();
// A condition on the whole scenario: its protocol is one of `names` (an absent protocol.name
// is the reader's default protocol).
Json protocol_is(const Catalog& catalog, const std::vector<std::string>& names);
Json protocol_schema(const Catalog& catalog);
Json behaviour_schema(const Catalog& catalog);
// The network section (schema_network.cc): the network object, links, node patterns,
// placement rules, and faults from their declarations (fault_info.h).
Json network_schema();
Json link_schema();
Json selector_schema();
Json placement_rule_schema();
Json fault_schema();
// A fault that can lose a message (for protocols that need reliable channels).
Json lossy_fault();

}  // namespace bqsim::schema_detail
