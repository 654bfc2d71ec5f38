// Helpers shared by the scenario reader's tests: a small fake catalog, so that these tests
// depend on neither the real protocols nor the binary (test_bad_inputs.cc covers the binary),
// and reading a scenario text against it, or getting the one-line error it produces.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"

namespace bqsim::test {

// A protocol without nodes: the reader needs only its name and families (its options follow
// from the families' traits).
inline ProtocolDescription fake_protocol(std::string name, std::vector<QuorumFamily> families) {
  ProtocolDescription d;
  d.name = std::move(name);
  d.families = std::move(families);
  return d;
}

inline const Catalog& fake_catalog() {
  static const std::vector<ProtocolDescription> kProtocols = {
      fake_protocol("mr-masking", {QuorumFamily::mr_masking}),
      fake_protocol("sbq-masking", {QuorumFamily::sbq_masking}),
      fake_protocol("sbq-dissemination", {QuorumFamily::sbq_dissemination}),
      fake_protocol("sync-threshold",
                    {QuorumFamily::sync_generic, QuorumFamily::sync_self_verifying}),
      fake_protocol("u-masking", {QuorumFamily::u_masking}),
  };
  static const std::vector<BehaviourInfo> kBehaviours = [] {
    BehaviourInfo forge("forge", "made-up pairs",
                        {OptionSpec("coalition", ValueType::string, "default", ""),
                         OptionSpec("ts_counter", ValueType::integer, "4611686018427387904", "")
                             .range(0),
                         OptionSpec("value", ValueType::integer, "", "").range(0),
                         OptionSpec("answer_ts_queries", ValueType::boolean, "false", "")});
    forge.generic_data_only = true;
    return std::vector<BehaviourInfo>{BehaviourInfo("silent", "never answers"), forge};
  }();
  static const Catalog kCatalog{&kProtocols, &kBehaviours};
  return kCatalog;
}

inline Scenario read(const std::string& text, const ReadOptions& options = {}) {
  return read_scenario_text(text, "dir/test.json", options, fake_catalog());
}

// The one-line error a text produces, or "no error".
inline std::string error_of(const std::string& text, const ReadOptions& options = {}) {
  try {
    read(text, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace bqsim::test
